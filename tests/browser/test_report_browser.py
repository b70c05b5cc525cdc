"""The beneficiary's report form in a browser: an expenditure line typed and added without leaving
the page (HTMX), the financial summary beside it following, a refused line shown field by field with
nothing saved; axe finds no WCAG 2.1 AA violation."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from amis.projects.tests.builders import selected_project, signed_agreement
from amis.reporting.models import ExpenditureLine, Report
from tests.browser.test_selection_browser import _axe, _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_line_typed_on_the_report_form_updates_the_summary(live_server: Any, browser: Browser) -> None:
    project = selected_project()
    signed_agreement(project)
    report = Report.objects.get(project=project, number=1)
    year = project.start_date.year
    base = live_server.url
    ben = _login(browser, base, "beneficiary@caritas.example")
    ben.goto(f"{base}/reports/{report.pk}/")
    expect(ben.get_by_role("heading", name="Report 1 (interim report)")).to_be_visible()
    assert _axe(ben) == []

    form = ben.locator("#expenditure form[aria-labelledby='line-form-title']")
    form.get_by_label("Cost category").select_option("staff")
    form.get_by_label("Supplier", exact=True).fill("Sociaal Secretariaat")
    form.get_by_label("Invoice number").fill("F-001")
    form.get_by_label("Invoice date").fill(f"15/03/{year}")
    form.get_by_label("Amount declared (€)").fill("1,250.00")
    form.get_by_role("button", name="Add the line").click()
    expect(ben.locator("#expenditure table").get_by_text("Sociaal Secretariaat")).to_be_visible()
    summary = ben.locator("#report-summary")
    expect(summary.get_by_role("row", name="Staff")).to_contain_text("1,250.00")
    assert ExpenditureLine.objects.filter(report=report).count() == 1

    form = ben.locator("#expenditure form[aria-labelledby='line-form-title']")
    form.get_by_label("Cost category").select_option("travel")
    form.get_by_label("Supplier", exact=True).fill("NMBS")
    form.get_by_label("Invoice number").fill("T-7")
    form.get_by_label("Invoice date").fill("15/03/1999")
    form.get_by_label("Amount declared (€)").fill("80.00")
    form.get_by_role("button", name="Add the line").click()
    expect(ben.get_by_text("Nothing was saved: correct the fields marked below.")).to_be_visible()
    expect(ben.locator("#expenditure .has-error")).to_contain_text("outside the eligibility period")
    assert ExpenditureLine.objects.filter(report=report).count() == 1
    assert _axe(ben) == []
