"""The annual report in a browser (issue 17 §2): the responsible authority's officer opens the annual
reports from the home page, reads the demo's frozen report of the last accounting year (its tables as
approved, no form) and writes a text of the current year's draft; the Monitoring Committee member
reads the frozen report and downloads its tables. axe finds no WCAG 2.1 AA violation on any page."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, expect

from amis.annual_reports.models import AnnualReport
from amis.demo import money
from amis.demo import projects as demo
from amis.demo.annual_reports import CCI, load_annual_reports
from amis.demo.calls import load_2021_call, load_calls
from amis.demo.people import load_people
from amis.demo.programme import load_belgian_programme
from tests.browser.test_selection_browser import _axe, _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_annual_reports_of_the_demo(live_server: Any, browser: Browser) -> None:
    quiet = lambda message: None  # noqa: E731
    load_belgian_programme(log=quiet)
    load_people(log=quiet)
    load_calls(log=quiet)
    load_2021_call(log=quiet)
    demo.load_projects(log=quiet)
    money.load_money(log=quiet)
    load_annual_reports(log=quiet)
    past, current = AnnualReport.objects.filter(programme__cci=CCI).order_by("year")
    base = live_server.url

    officer = _login(browser, base, "ra.officer@amis.example")
    officer.get_by_role(
        "link", name="Annual reports to the Commission, approved by the Monitoring Committee"
    ).click()
    expect(officer.get_by_role("heading", name="Annual reports to the Commission")).to_be_visible()
    assert _axe(officer) == []
    officer.get_by_role("link", name=str(past.year), exact=True).click()
    expect(officer.locator("#report-status")).to_have_text("frozen")
    expect(officer.get_by_text(past.snapshot_sha256)).to_be_visible()
    expect(officer.get_by_role("heading", name="Financial table per specific objective")).to_be_visible()
    assert officer.locator("textarea").count() == 0
    assert _axe(officer) == []

    officer.goto(f"{base}/annual-reports/{CCI}/{current.year}/")
    expect(officer.locator("#report-status")).to_have_text("draft")
    assert _axe(officer) == []
    form = officer.locator("form").filter(has=officer.locator("input[name='part'][value='problems-SO1']"))
    form.get_by_label("Text").fill("No issue in SO1 this year.")
    form.get_by_role("button", name="Save the text").click()
    expect(officer.get_by_text("The text is saved.")).to_be_visible()
    part = current.parts.get(section="problems", specific_objective="SO1")
    assert part.text == "No issue in SO1 this year."

    member = _login(browser, base, "mc.member@amis.example")
    member.goto(f"{base}/annual-reports/{CCI}/{past.year}/")
    expect(member.locator("#report-status")).to_have_text("frozen")
    assert _axe(member) == []
    with member.expect_download() as download:
        member.get_by_role("link", name="Download every table (XLSX)").click()
    path = download.value.path()
    book = load_workbook(io.BytesIO(open(path, "rb").read()))
    assert "financial" in book.sheetnames
