"""Properties of the financial rules (hypothesis): the financial picture always reconciles to the cent,
budget transfers never change the total nor exceed the tolerance, and the reporting calendar covers
the eligibility period without gaps or overlaps."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from amis.core.money import ZERO, cents
from amis.projects import rules

CATEGORIES = ("staff", "travel", "equipment", "consumables", "subcontracting", "other", "indirect")

amounts = st.decimals(min_value=Decimal("0.00"), max_value=Decimal("5000000.00"), places=2)
signed_amounts = st.decimals(min_value=Decimal("-50000.00"), max_value=Decimal("5000000.00"), places=2)
budgets = st.dictionaries(st.sampled_from(CATEGORIES), amounts, min_size=1)
tolerances = st.decimals(min_value=Decimal("0.0000"), max_value=Decimal("1.0000"), places=4)


@given(
    budget=budgets,
    declared=st.dictionaries(st.sampled_from(CATEGORIES), signed_amounts),
    verified=st.dictionaries(st.sampled_from(CATEGORIES), amounts),
    corrected=st.dictionaries(st.sampled_from(CATEGORIES), amounts),
    paid=amounts,
    recovered=amounts,
)
def test_the_picture_reconciles_to_the_cent(
    budget: dict[str, Decimal],
    declared: dict[str, Decimal],
    verified: dict[str, Decimal],
    corrected: dict[str, Decimal],
    paid: Decimal,
    recovered: Decimal,
) -> None:
    earned = {c: v - corrected.get(c, ZERO) for c, v in verified.items()}
    shares = rules.allocate_paid(paid, recovered, earned)
    picture = rules.financial_picture(budget, declared, verified, shares.paid, corrected, shares.recovered)
    # one row per category, none left out, none twice; the uncleared pre-financing last
    named = set(budget) | set(declared) | set(verified) | set(corrected)
    categories = [r.category for r in picture.rows]
    assert sorted(c for c in categories if c != rules.UNCLEARED) == sorted(named)
    assert rules.UNCLEARED not in categories[:-1]
    for column in rules.COLUMNS:
        assert picture.totals[column] == sum((getattr(r, column) for r in picture.rows), ZERO)
    assert picture.totals["budget"] == sum(budget.values(), ZERO)
    assert picture.totals["declared"] == sum(declared.values(), ZERO)
    assert picture.totals["paid"] == paid and picture.totals["recovered"] == recovered
    for row in picture.rows:
        assert row.remaining == row.budget - row.verified + row.corrected
    assert picture.totals["remaining"] == (
        picture.totals["budget"] - picture.totals["verified"] + picture.totals["corrected"]
    )


transfer_steps = st.lists(
    st.tuples(
        st.sampled_from(CATEGORIES),
        st.sampled_from(CATEGORIES),
        st.decimals(min_value=Decimal("-10.00"), max_value=Decimal("500000.00"), places=3),
    ),
    max_size=12,
)


@given(budget=budgets, steps=transfer_steps, tolerance=tolerances)
def test_transfers_within_tolerance_keep_the_total_and_never_exceed_the_ceiling(
    budget: dict[str, Decimal], steps: list[tuple[str, str, Decimal]], tolerance: Decimal
) -> None:
    """Transfers are tried one after the other as a beneficiary would ask for them; those accepted
    by `transfer_problem` are made. Whatever the sequence, the total is unchanged, no category goes
    below zero, and no category ever received more than its tolerance of its budget."""
    made: list[tuple[str, str, Decimal]] = []
    received: dict[str, Decimal] = {}
    given_: dict[str, Decimal] = {}
    for source, target, amount in steps:
        problem = rules.transfer_problem(budget, received, given_, source, target, amount, tolerance)
        if problem is not None:
            assert isinstance(problem, str) and problem
            continue
        assert amount > 0 and amount == cents(amount) and source != target
        made.append((source, target, amount))
        received[target] = received.get(target, ZERO) + amount
        given_[source] = given_.get(source, ZERO) + amount
    after = rules.current_budget(budget, made)
    assert sum(after.values(), ZERO) == sum(budget.values(), ZERO)
    assert set(after) == set(budget)
    for category, value in after.items():
        assert value >= 0
        assert received.get(category, ZERO) <= cents(budget[category] * tolerance)


@given(
    budget=budgets,
    transfers=st.lists(
        st.tuples(st.sampled_from(CATEGORIES), st.sampled_from(CATEGORIES), amounts), max_size=8
    ),
)
def test_any_transfers_keep_the_total(
    budget: dict[str, Decimal], transfers: list[tuple[str, str, Decimal]]
) -> None:
    after = rules.current_budget(budget, transfers)
    assert sum(after.values(), ZERO) == sum(budget.values(), ZERO)
    assert after.keys() >= budget.keys()


def test_a_transfer_above_the_tolerance_is_refused() -> None:
    budget = {"staff": Decimal("100000.00"), "travel": Decimal("10000.00")}
    assert (
        rules.transfer_problem(budget, {}, {}, "staff", "travel", Decimal("1000.00"), Decimal("0.10")) is None
    )
    assert rules.transfer_problem(budget, {}, {}, "staff", "travel", Decimal("1000.01"), Decimal("0.10"))
    # what was received before counts
    assert rules.transfer_problem(
        budget,
        {"travel": Decimal("600.00")},
        {"staff": Decimal("600.00")},
        "staff",
        "travel",
        Decimal("400.01"),
        Decimal("0.10"),
    )


@st.composite
def periods(draw: st.DrawFn) -> tuple[dt.date, dt.date]:
    start = draw(st.dates(min_value=dt.date(2014, 1, 1), max_value=dt.date(2029, 12, 31)))
    days = draw(st.integers(min_value=0, max_value=6 * 366))
    return start, start + dt.timedelta(days=days)


@given(
    period=periods(),
    interim_months=st.integers(min_value=0, max_value=36),
    due_days=st.integers(min_value=1, max_value=365),
)
def test_the_reporting_calendar_covers_the_period(
    period: tuple[dt.date, dt.date], interim_months: int, due_days: int
) -> None:
    start, end = period
    calendar = rules.reporting_calendar(start, end, interim_months, due_days)
    *interims, final = calendar
    assert [e.number for e in calendar] == list(range(1, len(calendar) + 1))
    # the final report covers the whole eligibility period
    assert (final.kind, final.period_start, final.period_end) == ("final", start, end)
    # interim periods are contiguous from the start, each inside the period, the last ends before the end
    expected_start = start
    for entry in interims:
        assert entry.kind == "interim"
        assert entry.period_start == expected_start <= entry.period_end < end
        expected_start = entry.period_end + dt.timedelta(days=1)
    if interim_months == 0:
        assert interims == []
    # each report is due `due_days` after its period ends
    for entry in calendar:
        assert entry.due_date == entry.period_end + dt.timedelta(days=due_days)
        assert entry.due_date > entry.period_end
    assert sorted(e.due_date for e in calendar) == [e.due_date for e in calendar]
