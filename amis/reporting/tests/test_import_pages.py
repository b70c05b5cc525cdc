"""The import's pages and API: upload, progress (HTMX fragment and the plain page), cancel, every
error as CSV/XLSX, the templates, and who may do what."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from amis.accounts import services as accounts
from amis.projects.tests.builders import CARITAS, REDCROSS, user
from amis.reporting.imports import services
from amis.reporting.models import ExpenditureImport, ExpenditureLine, Report
from amis.reporting.tests.test_import import HEADER, csv_line, report, year  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def logged_in(email: str) -> Client:
    client = Client()
    client.force_login(user(email))
    return client


def _bad_file(report: Report, bad: int = 60) -> bytes:  # noqa: F811
    y = year(report)
    rows = [csv_line(y, n, category="catering" if n <= bad else "travel") for n in range(1, bad + 3)]
    return ("\n".join([HEADER, *rows])).encode()


def test_upload_progress_errors_and_fix(report: Report) -> None:  # noqa: F811
    client = logged_in(CARITAS)
    page = client.get(f"/reports/{report.pk}/expenditure/import/")
    assert page.status_code == 200
    assert b"template.xlsx" in page.content and b"No import yet." in page.content
    answer = client.post(
        f"/reports/{report.pk}/expenditure/import/",
        {"file": SimpleUploadedFile("lines.csv", _bad_file(report)), "number_format": ""},
    )
    assert answer.status_code == 302
    imp = ExpenditureImport.objects.get(report=report)
    assert answer["Location"] == f"/reports/{report.pk}/expenditure/import/{imp.pk}/"
    waiting = client.get(answer["Location"])
    assert b'hx-trigger="every 2s"' in waiting.content and b"Cancel the import" in waiting.content
    services.import_run(imp.pk)
    fragment = client.get(answer["Location"], HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and b"<html" not in fragment.content
    assert b"hx-trigger" not in fragment.content  # finished: the polling stops
    assert b"The file has 60 errors; nothing was saved." in fragment.content
    assert (
        fragment.content.count(b'<tr><td class="num">') == 50 and b"and 10 more errors." in fragment.content
    )
    errors = client.get(f"/reports/{report.pk}/expenditure/import/{imp.pk}/errors.csv")
    assert errors.status_code == 200
    lines = errors.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 61 and lines[1].startswith("error;2;category;")
    xlsx = client.get(f"/reports/{report.pk}/expenditure/import/{imp.pk}/errors.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    assert sheet.max_row == 61
    assert not ExpenditureLine.objects.exists()
    listing = client.get(f"/reports/{report.pk}/expenditure/import/")
    assert b"lines.csv" in listing.content


def test_refusals_on_the_pages(report: Report) -> None:  # noqa: F811
    other = logged_in(REDCROSS)
    assert other.get(f"/reports/{report.pk}/expenditure/import/").status_code == 403
    assert other.get(f"/reports/{report.pk}/expenditure/template.xlsx").status_code == 403
    refused = other.post(
        f"/reports/{report.pk}/expenditure/import/", {"file": SimpleUploadedFile("a.csv", b"category\n")}
    )
    assert refused.status_code == 403 and not ExpenditureImport.objects.exists()
    no_file = logged_in(CARITAS).post(f"/reports/{report.pk}/expenditure/import/", {})
    assert no_file.status_code == 400 and b"Choose a CSV or Excel file" in no_file.content
    officer = logged_in("ra.officer@amis.example")
    assert officer.get(f"/reports/{report.pk}/expenditure/template.csv").status_code in (200, 302)


def test_templates_download(report: Report) -> None:  # noqa: F811
    client = logged_in(CARITAS)
    xlsx = client.get(f"/reports/{report.pk}/expenditure/template.xlsx", HTTP_ACCEPT_LANGUAGE="nl")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in xlsx["Content-Disposition"]
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.worksheets[0]["A2"].value == "category"
    csv_ = client.get(f"/reports/{report.pk}/expenditure/template.csv")
    assert csv_.content.decode("utf-8-sig").splitlines()[1] == HEADER


def test_cancel_button(report: Report) -> None:  # noqa: F811
    client = logged_in(CARITAS)
    client.post(
        f"/reports/{report.pk}/expenditure/import/", {"file": SimpleUploadedFile("a.csv", _bad_file(report))}
    )
    imp = ExpenditureImport.objects.get(report=report)
    answer = client.post(f"/reports/{report.pk}/expenditure/import/{imp.pk}/cancel/")
    assert answer.status_code == 302
    imp.refresh_from_db()
    assert imp.status == ExpenditureImport.Status.CANCELLED
    assert b"nothing was saved" in client.get(answer["Location"]).content
    assert client.post(f"/reports/{report.pk}/expenditure/import/{imp.pk}/cancel/").status_code == 400


def test_api_start_follow_and_cancel(report: Report) -> None:  # noqa: F811
    _token, secret = accounts.token_create(user=user(CARITAS), name="bookkeeping", scope="write")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    y = year(report)
    data = f"{HEADER}\n{csv_line(y, 1)}\n{csv_line(y, 2, invoice_date='31/02/' + str(y))}\n".encode()
    answer = api.post(f"/api/v1/reports/{report.pk}/imports", {"file": SimpleUploadedFile("a.csv", data)})
    assert answer.status_code == 202, answer.content
    body = answer.json()
    assert body["status"] == "queued" and len(body["sha256"]) == 64
    services.import_run(body["id"])
    followed = api.get(f"/api/v1/reports/{report.pk}/imports/{body['id']}").json()
    assert followed["status"] == "failed"
    assert followed["errors"] == [
        {
            "row": 3,
            "column": "invoice_date",
            "field": "invoice_date",
            "message": f"'31/02/{y}' is not a date: write it as 31/12/2027 (day first) or 2027-12-31.",
        }
    ]
    again = api.post(
        f"/api/v1/reports/{report.pk}/imports", {"file": SimpleUploadedFile("b.csv", data)}
    ).json()
    cancelled = api.post(f"/api/v1/reports/{report.pk}/imports/{again['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert api.post(f"/api/v1/reports/{report.pk}/imports", {}).status_code == 400
    _t, other = accounts.token_create(user=user(REDCROSS), name="x", scope="write")
    refused = Client(HTTP_AUTHORIZATION=f"Bearer {other}").get(
        f"/api/v1/reports/{report.pk}/imports/{body['id']}"
    )
    assert refused.status_code == 403
