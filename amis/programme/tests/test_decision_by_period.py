"""Which Table 1 changes need a new Commission decision, by the regulation of the programme's period."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from amis.programme.rules.versions import diff, needs_new_decision


def test_2014_moving_money_from_a_national_objective_to_a_specific_action_needs_a_decision(
    belgian_doc: dict[str, Any],
) -> None:
    new = copy.deepcopy(belgian_doc)
    so3 = new["specific_objectives"][2]
    so3["national_objectives"][1]["amount"] = "22529929.52"  # -100,000.00
    so3["specific_actions"][0]["amount"] = "7853663.12"  # +100,000.00
    changes = diff(belgian_doc, new)
    assert needs_new_decision(changes)
    reasons = {c.path: c for c in changes}
    sa = reasons["specific_objectives[SO3].specific_actions[SA5].amount"]
    assert sa.needs_decision and "514/2014, Art. 14(9)" in sa.reason


def _period_2021(doc: dict[str, Any]) -> dict[str, Any]:
    doc["programme"].update(cci="2021BE65AMPR001", period="2021-2027")
    return doc


def _move(doc: dict[str, Any], amount: str) -> dict[str, Any]:
    """Move `amount` from SO1.NO1 (19,617,518.37) to SO2.NO2 (30,850,638.11)."""
    new = copy.deepcopy(doc)
    no1 = new["specific_objectives"][0]["national_objectives"][0]
    no2 = new["specific_objectives"][1]["national_objectives"][1]
    no1["amount"] = f"{Decimal(no1['amount']) - Decimal(amount):.2f}"
    no2["amount"] = f"{Decimal(no2['amount']) + Decimal(amount):.2f}"
    return new


def test_2021_a_transfer_within_art_24_5_needs_no_decision(belgian_doc: dict[str, Any]) -> None:
    old = _period_2021(belgian_doc)
    # SO1 is 30,010,132.27: 5 % is 1,500,506.61; the programme's 4 % is 7,090,473.32
    changes = diff(old, _move(old, "1500000.00"))
    assert len(changes) == 2 and not needs_new_decision(changes)
    assert all("2021/1060, Art. 24(5)" in c.reason for c in changes)


def test_2021_a_transfer_beyond_5_percent_of_the_priority_needs_a_decision(
    belgian_doc: dict[str, Any],
) -> None:
    old = _period_2021(belgian_doc)
    assert needs_new_decision(diff(old, _move(old, "1500506.62")))


def test_2014_the_same_transfer_between_specific_objectives_needs_a_decision(
    belgian_doc: dict[str, Any],
) -> None:
    assert needs_new_decision(diff(belgian_doc, _move(belgian_doc, "1500000.00")))


def test_2021_transfers_add_up_over_the_period(belgian_doc: dict[str, Any]) -> None:
    initial = _period_2021(belgian_doc)
    first = _move(initial, "1000000.00")  # 3.3 % of SO1: within Art. 24(5)
    assert not needs_new_decision(diff(initial, first, initial))
    second = _move(first, "1000000.00")  # 6.7 % of SO1's initial allocation in all
    assert not needs_new_decision(diff(first, second))  # measured from `first` alone it would pass
    assert needs_new_decision(diff(first, second, initial))
