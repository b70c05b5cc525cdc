"""Calls and applications in the REST API. Published calls are public; the rest needs a login or token."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from pydantic import ValidationError as PydanticValidationError

from amis.accounts.api_auth import AUTHENTICATED
from amis.accounts.permissions import check, require, roles_text
from amis.calls import attachments, call_services, rules, selectors, services
from amis.calls.models import Application, BudgetLine, Call
from amis.core.errors import ApplicationError
from amis.organisations.models import Organisation
from amis.programme.models import Programme

router = Router(tags=["calls and applications"])


class CallOut(Schema):
    code: str
    status: str
    procedure: str
    programme: str
    managing_organisation: str
    title: dict[str, str]
    specific_objective: str
    national_objectives: list[str]
    specific_action: str
    actions: list[int]
    budget: str
    max_eu_rate: str
    min_grant: str | None
    max_grant: str | None
    eligible_kinds: list[str]
    eligible_start: str
    eligible_end: str
    opens_at: str
    closes_at: str
    lock_version: int
    applications: dict[str, int]


class CallIn(Schema):
    programme: str
    organisation: int
    data: dict[str, Any]


class CallCreatedOut(Schema):
    call: CallOut
    warnings: list[str]


class CallPatchIn(Schema):
    lock_version: int
    data: dict[str, Any]


class TransitionIn(Schema):
    status: str
    lock_version: int


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


def _body(request: HttpRequest, schema: type[Schema]) -> Any:
    """Read the JSON body only after the permission check, so a refused caller learns nothing from a 422."""
    try:
        return schema.model_validate(json.loads(request.body or b"{}"))
    except (ValueError, PydanticValidationError) as exc:
        raise ApplicationError(f"The request body is not valid: {exc}", code="bad_request") from exc


def _doc(schema: type[Schema]) -> dict[str, Any]:
    return {
        "requestBody": {
            "content": {"application/json": {"schema": schema.model_json_schema()}},
            "required": True,
        }
    }


def _call_out(call: Call) -> dict[str, Any]:
    def s(value: Any) -> str | None:
        return None if value is None else str(value)

    return {
        "code": call.code,
        "status": call.status,
        "procedure": call.procedure,
        "programme": call.programme.cci,
        "managing_organisation": call.managing_organisation.name,
        "title": call.title,
        "specific_objective": call.specific_objective,
        "national_objectives": call.national_objectives,
        "specific_action": call.specific_action,
        "actions": call.actions,
        "budget": str(call.budget),
        "max_eu_rate": str(call.max_eu_rate),
        "min_grant": s(call.min_grant),
        "max_grant": s(call.max_grant),
        "eligible_kinds": call.eligible_kinds,
        "eligible_start": call.eligible_start.isoformat(),
        "eligible_end": call.eligible_end.isoformat(),
        "opens_at": call.opens_at.isoformat(),
        "closes_at": call.closes_at.isoformat(),
        "lock_version": call.lock_version,
        "applications": {k: v for k, v in selectors.status_counts(call).items() if v},
    }


def _application_out(app: Application) -> dict[str, Any]:
    budget = services.application_budget(app)
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


def _call(request: HttpRequest, code: str) -> Call:
    found = selectors.call_with_counts(code)
    if found is None or (
        found.status == Call.Status.DRAFT and not check(request.user, "call.manage").allowed
    ):
        raise Http404(f"No call {code}.")
    return found


def _application(request: HttpRequest, reference: str) -> Application:
    app = selectors.application_get(reference)
    if app is None:
        raise Http404(f"No application {reference}.")
    require(request.user, "application.view", app.organisation)
    return app


@router.get("/calls", response=list[CallOut], summary="Published calls", description=roles_text("call.view"))
def list_calls(request: HttpRequest) -> list[dict[str, Any]]:
    public = not check(request.user, "call.manage").allowed
    return [_call_out(c) for c in selectors.call_list(public=public)]


@router.get("/calls/{code}", response=CallOut, summary="One call", description=roles_text("call.view"))
def get_call(request: HttpRequest, code: str) -> dict[str, Any]:
    return _call_out(_call(request, code))


@router.post(
    "/calls",
    response={201: CallCreatedOut},
    auth=AUTHENTICATED,
    summary="Create a draft call",
    description=roles_text("call.manage"),
    openapi_extra=_doc(CallIn),
)
def create_call(request: HttpRequest) -> Status[dict[str, Any]]:
    require(request.user, "call.manage")
    payload = _body(request, CallIn)
    programme = Programme.objects.filter(cci=payload.programme).first()
    organisation = Organisation.objects.filter(pk=payload.organisation).first()
    if programme is None or organisation is None:
        raise Http404("No such programme or organisation.")
    call, warnings = call_services.call_create(
        actor=request.user, programme=programme, organisation=organisation, data=payload.data
    )
    return Status(201, {"call": _call_out(selectors.call_fresh(call.pk)), "warnings": warnings})


@router.patch(
    "/calls/{code}",
    response=CallOut,
    auth=AUTHENTICATED,
    summary="Change a draft call",
    description=roles_text("call.manage"),
    openapi_extra=_doc(CallPatchIn),
)
def patch_call(request: HttpRequest, code: str) -> dict[str, Any]:
    require(request.user, "call.manage")
    payload = _body(request, CallPatchIn)
    call = call_services.call_update(
        actor=request.user,
        call=_call(request, code),
        data=payload.data,
        expected_lock_version=payload.lock_version,
    )
    return _call_out(selectors.call_fresh(call.pk))


@router.post(
    "/calls/{code}/transition",
    response=CallOut,
    auth=AUTHENTICATED,
    summary="Publish, close, ...",
    description=roles_text("call.manage"),
    openapi_extra=_doc(TransitionIn),
)
def transition_call(request: HttpRequest, code: str) -> dict[str, Any]:
    require(request.user, "call.manage")
    payload = _body(request, TransitionIn)
    call = _call(request, code)
    call_services.call_transition(
        actor=request.user, call=call, status=payload.status, expected_lock_version=payload.lock_version
    )
    return _call_out(selectors.call_fresh(call.pk))


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
        direct = rules.cents(totals.get(a.pk) or Decimal("0"))  # SQLite sums lose the scale
        indirect = rules.cents(direct * a.indirect_rate)
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
    openapi_extra=_doc(ApplicationCreateIn),
)
def create_application(request: HttpRequest, code: str) -> Status[dict[str, Any]]:
    call = _call(request, code)
    payload = _body(request, ApplicationCreateIn)
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
    return _application_out(_application(request, reference))


@router.get(
    "/applications/{reference}/problems",
    response=dict[str, str],
    auth=AUTHENTICATED,
    summary="What still blocks submission",
    description=roles_text("application.view"),
)
def application_problems(request: HttpRequest, reference: str) -> dict[str, str]:
    return services.application_problems(_application(request, reference))


@router.patch(
    "/applications/{reference}",
    response=ApplicationOut,
    auth=AUTHENTICATED,
    summary="Save a draft",
    description=roles_text("application.edit"),
    openapi_extra=_doc(ApplicationPatchIn),
)
def patch_application(request: HttpRequest, reference: str) -> dict[str, Any]:
    app = _application(request, reference)
    require(request.user, "application.edit", app.organisation)
    payload = _body(request, ApplicationPatchIn)
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
    openapi_extra=_doc(LockIn),
)
def submit_application(request: HttpRequest, reference: str) -> dict[str, Any]:
    app = _application(request, reference)
    require(request.user, "application.edit", app.organisation)
    payload = _body(request, LockIn)
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
    app = _application(request, reference)
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


UPLOAD = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            }
        },
    }
}


@router.get(
    "/applications/{reference}/attachments",
    response=list[AttachmentOut],
    auth=AUTHENTICATED,
    summary="Documents of an application",
    description=roles_text("application.view"),
)
def list_attachments(request: HttpRequest, reference: str) -> list[dict[str, Any]]:
    return [_attachment_out(a) for a in _application(request, reference).attachments.all()]


@router.post(
    "/applications/{reference}/attachments",
    response={201: AttachmentOut},
    auth=AUTHENTICATED,
    summary="Attach a document (PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG; 10 MB)",
    description=roles_text("application.edit"),
    openapi_extra=UPLOAD,
)
def add_attachment(request: HttpRequest, reference: str) -> Status[dict[str, Any]]:
    app = _application(request, reference)
    require(request.user, "application.edit", app.organisation)
    upload = request.FILES.get("file")
    name, data = attachments.read_upload(upload, "Send the document as the multipart field 'file'.")
    attachment = attachments.attachment_add(actor=request.user, application=app, name=name, data=data)
    return Status(201, _attachment_out(attachment))
