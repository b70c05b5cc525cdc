"""On the demo's money and annual reports: the approved report stays as approved when the data
change; the exports open as a valid XLSX (every table, the same figures) and a PDF in the chosen
language; the pages, the API and the `amis reports annual` command; who reads and who writes."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from amis.annual_reports import exports, selectors
from amis.annual_reports.models import AnnualReport
from amis.annual_reports.tests.helpers import (
    ACCOUNTING,
    AUDITOR,
    CARITAS,
    CCI_2021,
    DA,
    MC,
    RA_MANAGER,
    RA_OFFICER,
    user,
)
from amis.core.audit import AuditEntry
from amis.demo.annual_reports import load_annual_reports
from amis.demo.tests.test_money_demo import _load
from amis.payments.models import Payment

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(belgian: Any) -> dict[str, AnnualReport]:
    _load()
    load_annual_reports(log=lambda m: None)
    reports = list(AnnualReport.objects.filter(programme__cci=CCI_2021).order_by("year"))
    assert [r.status for r in reports] == ["frozen", "draft"]
    return {"past": reports[0], "current": reports[1]}


def _client(email: str) -> Client:
    client = Client()
    client.force_login(user(email))
    return client


def _paid_total(content: dict[str, Any]) -> str:
    return next(r for r in content["generated"]["tables"]["financial"] if r["level"] == -1)["paid_total"]


def test_the_demo_is_loaded_once_and_the_frozen_report_stays_frozen(demo: dict[str, AnnualReport]) -> None:
    load_annual_reports(log=lambda m: None)  # again: nothing changes
    assert AnnualReport.objects.filter(programme__cci=CCI_2021).count() == 2
    past, current = demo["past"], demo["current"]
    assert past.meeting_date and past.decided_by == user(MC) and past.frozen_by == user(RA_MANAGER)
    frozen_before = selectors.current_content(past)
    draft_before = _paid_total(selectors.current_content(current))
    assert Decimal(draft_before) > 0  # the payments of this accounting year
    # the data change after the approval: a paid payment grows
    payment = Payment.objects.filter(status="paid").order_by("pk").first()
    assert payment is not None
    Payment.objects.filter(pk=payment.pk).update(
        amount=payment.amount + Decimal("1000.00"), paid_on=past.period_end
    )
    past.refresh_from_db()
    assert selectors.current_content(past) == frozen_before  # the approved report does not move
    # the draft follows the data: cumulative grows by the change, the payment left its year
    assert Decimal(_paid_total(selectors.current_content(current))) == Decimal(draft_before) + Decimal(
        "1000.00"
    )
    fresh = {"generated": selectors.generated_parts(past.programme, past.period_start, past.period_end)}
    assert Decimal(_paid_total(fresh)) == (
        Decimal(_paid_total(frozen_before)) + payment.amount + Decimal("1000.00")
    )  # today's data would say otherwise


def test_the_xlsx_holds_every_table_and_the_pdf_opens(demo: dict[str, AnnualReport]) -> None:
    report = demo["current"]
    book = load_workbook(io.BytesIO(exports.xlsx(report, "fr")))
    assert book.sheetnames[1:5] == ["implementation", "financial", "indicators", "special_cases"]
    sheet = book["financial"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "Code" or rows[1][0] == "Code"  # French heading of the code column
    total = next(r for r in rows if r[0] == "Total")
    content = selectors.current_content(report)
    headings = [
        c.key
        for c in __import__("amis.annual_reports.tables", fromlist=["TABLES"]).TABLES["financial"].columns
    ]
    assert Decimal(str(total[headings.index("paid_total")])) == Decimal(_paid_total(content))
    texts = list(book.worksheets[-1].iter_rows(values_only=True))
    assert any("Taal" in str(r) or "SO" in str(r) for r in texts)
    pdf = exports.pdf(demo["past"], "nl")
    assert pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-1024:]
    assert exports.pdf(demo["past"], "nl") == pdf  # a frozen report always gives the same bytes


def test_pages_for_each_role(demo: dict[str, AnnualReport]) -> None:
    past, current = demo["past"], demo["current"]
    for email in (RA_OFFICER, RA_MANAGER, AUDITOR, MC):
        client = _client(email)
        assert client.get("/annual-reports/").status_code == 200
        page = client.get(f"/annual-reports/{CCI_2021}/{past.year}/")
        assert page.status_code == 200 and past.snapshot_sha256 in page.content.decode()
    for email in (DA, ACCOUNTING, CARITAS):
        assert _client(email).get(f"/annual-reports/{CCI_2021}/{past.year}/").status_code == 403
    home = _client(RA_OFFICER).get("/").content.decode()
    assert "/annual-reports/" in home
    # the officer writes a text of the draft on its page
    part = current.parts.filter(section="problems").order_by("pk")[0]
    prefix = f"problems-{part.specific_objective}"
    answer = _client(RA_OFFICER).post(
        f"/annual-reports/{CCI_2021}/{current.year}/parts/",
        {
            "part": prefix,
            f"{prefix}-section": "problems",
            f"{prefix}-specific_objective": part.specific_objective,
            f"{prefix}-text": "No issue.",
            f"{prefix}-lock_version": part.lock_version,
        },
    )
    assert answer.status_code == 302
    part.refresh_from_db()
    assert part.text == "No issue."
    stale = _client(RA_MANAGER).post(
        f"/annual-reports/{CCI_2021}/{current.year}/parts/",
        {
            "part": prefix,
            f"{prefix}-section": "problems",
            f"{prefix}-specific_objective": part.specific_objective,
            f"{prefix}-text": "Other.",
            f"{prefix}-lock_version": part.lock_version - 1,
        },
    )
    assert stale.status_code == 409 and "Other." in stale.content.decode()  # the typed text is kept
    # the frozen report has no form; the auditor downloads it
    assert b"<textarea" not in _client(RA_OFFICER).get(f"/annual-reports/{CCI_2021}/{past.year}/").content
    pdf = _client(AUDITOR).get(f"/annual-reports/{CCI_2021}/{past.year}/export.pdf?language=de")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    xlsx = _client(MC).get(f"/annual-reports/{CCI_2021}/{past.year}/export.xlsx")
    assert xlsx.status_code == 200 and load_workbook(io.BytesIO(xlsx.content))
    exports_audited = AuditEntry.objects.filter(action="export", object_type="annual_reports.AnnualReport")
    assert exports_audited.count() == 2
    past.refresh_from_db()
    assert past.first_exported_at is not None


def test_the_api(demo: dict[str, AnnualReport]) -> None:
    current = demo["current"]
    client = _client(RA_OFFICER)
    listed = client.get(f"/api/v1/annual-reports?programme={CCI_2021}").json()
    assert [r["status"] for r in listed] == ["draft", "frozen"]
    one = client.get(f"/api/v1/annual-reports/{CCI_2021}/{current.year}").json()
    assert one["content"]["generated"]["tables"]["financial"][-1]["level"] == -1
    parts = {(p["section"], p["specific_objective"]): p for p in one["content"]["narrative"]}
    empty = [k for k, p in parts.items() if not p["text"]]
    for section, so in empty:
        answer = client.patch(
            f"/api/v1/annual-reports/{CCI_2021}/{current.year}/parts",
            data=json.dumps(
                {
                    "section": section,
                    "specific_objective": so,
                    "text": "By the API.",
                    "lock_version": parts[(section, so)]["lock_version"],
                }
            ),
            content_type="application/json",
        )
        assert answer.status_code == 200, answer.content
    submitted = client.post(
        f"/api/v1/annual-reports/{CCI_2021}/{current.year}/submit",
        data=json.dumps({"lock_version": one["lock_version"]}),
        content_type="application/json",
    )
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    refused = client.post(
        f"/api/v1/annual-reports/{CCI_2021}/{current.year}/decision",
        data=json.dumps(
            {
                "lock_version": submitted.json()["lock_version"],
                "decision": "approve",
                "meeting_date": dt.date.today().isoformat(),
                "reference": "MC",
            }
        ),
        content_type="application/json",
    )
    assert refused.status_code == 403  # the officer does not record the committee's decision
    decided = _client(MC).post(
        f"/api/v1/annual-reports/{CCI_2021}/{current.year}/decision",
        data=json.dumps(
            {
                "lock_version": submitted.json()["lock_version"],
                "decision": "approve",
                "meeting_date": dt.date.today().isoformat(),
                "reference": "MC 2026/3",
            }
        ),
        content_type="application/json",
    )
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    stale = client.post(
        f"/api/v1/annual-reports/{CCI_2021}/{current.year}/freeze",
        data=json.dumps({"lock_version": 1}),
        content_type="application/json",
    )
    assert stale.status_code == 409
    assert _client(DA).get("/api/v1/annual-reports").status_code == 403


def test_the_command_writes_xlsx_and_pdf(demo: dict[str, AnnualReport], tmp_path: Any) -> None:
    past = demo["past"]
    target = tmp_path / "report.xlsx"
    call_command("reports", "annual", CCI_2021, str(past.year), "--format", "xlsx", "-o", str(target))
    assert load_workbook(target).sheetnames[1] == "implementation"
    pdf = tmp_path / "report.pdf"
    call_command(
        "reports", "annual", CCI_2021, str(past.year), "--format", "pdf", "--language", "fr", "-o", str(pdf)
    )
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert AuditEntry.objects.filter(action="export", actor_label="command: reports annual").count() == 2
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("reports", "annual", CCI_2021, "2031", "-o", str(target))


def test_the_command_writes_to_standard_output(demo: dict[str, AnnualReport]) -> None:
    out = io.BytesIO()
    call_command("reports", "annual", CCI_2021, str(demo["current"].year), "--format", "xlsx", stdout=out)
    assert load_workbook(io.BytesIO(out.getvalue())).sheetnames[2] == "financial"


def test_the_report_page_speaks_the_readers_language(demo: dict[str, AnnualReport]) -> None:
    past = demo["past"]
    tables = (past.snapshot or {})["generated"]["tables"]
    paid = Decimal(next(r for r in tables["financial"] if r["level"] == -1)["planned"])
    assert paid > 1000  # a figure with thousands to group
    for language, title, amount in (
        (
            "fr",
            "Tableau financier par objectif spécifique",
            f"{paid:,.2f}".replace(",", "\u202f").replace(".", ","),
        ),
        (
            "nl",
            "Financiële tabel per specifieke doelstelling",
            f"{paid:,.2f}".replace(",", "_").replace(".", ",").replace("_", "."),
        ),
    ):
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        client.force_login(user(AUDITOR))
        page = client.get(f"/annual-reports/{CCI_2021}/{past.year}/").content.decode()
        assert title in page
        assert amount in page, (language, amount)
