"""Importing expenditure lines from CSV and XLSX: every row checked with the one rule, all errors
kept with row and column, nothing saved unless the whole file is valid, cancel, the template's
round trip, the scope of the beneficiary, COPY on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import translation
from openpyxl import Workbook, load_workbook

from amis.core.errors import ApplicationError
from amis.core.models import AuditEntry
from amis.projects.tests.builders import CARITAS, REDCROSS, selected_project, signed_agreement, user
from amis.reporting.imports import run as run_module
from amis.reporting.imports import services
from amis.reporting.imports.parse import COLUMNS
from amis.reporting.imports.template import template_csv, template_xlsx
from amis.reporting.models import ExpenditureImport, ExpenditureLine, Report

pytestmark = pytest.mark.django_db

HEADER = ";".join(COLUMNS)


@pytest.fixture
def report(belgian: object) -> Report:
    project = selected_project(code="FL-IMPORT-1")
    signed_agreement(project)
    return Report.objects.get(project=project, number=1)


def year(report: Report) -> int:
    return (report.agreement_version or report.project.agreement.versions.get(number=1)).eligible_start.year


def csv_line(y: int, n: int, **changes: str) -> str:
    values = {
        "category": "travel",
        "cost_type": "",
        "supplier_name": "NMBS",
        "supplier_number": "BE 0203.430.576",
        "invoice_number": f"F-{n}",
        "invoice_date": f"15/03/{y}",
        "payment_date": f"{y}-03-20",
        "description": "Train tickets",
        "amount_excl_vat": "100,00",
        "amount_incl_vat": "1.121,00",
        "vat_recoverable": "nee",
        "amount_declared": "1.121,00",
        "units": "",
        "simplified_cost": "",
        "credit_note_for": "",
        "document_name": f"invoice-{n}.pdf",
    }
    values.update(changes)
    return ";".join(values[c] for c in COLUMNS)


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def run(
    report: Report, name: str, data: bytes, number_format: str = "", who: str = CARITAS
) -> ExpenditureImport:
    imp = services.import_start(
        actor=user(who), report=report, upload=upload(name, data), number_format=number_format
    )
    result = services.import_run(imp.pk, number_format, "en")
    assert result is not None
    return result


def test_a_valid_csv_is_imported_in_one_go_after_the_existing_lines(report: Report) -> None:
    y = year(report)
    rows = [csv_line(y, n) for n in range(1, 4)]
    data = ("\ufeff" + "\r\n".join([HEADER, *rows]) + "\r\n").encode()
    audit_before = AuditEntry.objects.count()
    lock = report.lock_version
    imp = run(report, "lines.csv", data)
    assert imp.status == ExpenditureImport.Status.DONE, imp.errors
    assert imp.lines_created == 3 and imp.rows_done == 3
    lines = list(ExpenditureLine.objects.filter(report=report).order_by("position"))
    assert [line.position for line in lines] == [1, 2, 3]
    first = lines[0]
    assert first.amount_declared == Decimal("1121.00")
    assert first.amount_incl_vat == Decimal("1121.00") and first.amount_excl_vat == Decimal("100.00")
    assert first.supplier_number == "BE0203430576" and first.supplier_key == "0203430576"
    assert first.invoice_date == dt.date(y, 3, 15) and first.payment_date == dt.date(y, 3, 20)
    assert first.source_import_id == imp.pk and first.vat_recoverable is False
    report.refresh_from_db()
    assert report.lock_version == lock + 1
    entries = AuditEntry.objects.filter(pk__gt=0).order_by("pk")[audit_before:]
    imported = [e for e in entries if e.action == "import"]
    assert len(imported) == 1
    after = imported[0].after or {}
    assert after["lines_created"] == 3 and after["sha256"] == imp.sha256
    # a second file is appended after the first one's lines
    again = run(report, "more.csv", ("\r\n".join([HEADER, csv_line(y, 9)]) + "\r\n").encode())
    assert again.status == ExpenditureImport.Status.DONE
    assert list(ExpenditureLine.objects.filter(source_import=again).values_list("position", flat=True)) == [4]


def test_one_bad_row_fails_the_file_naming_row_and_column_and_nothing_is_saved(report: Report) -> None:
    y = year(report)
    rows = [csv_line(y, 1), csv_line(y, 2, invoice_date=f"15/03/{y - 5}"), csv_line(y, 3)]
    imp = run(report, "lines.csv", ("\r\n".join([HEADER, *rows])).encode())
    assert imp.status == ExpenditureImport.Status.FAILED
    assert [(e["row"], e["column"]) for e in imp.errors] == [(3, "invoice_date")]
    assert "outside the eligibility period" in imp.errors[0]["message"]
    assert not ExpenditureLine.objects.filter(report=report).exists()


def test_every_error_is_kept(report: Report) -> None:
    y = year(report)
    rows = [csv_line(y, n, amount_declared="12,3,4" if n % 3 == 0 else "10,00") for n in range(1, 1300)]
    imp = run(report, "lines.csv", ("\n".join([HEADER, *rows])).encode())
    assert imp.status == ExpenditureImport.Status.FAILED
    assert len(imp.errors) == 433
    assert {e["column"] for e in imp.errors} == {"amount_declared"}
    assert imp.errors[0]["row"] == 4 and "decimal comma" in imp.errors[0]["message"]
    assert not ExpenditureLine.objects.exists()


def test_belgian_number_and_date_formats_comma_separator_and_point_format(report: Report) -> None:
    y = year(report)
    rows = [
        csv_line(y, 1, amount_incl_vat="1 234,56", amount_declared="1.234,56", invoice_date=f"31.12.{y}"),
        csv_line(
            y, 2, amount_incl_vat="\u00a01\u202f000,5", amount_declared="1000,50", invoice_date=f"{y}-01-01"
        ),
    ]
    imp = run(report, "be.csv", ("\n".join([HEADER, *rows])).encode())
    assert imp.status == ExpenditureImport.Status.DONE, imp.errors
    assert sorted(ExpenditureLine.objects.values_list("amount_declared", flat=True)) == [
        Decimal("1000.50"),
        Decimal("1234.56"),
    ]
    # a comma-separated file in the point format (chosen by the uploader)
    header = ",".join(COLUMNS)
    line = csv_line(
        y, 3, amount_incl_vat='"1,234.56"', amount_declared="1234.56", amount_excl_vat=""
    ).replace(";", ",")
    imp = run(report, "en.csv", f"{header}\n{line}\n".encode(), number_format="point")
    assert imp.status == ExpenditureImport.Status.DONE, imp.errors
    assert ExpenditureLine.objects.get(source_import=imp).amount_incl_vat == Decimal("1234.56")


def test_the_remaining_budget_counts_the_lines_of_the_file_so_far(report: Report) -> None:
    y = year(report)  # travel: 20,000 over the whole project
    rows = [
        csv_line(y, n, amount_excl_vat="", amount_incl_vat="9.000,00", amount_declared="9.000,00")
        for n in (1, 2, 3)
    ]
    imp = run(report, "big.csv", ("\n".join([HEADER, *rows])).encode())
    assert imp.status == ExpenditureImport.Status.DONE, imp.errors
    assert [(w["row"], w["column"]) for w in imp.warnings] == [(4, "amount_declared")]


def test_cancel_while_waiting_and_while_running(report: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    y = year(report)
    data = ("\n".join([HEADER, *(csv_line(y, n) for n in range(1, 30))])).encode()
    imp = services.import_start(actor=user(CARITAS), report=report, upload=upload("a.csv", data))
    imp = services.import_cancel(actor=user(CARITAS), imp=imp)
    assert imp.status == ExpenditureImport.Status.CANCELLED
    services.import_run(imp.pk)  # the queued task finds it cancelled and does nothing
    assert not ExpenditureLine.objects.exists()

    monkeypatch.setattr(run_module, "PROGRESS_EVERY", 10)
    imp = services.import_start(actor=user(CARITAS), report=report, upload=upload("b.csv", data))
    ExpenditureImport.objects.filter(pk=imp.pk).update(cancel_requested=True)  # asked while it runs
    done = services.import_run(imp.pk)
    assert done is not None and done.status == ExpenditureImport.Status.CANCELLED
    assert done.rows_done == 0 and not ExpenditureLine.objects.exists()  # stopped at its first check
    with pytest.raises(ApplicationError):
        services.import_cancel(actor=user(CARITAS), imp=done)


def test_template_round_trip_xlsx(report: Report) -> None:
    with translation.override("fr"):
        data = template_xlsx(report)
    book = load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[2]] == list(COLUMNS)
    assert "lists" in book.sheetnames and "amis" in book.sheetnames
    ranges = {str(dv.sqref).split(":")[0] for dv in sheet.data_validations.dataValidation}
    assert {"A3", "B3", "F3", "G3", "I3", "K3"} <= ranges  # category, type, dates, amounts, VAT
    y = year(report)
    for n in range(1, 4):
        sheet.append(
            [
                "staff",
                "",
                "Interim BV",
                "0403.170.701",
                f"INV {n}",
                dt.date(y, 5, n),
                None,
                "Coach",
                1000,
                1210,
                "non",
                1000.5,
            ]
        )
    out = io.BytesIO()
    book.save(out)
    imp = run(report, "filled.xlsx", out.getvalue())
    assert imp.status == ExpenditureImport.Status.DONE, imp.errors
    lines = list(ExpenditureLine.objects.filter(report=report).order_by("position"))
    assert [(line.position, line.invoice_number, line.amount_declared) for line in lines] == [
        (1, "INV 1", Decimal("1000.50")),
        (2, "INV 2", Decimal("1000.50")),
        (3, "INV 3", Decimal("1000.50")),
    ]
    assert lines[0].invoice_date == dt.date(y, 5, 1)


def test_xlsx_without_the_template_and_csv_template(report: Report) -> None:
    y = year(report)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Cost category", "Supplier", "Invoice number", "Invoice date", "Amount declared", "notes"])
    sheet.append(["other", "Drukkerij", 12345, f"01/02/{y}", "250,5"])
    sheet.append(["other", "Drukkerij", 12346, dt.datetime(y, 2, 2), 99])
    out = io.BytesIO()
    book.save(out)
    imp = run(report, "plain.xlsx", out.getvalue(), number_format="comma")
    assert imp.status == ExpenditureImport.Status.DONE, imp.errors
    assert sorted(ExpenditureLine.objects.values_list("invoice_number", "amount_declared")) == [
        ("12345", Decimal("250.50")),
        ("12346", Decimal("99.00")),
    ]
    text = template_csv(report).decode("utf-8")
    assert text.startswith("\ufeff") and text.splitlines()[1] == HEADER


def test_another_organisations_beneficiary_and_submitted_reports_are_refused(report: Report) -> None:
    with pytest.raises(PermissionDenied):
        services.import_start(actor=user(REDCROSS), report=report, upload=upload("a.csv", b"category\n"))
    Report.objects.filter(pk=report.pk).update(status=Report.Status.SUBMITTED)
    report.refresh_from_db()
    with pytest.raises(ApplicationError):
        services.import_start(actor=user(CARITAS), report=report, upload=upload("a.csv", b"category\n"))
    assert not ExpenditureImport.objects.exists()


def test_files_that_cannot_be_read_fail_with_a_message(report: Report) -> None:
    with pytest.raises(ApplicationError):
        services.import_start(actor=user(CARITAS), report=report, upload=upload("a.csv", b"\xff\xfe\x00x"))
    with pytest.raises(ApplicationError):
        services.import_start(actor=user(CARITAS), report=report, upload=upload("a.xlsx", b"not a zip"))
    imp = run(report, "a.csv", b"what;ever\n1;2\n")
    assert imp.status == ExpenditureImport.Status.FAILED
    assert imp.errors[0]["row"] is None and "header" in imp.errors[0]["message"]
    broken = run(report, "b.xlsx", b"PK\x03\x04 broken")
    assert broken.status == ExpenditureImport.Status.FAILED and "Excel" in broken.errors[0]["message"]


def test_the_same_invoice_twice_is_flagged(report: Report) -> None:
    y = year(report)
    rows = [csv_line(y, 1), csv_line(y, 1, description="again"), csv_line(y, 2)]
    imp = run(report, "dup.csv", ("\n".join([HEADER, *rows])).encode())
    assert imp.status == ExpenditureImport.Status.DONE, imp.errors
    first, second, third = ExpenditureLine.objects.filter(report=report).order_by("position")
    assert (
        first.duplicate_of_id is None and second.duplicate_of_id == first.pk and third.duplicate_of_id is None
    )
    # another file with the same invoice (other amount, same date) is flagged too
    imp = run(report, "dup2.csv", ("\n".join([HEADER, csv_line(y, 2, amount_declared="5,00")])).encode())
    assert ExpenditureLine.objects.get(source_import=imp).duplicate_of_id == third.pk


def test_the_worker_runs_the_queued_import(
    report: Report, django_capture_on_commit_callbacks: Any, run_worker: Callable[[], None]
) -> None:
    y = year(report)
    with django_capture_on_commit_callbacks(execute=True):
        imp = services.import_start(
            actor=user(CARITAS),
            report=report,
            upload=upload("w.csv", f"{HEADER}\n{csv_line(y, 1)}\n".encode()),
        )
    run_worker()
    imp.refresh_from_db()
    assert imp.status == ExpenditureImport.Status.DONE and imp.lines_created == 1


def test_postgresql_copy_or_bulk_create(report: Report) -> None:
    """The same import on both databases: COPY on PostgreSQL, bulk_create elsewhere (run with
    DATABASE_URL set to exercise COPY)."""
    y = year(report)
    tricky = "tab\there \\ back\nslash"
    rows = [csv_line(y, n, description=f'"{tricky}"' if n == 1 else "x") for n in range(1, 12)]
    imp = run(report, "copy.csv", ("\n".join([HEADER, *rows])).encode())
    assert imp.status == ExpenditureImport.Status.DONE, imp.errors
    assert ExpenditureLine.objects.get(report=report, position=1).description == tricky
    assert ExpenditureLine.objects.filter(report=report).count() == 11
    assert connection.vendor in ("postgresql", "sqlite")


def test_a_report_submitted_while_the_file_waits_is_not_imported_into(report: Report) -> None:
    y = year(report)
    imp = services.import_start(
        actor=user(CARITAS),
        report=report,
        upload=upload("late.csv", f"{HEADER}\n{csv_line(y, 1)}\n".encode()),
    )
    Report.objects.filter(pk=report.pk).update(status=Report.Status.SUBMITTED)
    done = services.import_run(imp.pk)
    assert done is not None and done.status == ExpenditureImport.Status.FAILED
    assert "only before it is submitted" in done.errors[0]["message"]
    assert not ExpenditureLine.objects.exists()


def test_errors_and_the_template_in_the_readers_language(report: Report) -> None:
    y = year(report)
    data = f"{HEADER}\n{csv_line(y, 1, invoice_date='x')}\n".encode()
    imp = services.import_start(
        actor=user(CARITAS), report=report, upload=upload("fr.csv", data), language="fr"
    )
    with translation.override("fr"):
        done = services.import_run(imp.pk, "", "fr")
        header = load_workbook(io.BytesIO(template_xlsx(report))).worksheets[0]["F1"].value
    assert done is not None and done.errors[0]["message"].startswith("« x » n'est pas une date")
    assert header == "Date de la facture"


def test_the_same_invoice_in_another_project_of_the_beneficiary_is_flagged(report: Report) -> None:
    other_project = selected_project(code="FL-IMPORT-2")
    signed_agreement(other_project)
    other = Report.objects.get(project=other_project, number=1)
    y = year(report)
    first = run(report, "a.csv", f"{HEADER}\n{csv_line(y, 7)}\n".encode())
    second = run(other, "b.csv", f"{HEADER}\n{csv_line(y, 7)}\n{csv_line(y, 8)}\n".encode())
    original = ExpenditureLine.objects.get(source_import=first)
    again, new = ExpenditureLine.objects.filter(source_import=second).order_by("position")
    assert again.duplicate_of_id == original.pk and new.duplicate_of_id is None
    assert original.duplicate_of_id is None  # the first declaration stays unflagged
