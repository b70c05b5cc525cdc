"""The programme dashboard in a browser (issue 17 §1): the responsible authority opens it, drills down
from a call to its projects, to a project, to its report and an expenditure line, and downloads the
table; a delegated officer sees only the part delegated to them; axe finds nothing."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, expect

from amis.accounts.models import User
from amis.dashboard import selectors
from amis.demo import money
from amis.demo import projects as demo
from amis.demo.calls import load_2021_call, load_calls
from amis.demo.people import load_people
from amis.demo.programme import BELGIAN_2021_CCI, BELGIAN_CCI, load_belgian_programme
from amis.programme.models import Programme
from amis.projects.models import Project
from amis.reporting.models import ExpenditureLine, Report
from tests.browser.conftest import screenshot
from tests.browser.test_selection_browser import _axe, _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_dashboard_drills_down_to_an_expenditure_line(live_server: Any, browser: Browser) -> None:
    quiet = lambda message: None  # noqa: E731
    load_belgian_programme(log=quiet)
    load_people(log=quiet)
    load_calls(log=quiet)
    load_2021_call(log=quiet)
    demo.load_projects(log=quiet)
    money.load_money(log=quiet)
    base = live_server.url
    flagship = Project.objects.get(application__call__code=demo.CODE, application__title=demo.FLAGSHIP_TITLE)
    report = Report.objects.get(project=flagship, number=1)
    line = ExpenditureLine.objects.filter(report=report).order_by("position").first()
    assert line is not None
    board = selectors.programme_dashboard(
        User.objects.get(email=demo.RA_OFFICER), Programme.objects.get(cci=BELGIAN_2021_CCI)
    )

    officer = _login(browser, base, demo.RA_OFFICER)
    officer.get_by_role("link", name="Programme dashboard", exact=False).click()
    expect(officer.get_by_role("heading", name="Programme dashboard")).to_be_visible()
    officer.get_by_role("link", name=BELGIAN_2021_CCI).click()
    expect(officer.get_by_role("heading", name=f"Programme {BELGIAN_2021_CCI} at a glance")).to_be_visible()
    total = officer.get_by_role("row", name="Total")
    paid = f"{board.total.figures.paid:,.2f}"
    expect(total).to_contain_text(paid)
    screenshot(officer, "dashboard-programme")
    assert _axe(officer) == []
    # the table as XLSX: the same total
    with officer.expect_download() as download:
        officer.get_by_role("link", name="Download this table (XLSX)").click()
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes()), read_only=True).active
    assert sheet is not None
    last = list(sheet.iter_rows(values_only=True))[-1]
    assert last[0] == "Total" and Decimal(str(last[10])) == board.total.figures.paid
    # drill down: the call, its projects, the flagship, its report, an expenditure line
    officer.get_by_role("link", name=demo.CODE).click()
    expect(officer.get_by_role("heading", name=f"Call {demo.CODE}: its projects")).to_be_visible()
    assert _axe(officer) == []
    officer.get_by_role("link", name=flagship.reference).click()
    officer.get_by_role("link", name="Report 1", exact=False).first.click()
    expect(officer.get_by_role("region", name="Expenditure lines")).to_contain_text(line.invoice_number)

    # the delegated officer of the 2014-2020 programme's SO2 / NO2 sees that part only
    delegated = _login(browser, base, "da.flanders@amis.example")
    delegated.goto(f"{base}/dashboard/{BELGIAN_CCI}/")
    rows = delegated.locator("table.dashboard tbody tr.level-1")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("SO2")
    screenshot(delegated, "dashboard-delegated")
    assert _axe(delegated) == []
