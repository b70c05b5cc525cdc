"""Applications in the REST API: the list a caller may see (a page at a time), one application with
its snapshot, starting, saving, submitting and withdrawing a draft, and its documents."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from amis.accounts.api_auth import AUTHENTICATED
from amis.accounts.permissions import check, require, roles_text
from amis.applications import selectors, services
from amis.applications.models import Application, BudgetLine
from amis.calls.api import call_visible_or_404
from amis.core import uploads
from amis.core.api_input import FILE, body, json_body_doc, multipart_doc
from amis.core.errors import ApplicationError
from amis.core.money import cents
from amis.organisations.models import Organisation

router = Router(tags=["applications"])


class ApplicationCreateIn(Schema):
    organisation: int
    title: str


class ApplicationOut(Schema):
    reference: str
    call: str
    organisation: str
    status: str
    title: str
    summary: str
    description: str
    actions: list[int]
    target_groups: list[str]
    expected_participants: int | None
    vulnerable_participants: int | None
    unaccompanied_minors: int | None
    activities: list[dict[str, Any]]
    partners: list[dict[str, Any]]
    planned_indicators: dict[str, Any]
    indirect_rate: str
    budget: list[dict[str, Any]]
    start_date: str | None
    end_date: str | None
    direct_costs: str
    indirect_costs: str
    total_cost: str
    funding: dict[str, str]
    lock_version: int
    submitted_at: str | None
    snapshot: dict[str, Any] | None


class ApplicationPatchIn(Schema):
    lock_version: int
    data: dict[str, Any]


class LockIn(Schema):
    lock_version: int


def _application_out(app: Application) -> dict[str, Any]:
    budget = selectors.application_budget(app)
    return {
        "reference": app.reference,
        "call": app.call.code,
        "organisation": app.organisation.name,
        "status": app.status,
        "title": app.title,
        "summary": app.summary,
        "description": app.description,
        "actions": app.actions,
        "target_groups": app.target_groups,
        "expected_participants": app.expected_participants,
        "vulnerable_participants": app.vulnerable_participants,
        "unaccompanied_minors": app.unaccompanied_minors,
        "activities": app.activities,
        "partners": app.partners,
        "planned_indicators": app.planned_indicators,
        "indirect_rate": str(app.indirect_rate),
        "budget": [
            {"category": b.category, "year": b.year, "description": b.description, "amount": str(b.amount)}
            for b in budget.lines
        ],
        "start_date": app.start_date.isoformat() if app.start_date else None,
        "end_date": app.end_date.isoformat() if app.end_date else None,
        "direct_costs": str(budget.direct_costs),
        "indirect_costs": str(budget.indirect_costs),
        "total_cost": str(budget.total_cost),
        "funding": app.funding,
        "lock_version": app.lock_version,
        "submitted_at": app.submitted_at.isoformat() if app.submitted_at else None,
        "snapshot": app.snapshot,
    }


def application_visible_or_404(request: HttpRequest, reference: str) -> Application:
    app = selectors.application_get(reference)
    if app is None:
        raise Http404(f"No application {reference}.")
    require(request.user, "application.view", app.organisation)
    return app


class ApplicationSummaryOut(Schema):
    reference: str
    call: str
    organisation: str
    status: str
    title: str
    direct_costs: str
    indirect_costs: str
    total_cost: str
    submitted_at: str | None


class ApplicationPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[ApplicationSummaryOut]


@router.get(
    "/applications",
    response=ApplicationPageOut,
    auth=AUTHENTICATED,
    summary="Applications you may see, a page at a time (newest first)",
    description=roles_text("application.list")
    + " Beneficiaries see their own organisation's. Filters: `call` (code), `status`. Pages: `limit` "
    "(at most 200) and `offset`. One application whole, with its snapshot: `GET /applications/{reference}`.",
)
def list_applications(
    request: HttpRequest, call: str = "", status: str = "", limit: int = 50, offset: int = 0
) -> dict[str, Any]:
    if not 1 <= limit <= 200 or offset < 0:
        raise ApplicationError("limit is 1 to 200 and offset 0 or more.", code="bad_request")
    found = selectors.applications_for(request.user)
    if call:
        found = found.filter(call__code=call)
    if status:
        found = found.filter(status=status)
    rows = list(
        found.only(
            "reference",
            "title",
            "status",
            "created_at",
            "submitted_at",
            "indirect_rate",
            "call__code",
            "organisation__name",
        )[offset : offset + limit]
    )
    # the page first, then its budget totals in one grouped query: never aggregate every application
    totals = dict(
        BudgetLine.objects.filter(application_id__in=[a.pk for a in rows])
        .values_list("application_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    items = []
    for a in rows:
        direct = cents(totals.get(a.pk) or Decimal("0"))  # SQLite sums lose the scale
        indirect = cents(direct * a.indirect_rate)
        items.append(
            {
                "reference": a.reference,
                "call": a.call.code,
                "organisation": a.organisation.name,
                "status": a.status,
                "title": a.title,
                "direct_costs": str(direct),
                "indirect_costs": str(indirect),
                "total_cost": str(direct + indirect),
                "submitted_at": a.submitted_at.isoformat() if a.submitted_at else None,
            }
        )
    return {"count": found.count(), "limit": limit, "offset": offset, "items": items}


@router.post(
    "/calls/{code}/applications",
    response={201: ApplicationOut},
    auth=AUTHENTICATED,
    summary="Start an application",
    description=roles_text("application.edit"),
    openapi_extra=json_body_doc(ApplicationCreateIn),
)
def create_application(request: HttpRequest, code: str) -> Status[dict[str, Any]]:
    call = call_visible_or_404(request, code)
    payload = body(request, ApplicationCreateIn)
    organisation = Organisation.objects.filter(pk=payload.organisation).first()
    if organisation is None:
        raise Http404("No such organisation.")
    app = services.application_create(
        actor=request.user, call=call, organisation=organisation, title=payload.title
    )
    return Status(201, _application_out(app))


@router.get(
    "/applications/{reference}",
    response=ApplicationOut,
    auth=AUTHENTICATED,
    summary="One application",
    description=roles_text("application.view"),
)
def get_application(request: HttpRequest, reference: str) -> dict[str, Any]:
    return _application_out(application_visible_or_404(request, reference))


@router.get(
    "/applications/{reference}/problems",
    response=dict[str, str],
    auth=AUTHENTICATED,
    summary="What still blocks submission",
    description=roles_text("application.view"),
)
def application_problems(request: HttpRequest, reference: str) -> dict[str, str]:
    return selectors.application_problems(application_visible_or_404(request, reference))


@router.patch(
    "/applications/{reference}",
    response=ApplicationOut,
    auth=AUTHENTICATED,
    summary="Save a draft",
    description=roles_text("application.edit"),
    openapi_extra=json_body_doc(ApplicationPatchIn),
)
def patch_application(request: HttpRequest, reference: str) -> dict[str, Any]:
    app = application_visible_or_404(request, reference)
    require(request.user, "application.edit", app.organisation)
    payload = body(request, ApplicationPatchIn)
    updated = services.application_update(
        actor=request.user, application=app, data=payload.data, expected_lock_version=payload.lock_version
    )
    return _application_out(updated)


@router.post(
    "/applications/{reference}/submit",
    response=ApplicationOut,
    auth=AUTHENTICATED,
    summary="Submit",
    description=roles_text("application.edit"),
    openapi_extra=json_body_doc(LockIn),
)
def submit_application(request: HttpRequest, reference: str) -> dict[str, Any]:
    app = application_visible_or_404(request, reference)
    require(request.user, "application.edit", app.organisation)
    payload = body(request, LockIn)
    return _application_out(
        services.application_submit(
            actor=request.user, application=app, expected_lock_version=payload.lock_version
        )
    )


@router.post(
    "/applications/{reference}/withdraw",
    response=ApplicationOut,
    auth=AUTHENTICATED,
    summary="Withdraw before the deadline",
    description=roles_text("application.edit"),
)
def withdraw_application(request: HttpRequest, reference: str) -> dict[str, Any]:
    app = application_visible_or_404(request, reference)
    if not check(request.user, "application.edit", app.organisation).allowed:
        raise PermissionDenied("Only the applicant organisation can withdraw its application.")
    return _application_out(services.application_withdraw(actor=request.user, application=app))


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str


def _attachment_out(a: Any) -> dict[str, Any]:
    return {"id": a.pk, "name": a.name, "content_type": a.content_type, "size": a.size, "sha256": a.sha256}


UPLOAD = multipart_doc(["file"], {"file": FILE})


@router.get(
    "/applications/{reference}/attachments",
    response=list[AttachmentOut],
    auth=AUTHENTICATED,
    summary="Documents of an application",
    description=roles_text("application.view"),
)
def list_attachments(request: HttpRequest, reference: str) -> list[dict[str, Any]]:
    return [_attachment_out(a) for a in application_visible_or_404(request, reference).attachments.all()]


@router.post(
    "/applications/{reference}/attachments",
    response={201: AttachmentOut},
    auth=AUTHENTICATED,
    summary="Attach a document (PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG; 10 MB)",
    description=roles_text("application.edit"),
    openapi_extra=UPLOAD,
)
def add_attachment(request: HttpRequest, reference: str) -> Status[dict[str, Any]]:
    app = application_visible_or_404(request, reference)
    require(request.user, "application.edit", app.organisation)
    upload = request.FILES.get("file")
    name, data = uploads.read_upload(upload, "Send the document as the multipart field 'file'.")
    attachment = services.attachment_add(actor=request.user, application=app, name=name, data=data)
    return Status(201, _attachment_out(attachment))
