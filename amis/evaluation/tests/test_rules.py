"""The plain rules: each period's deadlines and articles, the plan's submission date, the steps and
what is overdue (no database)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from amis.evaluation import rules


def test_the_regulations_deadlines_per_period() -> None:
    interim = rules.regulatory_deadline("2014-2020", "interim")
    assert (
        interim is not None and interim.due == dt.date(2017, 12, 31) and "514/2014 Art. 57" in interim.article
    )
    ex_post = rules.regulatory_deadline("2014-2020", "ex_post")
    assert ex_post is not None and ex_post.due == dt.date(2023, 12, 31)
    mid_term = rules.regulatory_deadline("2021-2027", "mid_term")
    assert (
        mid_term is not None
        and mid_term.due == dt.date(2024, 3, 31)
        and "2021/1147 Art. 34" in mid_term.article
    )
    retrospective = rules.regulatory_deadline("2021-2027", "retrospective")
    assert retrospective is not None and retrospective.due == dt.date(2031, 1, 31)
    assert rules.regulatory_deadline("2014-2020", "mid_term") is None
    assert rules.regulatory_deadline("2014-2020", "thematic") is None
    assert rules.regulatory_deadline("2028-2034", "interim") is None


def test_each_period_plans_its_own_kinds() -> None:
    assert rules.kinds_for("2014-2020") == ["interim", "ex_post", "thematic", "impact"]
    assert rules.kinds_for("2021-2027") == ["mid_term", "impact", "retrospective", "thematic"]
    assert rules.kinds_for("2028-2034") == ["thematic", "impact"]


def test_the_plan_goes_to_the_committee_within_a_year_of_the_decision() -> None:
    due = rules.plan_due("2021-2027", dt.date(2022, 11, 15))
    assert due is not None and due.due == dt.date(2023, 11, 15) and "Art. 44(6)" in due.article
    assert rules.plan_due("2021-2027", dt.date(2024, 2, 29)).due == dt.date(2025, 2, 28)  # type: ignore[union-attr]
    assert rules.plan_due("2014-2020", dt.date(2015, 3, 1)) is None
    assert rules.plan_due("2021-2027", None) is None


def test_overdue() -> None:
    today = dt.date(2026, 12, 1)
    assert rules.evaluation_overdue("in_progress", dt.date(2024, 3, 31), today)
    assert rules.evaluation_overdue("planned", dt.date(2026, 11, 30), today)
    assert not rules.evaluation_overdue("delivered", dt.date(2017, 12, 31), today)
    assert not rules.evaluation_overdue("in_progress", today, today)
    assert not rules.evaluation_overdue("planned", None, today)
    assert rules.recommendation_overdue("open", dt.date(2019, 6, 30), today)
    assert rules.recommendation_overdue("in_progress", dt.date(2026, 11, 30), today)
    assert not rules.recommendation_overdue("closed", dt.date(2019, 6, 30), today)
    assert not rules.recommendation_overdue("implemented", dt.date(2019, 6, 30), today)
    assert not rules.recommendation_overdue("open", None, today)


def test_date_problems() -> None:
    assert rules.date_problems(dt.date(2017, 2, 1), dt.date(2017, 1, 1), None) == ["end_before_start"]
    assert rules.date_problems(dt.date(2017, 1, 1), dt.date(2018, 1, 1), dt.date(2017, 12, 31)) == [
        "end_after_due"
    ]
    assert rules.date_problems(dt.date(2017, 1, 1), dt.date(2017, 12, 31), dt.date(2017, 12, 31)) == []


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)), st.integers(0, 48))
def test_add_months_stays_in_the_month_it_lands_on(day: dt.date, months: int) -> None:
    later = rules.add_months(day, months)
    assert (later.year - day.year) * 12 + later.month - day.month == months
    assert later.day == day.day or later.day < day.day and (later + dt.timedelta(days=1)).day == 1


def test_the_steps() -> None:
    assert ("draft", "approved") not in rules.PLAN_STEPS
    assert ("planned", "delivered") not in rules.EVALUATION_STEPS
    assert ("open", "implemented") not in rules.RECOMMENDATION_STEPS
    assert {to for _, to in rules.RECOMMENDATION_STEPS} >= rules.FINAL_RECOMMENDATION
