"""The arithmetic of Tables 1-3 (Implementing Regulation 802/2014, Annex, section 7)."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from hypothesis import given

from amis.programme.rules.financing import (
    check_control_totals,
    check_special_cases_lump_sums,
    check_table3_equals_table1,
    plan_from_document,
)
from amis.programme.rules.money import format_money, parse_money
from amis.programme.tests.strategies import documents

ZERO = Decimal("0.00")


def _amount(value: str | None) -> Decimal:
    return parse_money(value) or ZERO


@given(documents())
def test_table1_total_is_the_sum_of_every_line(doc: dict[str, Any]) -> None:
    plan = plan_from_document(doc)
    lines = [
        _amount(line.get("amount"))
        for so in doc["specific_objectives"]
        for line in so["national_objectives"] + so["specific_actions"]
    ]
    special = [_amount(a) for sc in doc["special_cases"]["types"] for a in sc["annual_amounts"].values()]
    assert plan.total == sum(lines, ZERO) + _amount(doc["technical_assistance"]) + sum(special, ZERO)
    assert (
        plan.total
        == sum((so.total for so in plan.specific_objectives), ZERO)
        + (plan.technical_assistance or ZERO)
        + plan.special_cases_total
    )
    for so in plan.specific_objectives:
        assert so.total == so.national_total + so.specific_action_total


@given(documents())
def test_table2_and_3_totals_by_row_equal_totals_by_year(doc: dict[str, Any]) -> None:
    plan = plan_from_document(doc)
    assert sum((plan.special_cases_in_year(y) for y in plan.years), ZERO) == plan.special_cases_total
    assert sum((plan.commitments_in_year(y) for y in plan.years), ZERO) == plan.commitments_total


@given(documents())
def test_computed_totals_pass_their_own_control(doc: dict[str, Any]) -> None:
    plan = plan_from_document(doc)
    declared = {key: format_money(value) for key, value in plan.totals().items()}
    assert check_control_totals(plan, declared) == []  # type: ignore[arg-type]


@given(documents())
def test_a_control_total_one_cent_off_is_an_error(doc: dict[str, Any]) -> None:
    plan = plan_from_document(doc)
    declared = {"table1.total": format_money(plan.total + Decimal("0.01"))}
    findings = check_control_totals(plan, declared)  # type: ignore[arg-type]
    assert [f.code for f in findings] == ["TOTAL.MISMATCH"]
    assert "table1.total" in findings[0].message


def test_unknown_control_total_is_reported() -> None:
    plan = plan_from_document({"specific_objectives": []})
    findings = check_control_totals(plan, {"table1.SO9": "1.00"})
    assert [f.code for f in findings] == ["TOTAL.UNKNOWN"]


@given(documents())
def test_table3_must_equal_table1(doc: dict[str, Any]) -> None:
    plan = plan_from_document(doc)
    findings = check_table3_equals_table1(plan)
    if not doc["annual_commitments"] or plan.commitments_total == plan.total:
        assert findings == []
    else:
        assert [f.code for f in findings] == ["T3.TOTAL"]


def test_table3_equal_to_table1_passes() -> None:
    doc = {
        "programme": {"period": "2014-2020"},
        "specific_objectives": [
            {"code": "SO1", "national_objectives": [{"code": "NO1", "amount": "100.00"}]}
        ],
        "technical_assistance": "5.00",
        "annual_commitments": [{"code": "r", "amounts": {"2014": "60.00", "2015": "45.00"}}],
    }
    assert check_table3_equals_table1(plan_from_document(doc)) == []
    doc2: dict[str, Any] = copy.deepcopy(doc)
    doc2["annual_commitments"][0]["amounts"]["2015"] = "45.01"
    assert [f.code for f in check_table3_equals_table1(plan_from_document(doc2))] == ["T3.TOTAL"]


def _special(persons: int, lump: str, amounts: dict[str, str]) -> dict[str, Any]:
    return {
        "special_cases": {
            "types": [
                {
                    "code": "resettlement",
                    "annual_amounts": amounts,
                    "pledges": [{"lump_sum": lump, "persons": {"2014-2015": persons}}],
                }
            ]
        }
    }


def test_special_case_amount_equals_persons_times_lump_sum() -> None:
    ok = plan_from_document(_special(400, "10000.00", {"2014": "2000000.00", "2015": "2000000.00"}))
    assert check_special_cases_lump_sums(ok) == []
    short = plan_from_document(_special(400, "10000.00", {"2014": "2000000.00", "2015": "1999999.99"}))
    findings = check_special_cases_lump_sums(short)
    assert [f.code for f in findings] == ["T2.LUMPSUM"]
    assert "400 persons" in findings[0].message
