"""Reports in the REST API: a project's reports, one report (narrative, activities, indicators), its
expenditure lines a page at a time, adding, changing and deleting a line, justifying a duplicate,
submitting and returning. The same services and checks as the pages: problems per field in a 400
(`extra.fields`), nothing saved. A report outside the caller's scope answers 404."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from amis.accounts.api_auth import AUTHENTICATED
from amis.accounts.permissions import require, roles_text
from amis.core.api_input import json_body_doc, parse_json
from amis.core.errors import ApplicationError
from amis.projects.scope import projects_for
from amis.reporting import selectors, services
from amis.reporting.models import ExpenditureLine, Report

router = Router(tags=["reports"])


class ReportOut(Schema):
    id: int
    project: str
    number: int
    kind: str
    period_start: str
    period_end: str
    due_date: str
    status: str
    round: int
    agreement_version: int | None
    progress: str
    activities: list[dict[str, Any]]
    indicators: list[dict[str, Any]]
    summary: list[dict[str, Any]]
    lock_version: int


class ReportPatchIn(Schema):
    lock_version: int
    progress: str | None = None
    activities: list[Any] | None = None
    indicators: dict[str, Any] | None = None


class LockIn(Schema):
    lock_version: int


class ReturnIn(Schema):
    lock_version: int
    comments: str


class JustifyIn(Schema):
    justification: str


class LineIn(Schema):
    """An expenditure line as sent: dates ISO (YYYY-MM-DD), amounts as strings ("1210.00") or numbers."""

    category: str | None = None
    cost_type: str | None = None
    supplier_name: str | None = None
    supplier_number: str | None = None
    invoice_number: str | None = None
    invoice_date: str | None = None
    payment_date: str | None = None
    description: str | None = None
    amount_excl_vat: str | None = None
    amount_incl_vat: str | None = None
    vat_recoverable: bool | None = None
    amount_declared: str | None = None
    units: str | None = None
    simplified_cost: str | None = None
    credit_note_for: str | None = None


class LineOut(Schema):
    id: int
    position: int
    category: str
    cost_type: str
    supplier_name: str
    supplier_number: str
    invoice_number: str
    invoice_date: str | None
    payment_date: str | None
    description: str
    amount_excl_vat: str | None
    amount_incl_vat: str | None
    vat_recoverable: bool
    amount_declared: str
    units: str | None
    unit_cost: str | None
    simplified_cost: str
    credit_note_for: str
    document_sha256: str | None
    duplicate_of: dict[str, Any] | None
    duplicate_justification: str


class LineSavedOut(Schema):
    line: LineOut
    warnings: dict[str, str]


class LinePageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[LineOut]


def _text(value: Any) -> str | None:
    return None if value is None else (value.isoformat() if hasattr(value, "isoformat") else str(value))


def _line_out(line: ExpenditureLine) -> dict[str, Any]:
    other = line.duplicate_of
    return {
        "id": line.pk,
        "position": line.position,
        "category": line.category,
        "cost_type": line.cost_type,
        "supplier_name": line.supplier_name,
        "supplier_number": line.supplier_number,
        "invoice_number": line.invoice_number,
        "invoice_date": _text(line.invoice_date),
        "payment_date": _text(line.payment_date),
        "description": line.description,
        "amount_excl_vat": _text(line.amount_excl_vat),
        "amount_incl_vat": _text(line.amount_incl_vat),
        "vat_recoverable": line.vat_recoverable,
        "amount_declared": str(line.amount_declared),
        "units": _text(line.units),
        "unit_cost": _text(line.unit_cost),
        "simplified_cost": line.simplified_cost,
        "credit_note_for": line.credit_note_for,
        "document_sha256": line.document.sha256 if line.document_id and line.document else None,
        "duplicate_of": (
            {
                "line": other.pk,
                "position": other.position,
                "report": other.report.number,
                "project": other.report.project.reference,
            }
            if other is not None
            else None
        ),
        "duplicate_justification": line.duplicate_justification,
    }


def _report_out(report: Report) -> dict[str, Any]:
    return {
        "id": report.pk,
        "project": report.project.reference,
        "number": report.number,
        "kind": report.kind,
        "period_start": report.period_start.isoformat(),
        "period_end": report.period_end.isoformat(),
        "due_date": report.due_date.isoformat(),
        "status": report.status,
        "round": report.round,
        "agreement_version": report.agreement_version.number if report.agreement_version else None,
        "progress": report.progress,
        "activities": report.activities,
        "indicators": [
            {
                "code": row["code"],
                "target": row["target"],
                "value": _text(row["value"]),
                "comment": row["comment"],
                "breakdown": {b["key"]: b["value"] for b in row["breakdowns"] if b["value"] is not None},
            }
            for row in selectors.indicator_rows(report, selectors.report_terms(report))
        ],
        "summary": [
            {k: (str(v) if k not in ("category", "total") else v) for k, v in row.items()}
            for row in selectors.report_summary(report)
        ],
        "lock_version": report.lock_version,
    }


def report_visible_or_404(request: HttpRequest, report_id: int) -> Report:
    report = (
        selectors.reports_for(request.user)
        .select_related("project__organisation", "project__application__call", "agreement_version")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise Http404(f"No report {report_id}.")
    return report


def _line_or_404(report: Report, line_id: int) -> ExpenditureLine:
    line = selectors.report_lines(report).filter(pk=line_id).first()
    if line is None:
        raise Http404(f"No line {line_id} in report {report.pk}.")
    return line


def _lock(document: dict[str, Any]) -> int:
    lock = document.get("lock_version")
    if not isinstance(lock, int) or isinstance(lock, bool):
        raise ApplicationError(
            "Give the lock_version you read (a whole number).",
            code="bad_request",
            extra={"fields": {"lock_version": "required"}},
        )
    return lock


def _object(request: HttpRequest) -> dict[str, Any]:
    document = parse_json(request.body)
    if not isinstance(document, dict):
        raise ApplicationError("The request body is a JSON object.", code="bad_request")
    return document


@router.get(
    "/projects/{reference}/reports",
    response=list[ReportOut],
    auth=AUTHENTICATED,
    summary="A project's reports (interim and final, in order)",
    description=roles_text("project.view") + " A delegated officer: the projects of their part only.",
)
def project_reports(request: HttpRequest, reference: str) -> list[dict[str, Any]]:
    project = projects_for(request.user).filter(reference=reference).first()
    if project is None:
        raise Http404(f"No project {reference}.")
    require(request.user, "project.view", project.organisation)
    reports = Report.objects.filter(project=project).select_related("project", "agreement_version")
    return [_report_out(r) for r in reports.order_by("number")]


@router.get(
    "/reports/{report_id}",
    response=ReportOut,
    auth=AUTHENTICATED,
    summary="One report",
    description=roles_text("project.view"),
)
def get_report(request: HttpRequest, report_id: int) -> dict[str, Any]:
    return _report_out(report_visible_or_404(request, report_id))


@router.patch(
    "/reports/{report_id}",
    response=ReportOut,
    auth=AUTHENTICATED,
    summary="Save the progress, the progress per activity and the indicators",
    description=roles_text("report.edit")
    + " `activities`: [{activity, progress}] (the agreement's activities); `indicators`: {code: {value, "
    "breakdown: {key: value}, comment}}. Keys left out are left as they are.",
    openapi_extra=json_body_doc(ReportPatchIn),
)
def patch_report(request: HttpRequest, report_id: int) -> dict[str, Any]:
    report = report_visible_or_404(request, report_id)
    require(request.user, "report.edit", report.project.organisation)
    document = _object(request)
    data: dict[str, Any] = {k: document[k] for k in ("progress", "activities", "indicators") if k in document}
    saved = services.report_update(
        actor=request.user, report=report, expected_lock_version=_lock(document), data=data
    )
    return _report_out(report_visible_or_404(request, saved.pk))


@router.get(
    "/reports/{report_id}/lines",
    response=LinePageOut,
    auth=AUTHENTICATED,
    summary="A report's expenditure lines, a page at a time (in order)",
    description=roles_text("project.view") + " Pages: `limit` (at most 500) and `offset`.",
)
def list_lines(request: HttpRequest, report_id: int, limit: int = 100, offset: int = 0) -> dict[str, Any]:
    if not 1 <= limit <= 500 or offset < 0:
        raise ApplicationError("limit is 1 to 500 and offset 0 or more.", code="bad_request")
    report = report_visible_or_404(request, report_id)
    lines = selectors.report_lines(report)
    return {
        "count": selectors.line_counts(report)["lines"],
        "limit": limit,
        "offset": offset,
        "items": [_line_out(line) for line in lines[offset : offset + limit]],
    }


@router.post(
    "/reports/{report_id}/lines",
    response={201: LineSavedOut},
    auth=AUTHENTICATED,
    summary="Add an expenditure line",
    description=roles_text("report.edit")
    + " Fields as in the answer (dates ISO, amounts as strings or numbers). Checked like a typed or "
    "imported line: problems per field in a 400, nothing saved; warnings kept and returned.",
    openapi_extra=json_body_doc(LineIn),
)
def add_line(request: HttpRequest, report_id: int) -> Status[dict[str, Any]]:
    report = report_visible_or_404(request, report_id)
    require(request.user, "report.edit", report.project.organisation)
    line, warnings = services.line_add(actor=request.user, report=report, data=_object(request))
    return Status(201, {"line": _line_out(_line_or_404(report, line.pk)), "warnings": warnings})


@router.patch(
    "/reports/{report_id}/lines/{line_id}",
    response=LineSavedOut,
    auth=AUTHENTICATED,
    summary="Change an expenditure line (the fields given; the others as they are)",
    description=roles_text("report.edit"),
    openapi_extra=json_body_doc(LineIn),
)
def patch_line(request: HttpRequest, report_id: int, line_id: int) -> dict[str, Any]:
    report = report_visible_or_404(request, report_id)
    require(request.user, "report.edit", report.project.organisation)
    line = _line_or_404(report, line_id)
    data: dict[str, Any] = {name: getattr(line, name) for name in services.LINE_FIELDS}
    if line.cost_type != "real":
        data["amount_declared"] = None  # computed again from the units
    data.update(_object(request))
    saved, warnings = services.line_update(actor=request.user, line=line, data=data)
    return {"line": _line_out(_line_or_404(report, saved.pk)), "warnings": warnings}


@router.delete(
    "/reports/{report_id}/lines/{line_id}",
    response={204: None},
    auth=AUTHENTICATED,
    summary="Delete an expenditure line",
    description=roles_text("report.edit"),
)
def delete_line(request: HttpRequest, report_id: int, line_id: int) -> Status[None]:
    report = report_visible_or_404(request, report_id)
    require(request.user, "report.edit", report.project.organisation)
    services.line_delete(actor=request.user, line=_line_or_404(report, line_id))
    return Status(204, None)


@router.post(
    "/reports/{report_id}/lines/{line_id}/justify",
    response=LineOut,
    auth=AUTHENTICATED,
    summary="Justify an invoice declared before",
    description=roles_text("report.edit"),
    openapi_extra=json_body_doc(JustifyIn),
)
def justify_line(request: HttpRequest, report_id: int, line_id: int) -> dict[str, Any]:
    report = report_visible_or_404(request, report_id)
    require(request.user, "report.edit", report.project.organisation)
    line = _line_or_404(report, line_id)
    text = _object(request).get("justification", "")
    services.duplicate_justify(
        actor=request.user, line=line, justification=text if isinstance(text, str) else ""
    )
    return _line_out(_line_or_404(report, line.pk))


@router.post(
    "/reports/{report_id}/submit",
    response=ReportOut,
    auth=AUTHENTICATED,
    summary="Submit the report (a new round; the receipt is e-mailed)",
    description=roles_text("report.edit"),
    openapi_extra=json_body_doc(LockIn),
)
def submit_report(request: HttpRequest, report_id: int) -> dict[str, Any]:
    report = report_visible_or_404(request, report_id)
    require(request.user, "report.edit", report.project.organisation)
    services.report_submit(actor=request.user, report=report, expected_lock_version=_lock(_object(request)))
    return _report_out(report_visible_or_404(request, report_id))


@router.post(
    "/reports/{report_id}/return",
    response=ReportOut,
    auth=AUTHENTICATED,
    summary="Return a submitted report to the beneficiary with comments",
    description=roles_text("report.review"),
    openapi_extra=json_body_doc(ReturnIn),
)
def return_report(request: HttpRequest, report_id: int) -> dict[str, Any]:
    report = report_visible_or_404(request, report_id)
    require(request.user, "report.review")
    document = _object(request)
    comments = document.get("comments", "")
    services.report_return(
        actor=request.user,
        report=report,
        expected_lock_version=_lock(document),
        comments=comments if isinstance(comments, str) else "",
    )
    return _report_out(report_visible_or_404(request, report_id))
