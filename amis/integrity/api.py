"""Double funding in the REST API: upload another fund's project list, read its errors and warnings,
confirm, discard or delete it; check a call's applications against the lists in use, read its flags
and clear one with a reason."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import get_language
from ninja import Router, Schema, Status

from amis.accounts.api_auth import AUTHENTICATED
from amis.accounts.permissions import has_role, require, roles_text
from amis.calls import selectors as calls
from amis.calls.models import Call
from amis.calls.services import assert_in_scope
from amis.core.api_input import FILE, json_body_doc, multipart_doc
from amis.core.api_input import body as read_body
from amis.core.errors import ApplicationError
from amis.integrity import lists, selectors, services
from amis.integrity.models import DoubleFundingFlag, OtherFundList
from amis.integrity.rules.parse import MAX_BYTES

router = Router(tags=["double funding"], auth=AUTHENTICATED)


class ReasonIn(Schema):
    reason: str


def _call(code: str) -> Call:
    call = calls.call_get(code)
    if call is None:
        raise Http404(f"No call {code}.")
    return call


MULTIPART = multipart_doc(
    ["fund", "file"],
    {
        "fund": {"type": "string", "enum": list(lists.FUNDS)},
        "number_format": {
            "type": "string",
            "enum": ["", "comma", "point"],
            "description": "comma: 1.234,56; point: 1,234.56; empty: amounts that can be read two ways "
            "(334.445) are refused",
        },
        "file": FILE,
    },
)


class LockIn(Schema):
    lock_version: int


class DeleteIn(Schema):
    lock_version: int
    reason: str


def _list_out(upload: OtherFundList) -> dict[str, Any]:
    return {
        "id": upload.pk,
        "fund": upload.fund,
        "name": upload.name,
        "sha256": upload.sha256,
        "status": upload.status,
        "lock_version": upload.lock_version,
        "uploaded_at": upload.uploaded_at.isoformat(),
        "rows_done": upload.rows_done,
        "rows_total": upload.rows_total,
        "projects": upload.projects_count,
        "matchable": upload.matchable_count,
        "errors": upload.errors,
        "warnings": upload.warnings,
        "replaces": upload.replaces_id,
        "end_reason": upload.end_reason,
    }


def _list(pk: int) -> OtherFundList:
    upload = OtherFundList.objects.filter(pk=pk).first()
    if upload is None:
        raise Http404(f"No list {pk}.")
    return upload


@router.post(
    "/other-fund-lists",
    response={202: dict[str, Any]},
    summary="Upload an ESF, ESF+ or ISF project list (CSV or XLSX); the worker reads it",
    description=roles_text("selection.manage")
    + " Poll the list: `refused` with all its errors, or `read` with its warnings, to confirm.",
    openapi_extra=MULTIPART,
)
def upload_list(request: HttpRequest) -> Status[dict[str, Any]]:
    require(request.user, "selection.manage")
    upload = request.FILES.get("file")
    if upload is None:
        raise ApplicationError("Send the project list as the multipart field 'file'.")
    if upload.size and upload.size > MAX_BYTES:
        raise ApplicationError(f"The file is larger than {MAX_BYTES // 2**20} MB.")
    created = lists.list_upload(
        actor=request.user,
        fund=request.POST.get("fund", ""),
        name=upload.name or "",
        data=upload,
        number_format=request.POST.get("number_format", ""),
        language=get_language() or "en",
    )
    return Status(202, _list_out(created))


@router.get(
    "/other-fund-lists",
    summary="The other funds' project lists, newest first",
    description=roles_text("integrity.view"),
)
def get_lists(request: HttpRequest) -> list[dict[str, Any]]:
    require(request.user, "integrity.view")
    return [_list_out(u) for u in selectors.lists()[:200]]


@router.get(
    "/other-fund-lists/{pk}",
    summary="One list: its status, all its errors and its warnings",
    description=roles_text("integrity.view"),
)
def get_list(request: HttpRequest, pk: int) -> dict[str, Any]:
    require(request.user, "integrity.view")
    return _list_out(_list(pk))


@router.post(
    "/other-fund-lists/{pk}/confirm",
    summary="Confirm a list read without errors: it replaces the fund's list in use, the flags follow",
    description=roles_text("selection.manage"),
    openapi_extra=json_body_doc(LockIn),
)
def confirm_list(request: HttpRequest, pk: int) -> dict[str, Any]:
    require(request.user, "selection.manage")
    payload = read_body(request, LockIn)
    return _list_out(
        lists.list_confirm(actor=request.user, upload=_list(pk), expected_lock_version=payload.lock_version)
    )


@router.post(
    "/other-fund-lists/{pk}/discard",
    summary="Leave a read or refused list unconfirmed",
    description=roles_text("selection.manage"),
    openapi_extra=json_body_doc(LockIn),
)
def discard_list(request: HttpRequest, pk: int) -> dict[str, Any]:
    require(request.user, "selection.manage")
    payload = read_body(request, LockIn)
    return _list_out(
        lists.list_discard(actor=request.user, upload=_list(pk), expected_lock_version=payload.lock_version)
    )


@router.post(
    "/other-fund-lists/{pk}/delete",
    summary="Take the list in use out of use, with the reason; its open flags close",
    description=roles_text("selection.manage"),
    openapi_extra=json_body_doc(DeleteIn),
)
def delete_list(request: HttpRequest, pk: int) -> dict[str, Any]:
    require(request.user, "selection.manage")
    payload = read_body(request, DeleteIn)
    return _list_out(
        lists.list_delete(
            actor=request.user,
            upload=_list(pk),
            expected_lock_version=payload.lock_version,
            reason=payload.reason,
        )
    )


@router.post(
    "/calls/{code}/double-funding-check",
    summary="Flag applications with overlapping projects",
    description=roles_text("selection.manage")
    + " The standing flags are checked again first: `closed` (the periods no longer overlap), "
    "`reopened` (a cleared flag whose overlap grew or whose descriptions came closer), `updated`.",
)
def double_funding_check(request: HttpRequest, code: str) -> dict[str, int]:
    require(request.user, "selection.manage")
    counts = services.check_call(actor=request.user, call=_call(code))
    return {
        "new_flags": counts["new"],
        "closed": counts["closed"],
        "reopened": counts["reopened"],
        "updated": counts["updated"],
    }


@router.get(
    "/calls/{code}/double-funding-flags",
    summary="Double-funding flags of a call",
    description=roles_text("integrity.view"),
)
def double_funding_flags(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    require(request.user, "integrity.view")
    call = _call(code)
    if not has_role(request.user, *selectors.WHOLE_PROGRAMME_READERS):
        assert_in_scope(request.user, call, "integrity.view")
    flags = selectors.flags_of(call)
    return [
        {
            "id": f.pk,
            "application": f.application.reference,
            "fund": f.other.fund,
            "project": f.other.identifier,
            "overlap_days": f.overlap_days,
            "similarity": str(f.similarity),
            "reason": f.reason,
            "cleared": f.cleared_at is not None,
            "clearance": f.clearance,
            "basis": f.basis,
            "confidence": str(f.confidence),
            "closed": f.closed_at is not None,
            "closed_reason": f.closed_reason,
        }
        for f in flags
    ]


@router.post(
    "/double-funding-flags/{pk}/clear",
    summary="Clear a flag with a reason",
    description=roles_text("selection.manage"),
    openapi_extra=json_body_doc(ReasonIn),
)
def clear_flag(request: HttpRequest, pk: int) -> dict[str, Any]:
    require(request.user, "selection.manage")
    body = read_body(request, ReasonIn)
    flag = DoubleFundingFlag.objects.filter(pk=pk).first()
    if flag is None:
        raise Http404("No such flag.")
    flag = services.clear_flag(actor=request.user, flag=flag, reason=body.reason)
    return {"id": flag.pk, "cleared": True}


class NameMatchIn(Schema):
    same: bool


@router.post(
    "/double-funding-flags/{pk}/name-match",
    summary="Answer a name match: the same organisation or another (remembered for the next check)",
    description=roles_text("selection.manage"),
    openapi_extra=json_body_doc(NameMatchIn),
)
def name_match(request: HttpRequest, pk: int) -> dict[str, Any]:
    require(request.user, "selection.manage")
    payload = read_body(request, NameMatchIn)
    flag = DoubleFundingFlag.objects.filter(pk=pk).first()
    if flag is None:
        raise Http404("No such flag.")
    flag = services.name_match_decide(actor=request.user, flag=flag, same=payload.same)
    return {"id": flag.pk, "closed": flag.closed_at is not None, "confidence": str(flag.confidence)}
