"""The expenditure import in the REST API: upload a file (the worker imports it), follow it (status,
progress, every error), cancel it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from amis.accounts.api_auth import AUTHENTICATED
from amis.accounts.permissions import roles_text
from amis.core.api_input import FILE, multipart_doc
from amis.projects.scope import require_project
from amis.reporting.imports import services
from amis.reporting.models import ExpenditureImport, Report

router = Router(tags=["expenditure import"])


class ProblemOut(Schema):
    row: int | None
    column: str
    field: str
    message: str


class ImportOut(Schema):
    id: int
    report: int
    name: str
    sha256: str
    status: str
    rows_total: int | None
    rows_done: int
    lines_created: int
    cancel_requested: bool
    created_at: str
    finished_at: str | None
    errors: list[ProblemOut]
    warnings: list[ProblemOut]


def _report(request: HttpRequest, report_id: int, action: str) -> Report:
    report = get_object_or_404(
        Report.objects.select_related("project__organisation", "project__application__call"), pk=report_id
    )
    require_project(request.user, report.project, action)
    return report


def _problems(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "row": p.get("row"),
            "column": str(p.get("column", "")),
            "field": str(p.get("field", "")),
            "message": str(p.get("message", "")),
        }
        for p in items
    ]


def _out(imp: ExpenditureImport) -> dict[str, Any]:
    return {
        "id": imp.pk,
        "report": imp.report_id,
        "name": imp.name,
        "sha256": imp.sha256,
        "status": imp.status,
        "rows_total": imp.rows_total,
        "rows_done": imp.rows_done,
        "lines_created": imp.lines_created,
        "cancel_requested": imp.cancel_requested,
        "created_at": imp.created_at.isoformat(),
        "finished_at": imp.finished_at.isoformat() if imp.finished_at else None,
        "errors": _problems(imp.errors),
        "warnings": _problems(imp.warnings),
    }


UPLOAD = multipart_doc(
    ["file"],
    {
        "file": FILE,
        "number_format": {
            "type": "string",
            "enum": ["", "comma", "point"],
            "description": "how numbers written as text are read: comma (1.234,56), point (1,234.56), "
            "or empty: the file's language",
        },
    },
)


@router.post(
    "/reports/{report_id}/imports",
    response={202: ImportOut},
    auth=AUTHENTICATED,
    summary="Import expenditure lines from a CSV or XLSX file (queued; follow it with GET)",
    description=roles_text("report.edit")
    + " The file is checked row by row by the worker; nothing is saved unless every row is valid.",
    openapi_extra=UPLOAD,
)
def start_import(request: HttpRequest, report_id: int) -> Status[dict[str, Any]]:
    report = _report(request, report_id, "report.edit")
    imp = services.import_start(
        actor=request.user,
        report=report,
        upload=request.FILES.get("file"),
        number_format=request.POST.get("number_format", ""),
        language=getattr(request, "LANGUAGE_CODE", "en"),
    )
    return Status(202, _out(imp))


@router.get(
    "/reports/{report_id}/imports/{import_id}",
    response=ImportOut,
    auth=AUTHENTICATED,
    summary="An import: status, progress and every error (row, column, message)",
    description=roles_text("project.view"),
)
def get_import(request: HttpRequest, report_id: int, import_id: int) -> dict[str, Any]:
    report = _report(request, report_id, "project.view")
    return _out(get_object_or_404(ExpenditureImport, report=report, pk=import_id))


@router.post(
    "/reports/{report_id}/imports/{import_id}/cancel",
    response=ImportOut,
    auth=AUTHENTICATED,
    summary="Cancel an import that is waiting or running (nothing is saved)",
    description=roles_text("report.edit"),
)
def cancel_import(request: HttpRequest, report_id: int, import_id: int) -> dict[str, Any]:
    report = _report(request, report_id, "report.edit")
    imp = get_object_or_404(
        ExpenditureImport.objects.select_related("report__project"), report=report, pk=import_id
    )
    return _out(services.import_cancel(actor=request.user, imp=imp))
