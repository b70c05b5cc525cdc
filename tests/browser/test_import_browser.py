"""A beneficiary downloads the expenditure template, fills it (openpyxl, as Excel would), imports it
with one bad row (the error is shown with its row and column, nothing is saved), corrects it and
imports it again: the lines are there; then submits the report (issue 14's walk). The worker runs the
task (`run_worker`); the progress page follows it by HTMX polling. axe finds nothing on the pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, expect

from amis.projects.tests.builders import CARITAS, selected_project, signed_agreement
from amis.reporting.models import ExpenditureLine, Report
from tests.browser.test_selection_browser import _axe, _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill(template: Path, out: Path, year: int, bad_year: int) -> None:
    book = load_workbook(template)
    sheet = book.worksheets[0]
    for n, when in enumerate((dt.date(year, 4, 2), dt.date(bad_year, 4, 3), dt.date(year, 4, 4)), start=1):
        sheet.append(
            [
                "travel",
                "real cost",
                "NMBS",
                "0203.430.576",
                f"T-{n}",
                when,
                None,
                "Train",
                50,
                60.5,
                "no",
                60.5,
            ]
        )
    book.save(out)


def test_template_import_with_a_bad_row_then_corrected(
    live_server: Any, browser: Browser, tmp_path: Path, run_worker: Callable[[], None]
) -> None:
    project = selected_project(code="FL-IMPORT-BROWSER")
    version = signed_agreement(project)
    report = Report.objects.get(project=project, number=1)
    year = version.eligible_start.year
    base = live_server.url
    ben = _login(browser, base, CARITAS)
    ben.goto(f"{base}/reports/{report.pk}/expenditure/import/")
    expect(ben.get_by_role("heading", name="Import expenditure lines")).to_be_visible()
    assert _axe(ben) == []
    with ben.expect_download() as download:
        ben.get_by_role("link", name="Excel template (.xlsx)", exact=False).click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)

    filled = tmp_path / "expenditure.xlsx"
    _fill(template, filled, year, year - 3)
    ben.get_by_label("File (CSV or XLSX)").set_input_files(str(filled))
    ben.get_by_role("button", name="Import").click()
    expect(ben.get_by_role("heading", name="Import of expenditure.xlsx")).to_be_visible()
    expect(ben.get_by_role("button", name="Cancel the import")).to_be_visible()
    assert _axe(ben) == []
    run_worker()
    # the page polls every 2 seconds and shows the outcome without a reload
    expect(ben.get_by_text("The file has 1 error; nothing was saved.", exact=False)).to_be_visible(
        timeout=10_000
    )
    row = ben.get_by_role("row").filter(has_text="outside the eligibility period")
    expect(row).to_contain_text("4")  # the file's row 4: header, machine names, first line, this one
    expect(row).to_contain_text("Invoice date")
    assert _axe(ben) == []
    assert not ExpenditureLine.objects.filter(report=report).exists()

    _fill(template, filled, year, year)
    ben.get_by_role("link", name="Back to the import page").click()
    ben.get_by_label("File (CSV or XLSX)").set_input_files(str(filled))
    ben.get_by_role("button", name="Import").click()
    run_worker()
    expect(ben.get_by_text("3 expenditure lines were added to the report.")).to_be_visible(timeout=10_000)
    expect(ben.get_by_role("cell", name="T-3")).to_be_visible()
    assert _axe(ben) == []
    assert list(ExpenditureLine.objects.filter(report=report).values_list("invoice_number", flat=True)) == [
        "T-1",
        "T-2",
        "T-3",
    ]
    ben.goto(f"{base}/reports/{report.pk}/expenditure/import/")
    expect(ben.get_by_role("link", name="expenditure.xlsx")).to_have_count(2)
    assert _axe(ben) == []

    # the lines are on the report; the beneficiary submits it (a confirmation step first)
    ben.goto(f"{base}/reports/{report.pk}/")
    expect(ben.get_by_role("cell", name="T-2")).to_be_visible()
    ben.get_by_role("button", name="Submit the report").click()
    expect(ben.get_by_role("heading", name="Submit report 1?")).to_be_visible()
    assert _axe(ben) == []
    ben.get_by_role("button", name="Yes, submit the report").click()
    expect(ben.get_by_text("Report 1 was submitted (round 1).")).to_be_visible()
    assert _axe(ben) == []
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED and report.round == 1
    assert report.submissions.get().declared == Decimal("181.50")
