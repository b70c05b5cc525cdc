"""The plain rules: which report a year owes, its window, due date and article; the sections; the
steps; what is missing before submission; overdue."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from amis.annual_reports import rules


def test_2014_2020_annual_implementation_reports() -> None:
    first = rules.report_rule("2014-2020", 2015)
    assert first is not None and first.kind == rules.AIR
    # the report of 2016 covers the financial years 2014 and 2015 (Reg. 514/2014 Art. 54(1))
    assert (first.start, first.end, first.due) == (
        dt.date(2014, 1, 1),
        dt.date(2015, 10, 15),
        dt.date(2016, 3, 31),
    )
    later = rules.report_rule("2014-2020", 2019)
    assert later is not None
    assert (later.start, later.end, later.due) == (
        dt.date(2018, 10, 16),
        dt.date(2019, 10, 15),
        dt.date(2020, 3, 31),
    )
    assert "514/2014 Art. 54" in later.article and "799/2014" in later.template
    final = rules.report_rule("2014-2020", 2024)
    assert final is not None and final.kind == rules.FINAL and not final.verified
    assert rules.report_rule("2014-2020", 2014) is None and rules.report_rule("2014-2020", 2023) is None


def test_2021_2027_annual_performance_reports() -> None:
    first = rules.report_rule("2021-2027", 2022)
    assert first is not None and first.kind == rules.APR
    assert (first.start, first.end, first.due) == (
        dt.date(2021, 1, 1),
        dt.date(2022, 6, 30),
        dt.date(2023, 2, 15),
    )
    later = rules.report_rule("2021-2027", 2026)
    assert later is not None
    assert (later.start, later.end, later.due) == (
        dt.date(2025, 7, 1),
        dt.date(2026, 6, 30),
        dt.date(2027, 2, 15),
    )
    assert "2021/1147 Art. 35" in later.article
    assert rules.years_for("2021-2027") == list(range(2022, 2031))  # due 2023 to 2031
    assert rules.report_rule("2028-2034", 2029) is None


@given(st.dates(min_value=dt.date(2014, 1, 1), max_value=dt.date(2030, 6, 30)))
def test_every_day_of_the_period_falls_in_exactly_one_year(day: dt.date) -> None:
    years = [
        y
        for y in rules.years_for("2021-2027")
        if (r := rules.report_rule("2021-2027", y)) and r.start <= day <= r.end
    ]
    assert len(years) == (1 if day >= dt.date(2021, 1, 1) else 0)
    assert rules.year_of("2021-2027", day) == (years[0] if years else None)
    if day <= dt.date(2022, 10, 15):
        assert rules.year_of("2014-2020", day) is not None


def test_sections_per_period_and_objective() -> None:
    keys = rules.narrative_keys("2021-2027", ["SO1", "SO2"])
    assert keys == [
        ("progress", "SO1"),
        ("progress", "SO2"),
        ("problems", "SO1"),
        ("problems", "SO2"),
        ("other", ""),
    ]
    assert rules.max_length("2021-2027", "progress") == 7000  # Impl. Reg. 2023/169, 1.1
    assert rules.max_length("2014-2020", "progress") == 3000  # Impl. Reg. 799/2014 Annex II
    assert rules.missing_parts(keys, {("progress", "SO1"): "x", ("problems", "SO1"): "  "}) == keys[1:]


def test_steps_and_overdue() -> None:
    assert ("submitted", "draft") in rules.STEPS and ("draft", "approved") not in rules.STEPS
    assert ("frozen", "draft") not in rules.STEPS and ("approved", "draft") not in rules.STEPS
    assert rules.overdue("draft", dt.date(2026, 2, 15), dt.date(2026, 2, 16))
    assert not rules.overdue("approved", dt.date(2026, 2, 15), dt.date(2026, 2, 16))
