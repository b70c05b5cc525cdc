"""The pure rules of amendments: the diff of two versions' terms, the grant a budget gives, simplified
cost options as an agreement lists them."""

from __future__ import annotations

from decimal import Decimal

from amis.projects import rules

OLD = {
    "max_grant": "240750.00",
    "special_conditions": "",
    "budget": [
        {"category": "staff", "year": 2027, "amount": "120000.00"},
        {"category": "travel", "year": 2027, "amount": "10000.00"},
    ],
}


def test_terms_diff_lists_every_changed_term_and_the_budget_side_by_side() -> None:
    new = {
        "max_grant": "244500.00",
        "special_conditions": "Visits every quarter.",
        "calendar": [],
        "budget": [
            {"category": "staff", "year": 2027, "amount": "125000"},
            {"category": "other", "year": 2028, "amount": "100.00"},
        ],
    }
    diff = rules.terms_diff(OLD, new)
    assert [(c.key, c.old, c.new) for c in diff.changes] == [
        ("calendar", None, []),
        ("max_grant", "240750.00", "244500.00"),
        ("special_conditions", "", "Visits every quarter."),
    ]
    rows = {(b.category, b.year): (b.old, b.new, b.difference) for b in diff.budget}
    assert rows == {
        ("other", 2028): (Decimal("0"), Decimal("100.00"), Decimal("100.00")),
        ("staff", 2027): (Decimal("120000.00"), Decimal("125000"), Decimal("5000.00")),
        ("travel", 2027): (Decimal("10000.00"), Decimal("0"), Decimal("-10000.00")),
    }
    assert diff.budget_total("difference") == diff.budget_total("new") - diff.budget_total("old")
    assert diff.changed


def test_the_same_terms_give_no_change_even_when_amounts_are_written_differently() -> None:
    same = {**OLD, "budget": [{"category": "staff", "year": 2027, "amount": "120000"}, OLD["budget"][1]]}
    diff = rules.terms_diff(OLD, same)
    assert diff.changes == [] and not diff.changed
    assert all(not b.changed for b in diff.budget)


def test_grant_figures_keep_the_rate_to_the_cent() -> None:
    figures = rules.grant_figures(
        [Decimal("100000.00"), Decimal("200000.00")], Decimal("0.07"), Decimal("0.75")
    )
    assert (figures.direct, figures.indirect, figures.total_cost) == (
        Decimal("300000.00"),
        Decimal("21000.00"),
        Decimal("321000.00"),
    )
    assert figures.max_grant == Decimal("240750.00")
    assert figures.increase_over(Decimal("240750.00")) == 0
    assert figures.increase_over(Decimal("240000.00")) == Decimal("750.00")
    odd = rules.grant_figures([Decimal("0.03")], Decimal("0.07"), Decimal("0.7543"))
    assert odd.total_cost == Decimal("0.03") and odd.max_grant == Decimal("0.02")


def test_simplified_cost_options_are_checked_as_the_agreement_lists_them() -> None:
    unit = {"code": "UC1", "kind": "unit", "category": "staff", "amount": Decimal("25.00"), "unit": "hour"}
    assert rules.simplified_cost_problem(unit, []) is None
    assert rules.simplified_cost_problem(unit, ["UC1"])
    assert rules.simplified_cost_problem({**unit, "amount": Decimal("25.001")}, [])
    assert rules.simplified_cost_problem({**unit, "unit": ""}, [])
    assert rules.simplified_cost_problem({**unit, "kind": "voucher"}, [])
    assert rules.simplified_cost_problem({**unit, "code": " "}, [])
    flat = {"code": "FR", "kind": "flat_rate", "category": "indirect", "rate": Decimal("0.07")}
    assert rules.simplified_cost_problem(flat, []) is None
    assert rules.simplified_cost_problem({**flat, "rate": Decimal("1.5")}, [])
    assert rules.simplified_cost_problem({**flat, "rate": None}, [])
    lump = {"code": "LS", "kind": "lump_sum", "category": "other", "amount": Decimal("5000.00")}
    assert rules.simplified_cost_problem(lump, []) is None
