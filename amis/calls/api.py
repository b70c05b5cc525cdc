"""Calls in the REST API: list, read, create and change a draft, move it through its life, and the
call's own documents (public once the call is published)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Router, Schema, Status

from amis.accounts.api_auth import AUTHENTICATED, PUBLIC
from amis.accounts.permissions import check, require, roles_text
from amis.calls import selectors, services
from amis.calls.models import Call
from amis.core import uploads
from amis.core.api_input import FILE, body, json_body_doc, multipart_doc
from amis.organisations.models import Organisation
from amis.programme.models import Programme

router = Router(tags=["calls"])


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
    # 2021-2027: the allocation line (type of action) of the specific objective; "" for 2014-2020
    type_of_action: str
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
    # publishing a call without any document: the explicit confirmation that it has no guide for applicants
    no_documents: bool = False


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
        "type_of_action": call.type_of_action,
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
        "applications": selectors.application_counts(call),
    }


def call_visible_or_404(request: HttpRequest, code: str) -> Call:
    found = selectors.call_with_counts(code)
    if found is None or (
        found.status == Call.Status.DRAFT and not check(request.user, "call.manage").allowed
    ):
        raise Http404(f"No call {code}.")
    return found


@router.get(
    "/calls",
    response=list[CallOut],
    auth=PUBLIC,
    summary="Published calls",
    description=roles_text("call.view"),
)
def list_calls(request: HttpRequest) -> list[dict[str, Any]]:
    public = not check(request.user, "call.manage").allowed
    return [_call_out(c) for c in selectors.call_list(public=public)]


@router.get(
    "/calls/{code}", response=CallOut, auth=PUBLIC, summary="One call", description=roles_text("call.view")
)
def get_call(request: HttpRequest, code: str) -> dict[str, Any]:
    return _call_out(call_visible_or_404(request, code))


@router.post(
    "/calls",
    response={201: CallCreatedOut},
    auth=AUTHENTICATED,
    summary="Create a draft call",
    description=roles_text("call.manage"),
    openapi_extra=json_body_doc(CallIn),
)
def create_call(request: HttpRequest) -> Status[dict[str, Any]]:
    require(request.user, "call.manage")
    payload = body(request, CallIn)
    programme = Programme.objects.filter(cci=payload.programme).first()
    organisation = Organisation.objects.filter(pk=payload.organisation).first()
    if programme is None or organisation is None:
        raise Http404("No such programme or organisation.")
    call, warnings = services.call_create(
        actor=request.user, programme=programme, organisation=organisation, data=payload.data
    )
    return Status(201, {"call": _call_out(selectors.call_fresh(call.pk)), "warnings": warnings})


@router.patch(
    "/calls/{code}",
    response=CallOut,
    auth=AUTHENTICATED,
    summary="Change a draft call",
    description=roles_text("call.manage"),
    openapi_extra=json_body_doc(CallPatchIn),
)
def patch_call(request: HttpRequest, code: str) -> dict[str, Any]:
    require(request.user, "call.manage")
    services.assert_in_scope(request.user, call_visible_or_404(request, code), "call.manage")
    payload = body(request, CallPatchIn)
    call = services.call_update(
        actor=request.user,
        call=call_visible_or_404(request, code),
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
    openapi_extra=json_body_doc(TransitionIn),
)
def transition_call(request: HttpRequest, code: str) -> dict[str, Any]:
    require(request.user, "call.manage")
    call = call_visible_or_404(request, code)
    services.assert_in_scope(request.user, call, "call.manage")
    payload = body(request, TransitionIn)
    services.call_transition(
        actor=request.user,
        call=call,
        status=payload.status,
        expected_lock_version=payload.lock_version,
        no_documents=payload.no_documents,
    )
    return _call_out(selectors.call_fresh(call.pk))


# The call's documents


class CallDocumentOut(Schema):
    id: int
    title: str
    language: str
    name: str
    content_type: str
    size: int
    sha256: str
    url: str


def _document_out(d: Any) -> dict[str, Any]:
    return {
        "id": d.pk,
        "title": d.title,
        "language": d.language,
        "name": d.name,
        "content_type": d.content_type,
        "size": d.size,
        "sha256": d.sha256,
        "url": reverse("calls:document", args=[d.call.code, d.pk]),
    }


@router.get(
    "/calls/{code}/documents",
    response=list[CallDocumentOut],
    auth=PUBLIC,
    summary="Documents of a call",
    description=roles_text("call.view") + " (a draft call's: call.manage)",
)
def list_call_documents(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    call = call_visible_or_404(request, code)
    if call.procedure != Call.Procedure.OPEN and not check(request.user, "call.manage").allowed:
        raise Http404(f"No call {code}.")
    return [_document_out(d) for d in call.documents.select_related("call").order_by("uploaded_at", "pk")]


UPLOAD = multipart_doc(
    ["file", "title"],
    {
        "file": FILE,
        "title": {"type": "string"},
        "language": {"type": "string", "enum": ["", *services.LANGUAGES]},
    },
)


@router.post(
    "/calls/{code}/documents",
    response={201: CallDocumentOut},
    auth=AUTHENTICATED,
    summary="Add a document to a draft or open call (PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG; 10 MB)",
    description=roles_text("call.manage"),
    openapi_extra=UPLOAD,
)
def add_call_document(request: HttpRequest, code: str) -> Status[dict[str, Any]]:
    require(request.user, "call.manage")
    call = call_visible_or_404(request, code)
    services.assert_in_scope(request.user, call, "call.manage")
    upload = request.FILES.get("file")
    name, data = uploads.read_upload(upload, "Send the document as the multipart field 'file'.")
    document = services.document_add(
        actor=request.user,
        call=call,
        title=request.POST.get("title", ""),
        language=request.POST.get("language", ""),
        name=name,
        data=data,
    )
    return Status(201, _document_out(document))
