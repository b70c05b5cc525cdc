"""Budget, co-financing, dates and deadline rules (plain Python)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from amis.calls.rules import (
    Activity,
    Budget,
    BudgetLine,
    CallTerms,
    Problems,
    check_budget,
    check_for_submission,
    deadline_problem,
)

TERMS = CallTerms(
    Decimal("0.75"), Decimal("50000.00"), Decimal("300000.00"), dt.date(2027, 1, 1), dt.date(2027, 12, 31)
)
cents = st.integers(min_value=0, max_value=10**9).map(lambda n: Decimal(n) / 100)


def budget(direct: Decimal, rate: Decimal, eu: Decimal, rest: Decimal) -> Budget:
    return Budget([BudgetLine("staff", 2027, direct)], rate, {"eu": eu, "own": rest})


def submission(b: Budget) -> dict[str, str]:
    return check_for_submission(
        b,
        TERMS,
        [Activity("a", dt.date(2027, 1, 1), dt.date(2027, 6, 30))],
        dt.date(2027, 1, 1),
        dt.date(2027, 12, 31),
    ).by_field


@given(cents, st.sampled_from([Decimal("0"), Decimal("0.05"), Decimal("0.07")]))
def test_parts_equal_total_and_eu_within_75_percent_passes(direct: Decimal, rate: Decimal) -> None:
    b = Budget([BudgetLine("staff", 2027, direct)], rate, {})
    eu = min(
        (b.total_cost * Decimal("0.75")).quantize(Decimal("0.01"), rounding="ROUND_DOWN"),
        Decimal("300000.00"),
    )
    plan = budget(direct, rate, eu, b.total_cost - eu)
    problems = submission(plan)
    if Decimal("50000.00") <= eu:
        assert problems == {}
    else:
        assert set(problems) == {"funding.eu"}
    assert plan.total_cost == plan.direct_costs + plan.indirect_costs


@given(cents, cents)
def test_a_co_financing_plan_one_cent_off_is_refused(direct: Decimal, eu: Decimal) -> None:
    plan = Budget(
        [BudgetLine("staff", 2027, direct)], Decimal("0"), {"eu": eu, "own": direct - eu + Decimal("0.01")}
    )
    assert "funding" in submission(plan)


def test_eu_share_above_the_call_rate_is_refused() -> None:
    problems = submission(
        budget(Decimal("100000.00"), Decimal("0"), Decimal("75001.00"), Decimal("24999.00"))
    )
    assert (
        problems["funding.eu"].startswith("The EU contribution is 75.00 % of the total cost")
        or "75.0" in problems["funding.eu"]
    )


def test_max_grant_and_min_grant() -> None:
    big = submission(budget(Decimal("500000.00"), Decimal("0"), Decimal("300000.01"), Decimal("199999.99")))
    assert "maximum grant" in big["funding.eu"]
    small = submission(budget(Decimal("10000.00"), Decimal("0"), Decimal("7500.00"), Decimal("2500.00")))
    assert "minimum grant" in small["funding.eu"]


def test_negative_amounts_and_too_many_decimals_and_rates() -> None:
    problems = Problems()
    check_budget(
        Budget(
            [BudgetLine("staff", 2027, Decimal("-1.00")), BudgetLine("travel", 2027, Decimal("1.001"))],
            Decimal("0.08"),
            {"eu": Decimal("-5")},
        ),
        TERMS,
        problems,
    )
    assert problems.by_field["budget.0.amount"] == "An amount cannot be negative."
    assert problems.by_field["budget.1.amount"] == "Amounts have at most two decimals (cents)."
    assert "7 %" in problems.by_field["indirect_rate"]
    assert problems.by_field["funding.eu"] == "An amount cannot be negative."


def test_dates_outside_the_eligible_period() -> None:
    plan = budget(Decimal("100000.00"), Decimal("0"), Decimal("75000.00"), Decimal("25000.00"))
    problems = check_for_submission(
        plan,
        TERMS,
        [Activity("late", dt.date(2027, 6, 1), dt.date(2028, 1, 1))],
        dt.date(2026, 12, 31),
        dt.date(2027, 12, 31),
    ).by_field
    assert "eligible period" in problems["start"] and "eligible period" in problems["activities.0.start"]


def test_the_deadline_to_the_second() -> None:
    opens = dt.datetime(2027, 1, 1, 9, 0, 0, tzinfo=dt.UTC)
    closes = dt.datetime(2027, 3, 1, 12, 0, 0, tzinfo=dt.UTC)
    assert deadline_problem(closes, opens, closes) is None
    assert deadline_problem(closes + dt.timedelta(microseconds=999999), opens, closes) is None
    assert "closed" in (deadline_problem(closes + dt.timedelta(seconds=1), opens, closes) or "")
    assert "opens" in (deadline_problem(opens - dt.timedelta(seconds=1), opens, closes) or "")
