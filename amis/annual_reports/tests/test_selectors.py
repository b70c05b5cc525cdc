"""The generated tables equal the programme dashboard for the same data: on the demo's money, the
cumulative columns of the report of the accounting year that holds every record are the dashboard's
figures per specific objective and in total, to the cent; the indicators are the dashboard's; a year
before the money shows none of it in its year columns."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from amis.annual_reports import selectors
from amis.annual_reports.tests.helpers import RA_MANAGER, user
from amis.dashboard import selectors as dashboard
from amis.demo.programme import BELGIAN_2021_CCI
from amis.demo.tests.test_money_demo import _load
from amis.payments.models import Payment
from amis.programme.models import Programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def money(belgian: Any) -> Programme:
    _load()
    return Programme.objects.get(cci=BELGIAN_2021_CCI)


def _d(value: str | None) -> Decimal:
    return Decimal(value or "0")


def test_report_tables_equal_the_dashboard(money: Programme) -> None:
    last = max(p.paid_on for p in Payment.objects.filter(status="paid") if p.paid_on)
    year = last.year + 1 if last.month > 6 else last.year  # the accounting year holding every payment
    from amis.annual_reports.rules import report_rule

    rule = report_rule("2021-2027", year)
    assert rule is not None
    parts = selectors.generated_parts(money, rule.start, rule.end)
    board = dashboard.programme_dashboard(user(RA_MANAGER), money)
    financial = {r["code"]: r for r in parts["tables"]["financial"] if r["level"] == 0}
    implementation = {r["code"]: r for r in parts["tables"]["implementation"] if r["level"] == 0}
    assert set(financial) == {o.key for o in board.objectives}
    assert any(o.figures.paid for o in board.objectives)  # the demo has payments to compare
    for row in board.objectives:
        f, i = financial[row.key], implementation[row.key]
        assert _d(f["planned"]) == (row.planned or 0)
        assert _d(f["grants_total"]) == row.figures.grants
        assert _d(f["declared_total"]) == row.figures.declared
        assert _d(f["verified_total"]) == row.figures.verified
        assert _d(f["eu_verified_total"]) == row.figures.eu_verified
        assert _d(f["corrected_total"]) == row.figures.corrected
        assert _d(f["paid_total"]) == row.figures.paid
        assert _d(i["in_calls_total"]) == row.figures.in_calls
        assert i["calls_total"] == row.figures.calls and i["projects_total"] == row.figures.projects
        # the groups add up to their objective
        groups = [g for g in _groups(parts, row.key)]
        assert sum((_d(g["grants_total"]) for g in groups), Decimal("0")) == row.figures.grants
    total = next(r for r in parts["tables"]["financial"] if r["level"] == -1)
    assert _d(total["paid_total"]) == board.total.figures.paid
    assert _d(total["declared_total"]) == board.total.figures.declared
    assert _d(total["planned"]) == board.total.planned
    # the money of the demo is dated in this year: the year's columns hold all of it
    assert _d(total["paid_year"]) == board.total.figures.paid
    indicators = {(r["specific_objective"], r["code"]): r for r in parts["tables"]["indicators"]}
    for ind in board.indicators:
        assert _d(indicators[(ind["specific_objective"], ind["code"])]["achieved_total"]) == ind["achieved"]


def _groups(parts: dict[str, Any], code: str) -> list[dict[str, Any]]:
    rows = parts["tables"]["implementation"]
    start = next(i for i, r in enumerate(rows) if r["level"] == 0 and r["code"] == code)
    out = []
    for r in rows[start + 1 :]:
        if r["level"] != 1:
            break
        out.append(r)
    return out


def test_a_year_before_the_money_shows_none_of_it(money: Programme) -> None:
    from amis.annual_reports.rules import report_rule

    rule = report_rule("2021-2027", 2022)
    assert rule is not None
    parts = selectors.generated_parts(money, rule.start, rule.end)
    total = next(r for r in parts["tables"]["financial"] if r["level"] == -1)
    assert _d(total["paid_year"]) == 0 and _d(total["paid_total"]) == 0
    assert _d(total["planned"]) > 0  # the plan is there whatever the year


def test_the_2014_report_has_the_special_cases_of_table_2(belgian: Any) -> None:
    programme = Programme.objects.get(cci="2014BE65AMNP001")
    parts = selectors.generated_parts(
        programme, __import__("datetime").date(2018, 10, 16), __import__("datetime").date(2019, 10, 15)
    )
    cases = parts["tables"]["special_cases"]
    assert cases and {c["category"] for c in cases} >= {"resettlement"}
    assert all(c["persons_reported"] == 0 for c in cases)
    assert parts["tables"]["indicators"]  # the programme's common indicators, none achieved yet
    assert all(r["achieved_total"] == "0" for r in parts["tables"]["indicators"])
