"""The one check of an expenditure line (typed, API, imported) — plain rules, no database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from amis.reporting import rules

CONTEXT = rules.LineContext(
    eligible_start=dt.date(2027, 1, 1),
    eligible_end=dt.date(2028, 12, 31),
    categories=frozenset({"staff", "travel", "other"}),
    simplified_costs={
        "UC-HOUR": rules.SimplifiedCostTerms(kind="unit", category="staff", amount=Decimal("45.50"))
    },
    remaining={"travel": Decimal("100.00")},
)


def line(**changes: object) -> rules.LineInput:
    values: dict[str, object] = {
        "category": "travel",
        "supplier_name": "NMBS",
        "invoice_number": "F-1",
        "invoice_date": dt.date(2027, 3, 1),
        "amount_incl_vat": Decimal("60.50"),
        "amount_excl_vat": Decimal("50.00"),
        "amount_declared": Decimal("60.50"),
    }
    values.update(changes)
    return rules.LineInput(**values)  # type: ignore[arg-type]


def test_a_good_line_passes() -> None:
    check = rules.check_line(line(), CONTEXT)
    assert check.problems == {} and check.amount_declared == Decimal("60.50")


def test_dates_outside_the_period_category_and_cents_are_refused() -> None:
    check = rules.check_line(
        line(invoice_date=dt.date(2026, 12, 31), category="catering", amount_declared=Decimal("1.001")),
        CONTEXT,
    )
    assert set(check.problems) == {"invoice_date", "category", "amount_declared"}


def test_recoverable_vat_is_not_declared_and_credit_notes_are_negative() -> None:
    assert "amount_declared" in rules.check_line(line(vat_recoverable=True), CONTEXT).problems
    assert "amount_declared" in rules.check_line(line(amount_declared=Decimal("-5.00")), CONTEXT).problems
    credit = rules.check_line(line(amount_declared=Decimal("-5.00"), credit_note_for="F-0"), CONTEXT)
    assert credit.problems == {}


def test_unit_costs_are_computed_and_a_line_above_the_remaining_budget_warns() -> None:
    unit = rules.check_line(
        line(
            category="staff",
            cost_type="unit",
            simplified_cost="UC-HOUR",
            units=Decimal("10"),
            amount_declared=None,
        ),
        CONTEXT,
    )
    assert unit.problems == {} and unit.amount_declared == Decimal("455.00")
    over = rules.check_line(
        line(amount_declared=Decimal("60.50"), amount_incl_vat=Decimal("200.00")), CONTEXT
    )
    assert over.problems == {} and over.warnings == {}
    big = rules.check_line(
        line(amount_declared=Decimal("150.00"), amount_incl_vat=Decimal("200.00"), amount_excl_vat=None),
        CONTEXT,
    )
    assert "amount_declared" in big.warnings and big.problems == {}


def test_the_supplier_key_ignores_dots_prefix_case_and_accents() -> None:
    assert rules.supplier_key("BE 0403.170.701", "x") == rules.supplier_key("0403170701", "") == "0403170701"
    assert rules.supplier_key("", "Café  Zürich N.V.") == "cafe zurich n v"
