"""Pages of the expenditure import: the template downloads, the upload page with the earlier imports,
the progress page (an HTMX-polled progress bar, a plain refresh link without JavaScript, the cancel
button, the first 50 errors) and every error as CSV or XLSX."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from amis.accounts.permissions import check
from amis.core.errors import ApplicationError
from amis.core.http import error_message, error_status
from amis.core.spreadsheet import csv_row, xlsx_append
from amis.projects.scope import require_project
from amis.reporting.imports import parse, services, template
from amis.reporting.models import ExpenditureImport, Report

SHOWN_ERRORS = 50
SHOWN_LINES = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def report_or_404(request: HttpRequest, report_id: int, action: str = "project.view") -> Report:
    """The report, if this person may do `action` on its project (refusals audited, 403)."""
    report = get_object_or_404(
        Report.objects.select_related("project__organisation", "project__application__call"), pk=report_id
    )
    require_project(request.user, report.project, action)
    return report


def import_or_404(report: Report, import_id: int) -> ExpenditureImport:
    imp = ExpenditureImport.objects.filter(report=report, pk=import_id).select_related("created_by").first()
    if imp is None:
        raise Http404(_("No such import."))
    return imp


def _may_edit(request: HttpRequest, report: Report) -> bool:
    return (
        check(request.user, "report.edit", report.project.organisation).allowed
        and report.status in services.EDITABLE
    )


@login_required
def template_download(request: HttpRequest, report_id: int, extension: str) -> HttpResponse:
    report = report_or_404(request, report_id)
    name = template.content_disposition(report, extension)["filename"]
    if extension == "xlsx":
        response = HttpResponse(template.template_xlsx(report), content_type=XLSX)
    else:
        response = HttpResponse(template.template_csv(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _page(request: HttpRequest, report: Report, status: int = 200, **extra: Any) -> HttpResponse:
    context = {
        "report": report,
        "project": report.project,
        "imports": report.imports.select_related("created_by").order_by("-created_at")[:20],
        "may_edit": _may_edit(request, report),
        "formats": [
            ("", _("as the file's language says (Dutch, French, German: 1.234,56; English: 1,234.56)")),
            (parse.COMMA, parse.format_label(parse.COMMA)),
            (parse.POINT, parse.format_label(parse.POINT)),
        ],
        "number_format": "",
    } | extra
    return render(request, "reporting/import_upload.html", context, status=status)


@login_required
def import_page(request: HttpRequest, report_id: int) -> HttpResponse:
    if request.method != "POST":
        return _page(request, report_or_404(request, report_id))
    report = report_or_404(request, report_id, "report.edit")
    number_format = request.POST.get("number_format", "")
    try:
        imp = services.import_start(
            actor=request.user,
            report=report,
            upload=request.FILES.get("file"),
            number_format=number_format,
            language=translation.get_language() or "en",
        )
    except (ApplicationError, PermissionDenied) as error:
        return _page(
            request, report, error_status(error), error=error_message(error), number_format=number_format
        )
    return redirect("expenditure_import:progress", report.pk, imp.pk)


@login_required
def import_progress(request: HttpRequest, report_id: int, import_id: int) -> HttpResponse:
    report = report_or_404(request, report_id)
    imp = import_or_404(report, import_id)
    running = imp.status in (ExpenditureImport.Status.QUEUED, ExpenditureImport.Status.RUNNING)
    context = {
        "report": report,
        "project": report.project,
        "imp": imp,
        "running": running,
        "may_edit": _may_edit(request, report),
        "errors": imp.errors[:SHOWN_ERRORS],
        "more_errors": max(0, len(imp.errors) - SHOWN_ERRORS),
        "warnings": imp.warnings[:SHOWN_ERRORS],
        "more_warnings": max(0, len(imp.warnings) - SHOWN_ERRORS),
        "percent": _percent(imp),
        "lines": (
            imp.lines.order_by("position")[:SHOWN_LINES]
            if imp.status == ExpenditureImport.Status.DONE
            else []
        ),
    }
    if request.headers.get("HX-Request") == "true":
        return render(request, "reporting/_import_status.html", context)
    return render(request, "reporting/import_progress.html", context)


def _percent(imp: ExpenditureImport) -> int:
    if imp.status == ExpenditureImport.Status.DONE:
        return 100
    if not imp.rows_total:
        return 0
    return min(100, imp.rows_done * 100 // imp.rows_total)


@login_required
@require_POST
def import_cancel(request: HttpRequest, report_id: int, import_id: int) -> HttpResponse:
    report = report_or_404(request, report_id, "report.edit")
    imp = import_or_404(report, import_id)
    try:
        services.import_cancel(actor=request.user, imp=imp)
    except ApplicationError as error:
        return HttpResponse(error_message(error), status=error_status(error), content_type="text/plain")
    return redirect("expenditure_import:progress", report.pk, imp.pk)


def _problem_rows(imp: ExpenditureImport) -> list[list[Any]]:
    kinds = [(_("error"), imp.errors), (_("warning"), imp.warnings)]
    return [
        [kind, "" if e.get("row") is None else e["row"], e.get("column", ""), e.get("message", "")]
        for kind, problems in kinds
        for e in problems
    ]


@login_required
def import_errors(request: HttpRequest, report_id: int, import_id: int, extension: str) -> HttpResponse:
    """Every error and warning of an import (the page shows the first 50)."""
    report = report_or_404(request, report_id)
    imp = import_or_404(report, import_id)
    header = [_("Kind"), _("Row"), _("Column"), _("Message")]
    filename = f"import-{imp.pk}-errors.{extension}"
    if extension == "csv":
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(header)
        for row in _problem_rows(imp):
            writer.writerow(csv_row(row))
        response = HttpResponse(("\ufeff" + out.getvalue()).encode(), content_type="text/csv; charset=utf-8")
    else:
        book = Workbook(write_only=True)
        sheet = book.create_sheet(_("Errors")[:31])
        xlsx_append(sheet, header)
        for row in _problem_rows(imp):
            xlsx_append(sheet, row)
        data = io.BytesIO()
        book.save(data)
        response = HttpResponse(data.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
