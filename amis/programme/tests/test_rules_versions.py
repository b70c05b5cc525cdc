"""SFC rule 2.15: which changes between versions need a new Commission decision."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from amis.demo.programme import belgian_document
from amis.programme.rules.versions import diff, flatten, needs_new_decision

BELGIAN = belgian_document()


def test_identical_versions_have_no_changes(belgian_doc: dict[str, Any]) -> None:
    other = copy.deepcopy(belgian_doc)
    other["version"]["number"] = 3
    assert diff(belgian_doc, other) == []


@given(st.integers(min_value=-1_000_000, max_value=1_000_000))
def test_moving_money_within_a_specific_objective_needs_no_decision(cents: int) -> None:
    old = copy.deepcopy(BELGIAN)
    new = copy.deepcopy(old)
    so1 = new["specific_objectives"][0]
    delta = Decimal(cents) / 100
    a, b = (Decimal(no["amount"]) for no in so1["national_objectives"][:2])
    so1["national_objectives"][0]["amount"] = f"{a - delta:.2f}"
    so1["national_objectives"][1]["amount"] = f"{b + delta:.2f}"
    changes = diff(old, new)
    assert not needs_new_decision(changes)
    assert len(changes) == (2 if cents else 0)


def test_changing_the_total_of_a_specific_objective_needs_a_decision(belgian_doc: dict[str, Any]) -> None:
    new = copy.deepcopy(belgian_doc)
    new["specific_objectives"][0]["national_objectives"][0]["amount"] = "19617518.38"
    changes = diff(belgian_doc, new)
    assert [c.path for c in changes] == ["specific_objectives[SO1].national_objectives[NO1].amount"]
    assert needs_new_decision(changes)
    assert "SO1" in changes[0].reason


def test_moving_money_between_specific_objectives_needs_a_decision(belgian_doc: dict[str, Any]) -> None:
    new = copy.deepcopy(belgian_doc)
    new["specific_objectives"][0]["national_objectives"][0]["amount"] = "19617517.37"
    new["specific_objectives"][1]["national_objectives"][1]["amount"] = "30850639.11"
    assert needs_new_decision(diff(belgian_doc, new))


def test_authorities_and_management_system_need_no_decision(belgian_doc: dict[str, Any]) -> None:
    new = copy.deepcopy(belgian_doc)
    new["authorities"][2]["person_responsible"] = "Head of the ESF Agency Flanders"
    new["authorities"].append({"kind": "delegated", "name": "New agency"})
    new["management_and_control_system"]["en"] += " Updated."
    changes = diff(belgian_doc, new)
    assert changes and not needs_new_decision(changes)


def test_text_and_indicator_changes_need_a_decision(belgian_doc: dict[str, Any]) -> None:
    new = copy.deepcopy(belgian_doc)
    new["specific_objectives"][0]["indicators"][0]["target"] = "8000.00"
    changes = diff(belgian_doc, new)
    assert [c.path for c in changes] == ["specific_objectives[SO1].indicators[C1].target"]
    assert needs_new_decision(changes)


def test_flatten_uses_codes_for_keyed_lists() -> None:
    flat = flatten(
        {"specific_objectives": [{"code": "SO2", "national_objectives": [{"code": "NO3", "amount": "1.00"}]}]}
    )
    assert flat == {
        "specific_objectives[SO2].code": "SO2",
        "specific_objectives[SO2].national_objectives[NO3].code": "NO3",
        "specific_objectives[SO2].national_objectives[NO3].amount": "1.00",
    }
