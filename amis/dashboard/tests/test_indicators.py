"""The dashboard's indicators (issue 17 §1): achieved values from accepted reports with their
breakdowns, per specific objective, and the projects that planned an indicator but leave it out of
the reports they submit — counted in the table, listed in the drill-down, downloadable."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from amis.accounts.models import User
from amis.dashboard import selectors
from amis.demo.programme import BELGIAN_2021_CCI
from amis.demo.tests.test_money_demo import _load
from amis.programme.models import Programme
from amis.reporting.models import IndicatorAchievement, Report


@pytest.fixture
def money(belgian: Any) -> Programme:
    _load()
    return Programme.objects.get(cci=BELGIAN_2021_CCI)


def _rows(book: Any) -> list[tuple[Any, ...]]:
    sheet = book.active
    assert sheet is not None
    return list(sheet.iter_rows(values_only=True))


def _indicator(board: selectors.Dashboard, code: str) -> dict[str, Any]:
    return next(i for i in board.indicators if i["code"] == code)


@pytest.mark.django_db
def test_breakdowns_add_up_and_a_project_leaving_out_a_planned_indicator_is_listed(money: Programme) -> None:
    ra = User.objects.get(email="ra.manager@amis.example")
    accepted = IndicatorAchievement.objects.filter(
        report__status=Report.Status.ACCEPTED,
        report__project__application__call__programme=money,
        code="O.2.1",
    )
    assert accepted.exists()
    # a breakdown on one accepted value: the dashboard sums it per breakdown code
    first = accepted.order_by("pk").first()
    assert first is not None
    first.breakdown = {"minors": "3", "women": "5.5"}
    first.save()
    board = selectors.programme_dashboard(ra, money)
    row = _indicator(board, "O.2.1")
    assert row["achieved"] == sum((a.value for a in accepted), Decimal("0"))
    assert row["breakdown"] == {"minors": Decimal("3"), "women": Decimal("5.5")}
    assert row["not_reporting"] == 0

    # a project whose submitted reports all leave the planned O.2.1 out (not the one with the breakdown)
    leaving = accepted.exclude(report__project=first.report.project).first()
    assert leaving is not None
    project = leaving.report.project
    assert "O.2.1" in project.application.planned_indicators
    IndicatorAchievement.objects.filter(report__project=project, code="O.2.1").delete()
    board = selectors.programme_dashboard(ra, money)
    assert _indicator(board, "O.2.1")["not_reporting"] == 1
    (listed,) = selectors.not_reporting(ra, money, "O.2.1")
    assert listed["reference"] == project.reference and listed["reports"] >= 1
    assert listed["url"] == f"/projects/{project.reference}/"
    assert listed["planned"] == Decimal(str(project.application.planned_indicators["O.2.1"]))

    client = Client()
    client.force_login(ra)
    page = client.get(f"/dashboard/{money.cci}/").content.decode()
    link = f"/dashboard/{money.cci}/indicators/O.2.1/not-reporting/"
    assert f'href="{link}"' in page and "of which" in page
    listing = client.get(link)
    assert listing.status_code == 200 and project.reference in listing.content.decode()
    book = load_workbook(io.BytesIO(client.get(link + "?format=xlsx").content), read_only=True)
    rows = _rows(book)
    assert rows[1][0] == project.reference and len(rows) == 2
    # the indicator table and the per-year table download as shown
    book = load_workbook(
        io.BytesIO(client.get(f"/dashboard/{money.cci}/?format=xlsx&table=indicators").content),
        read_only=True,
    )
    codes = [r[1] for r in _rows(book)[1:]]
    assert codes == [i["code"] for i in board.indicators]
    book = load_workbook(
        io.BytesIO(client.get(f"/dashboard/{money.cci}/?format=xlsx&table=years").content), read_only=True
    )
    years = [r[0] for r in _rows(book)[1:]]
    assert years == [y["year"] for y in board.years]


@pytest.mark.django_db
def test_a_delegated_officer_lists_only_projects_of_their_part(money: Programme) -> None:
    outsider = User.objects.get(email="da.flanders@amis.example")
    found = selectors.not_reporting(outsider, money, "O.2.1")
    visible = set(selectors.calls_in_scope(outsider, money).values_list("code", flat=True))
    assert all(row["call"] in visible for row in found)
    client = Client()
    client.force_login(User.objects.get(email="beneficiary@caritas.example"))
    assert client.get(f"/dashboard/{money.cci}/indicators/O.2.1/not-reporting/").status_code == 403


@pytest.mark.django_db
def test_the_programme_list_filters_by_period_and_fund(money: Programme) -> None:
    client = Client()
    client.force_login(User.objects.get(email="ra.manager@amis.example"))
    both = client.get("/dashboard/").content.decode()
    assert "2014BE65AMNP001" in both and BELGIAN_2021_CCI in both
    only = client.get("/dashboard/?period=2021-2027").content.decode()
    assert f'href="/dashboard/{BELGIAN_2021_CCI}/"' in only
    assert 'href="/dashboard/2014BE65AMNP001/"' not in only
    assert client.get("/dashboard/?period=1999-2006").content.decode().count('href="/dashboard/20') == 2
    assert client.get("/dashboard/?fund=AMIF").status_code == 200
