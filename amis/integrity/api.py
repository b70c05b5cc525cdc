"""Double funding in the REST API: import another fund's project list, check a call's applications
against the lists, read its flags and clear one with a reason."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from amis.accounts.api_auth import AUTHENTICATED
from amis.accounts.permissions import require, roles_text
from amis.calls import selectors as calls
from amis.calls.models import Call
from amis.calls.services import assert_in_scope
from amis.core.api_input import FILE, json_body_doc, multipart_doc
from amis.core.api_input import body as read_body
from amis.core.errors import ApplicationError
from amis.integrity import selectors, services
from amis.integrity.models import DoubleFundingFlag

router = Router(tags=["double funding"], auth=AUTHENTICATED)


class ReasonIn(Schema):
    reason: str


def _call(code: str) -> Call:
    call = calls.call_get(code)
    if call is None:
        raise Http404(f"No call {code}.")
    return call


MULTIPART = multipart_doc(
    ["fund", "file"], {"fund": {"type": "string", "enum": ["ESF", "ESF+", "ISF"]}, "file": FILE}
)


@router.post(
    "/other-fund-projects",
    summary="Import an ESF or ISF project list (CSV or XLSX)",
    description=roles_text("selection.manage"),
    openapi_extra=MULTIPART,
)
def import_projects(request: HttpRequest) -> dict[str, int]:
    require(request.user, "selection.manage")
    upload = request.FILES.get("file")
    if upload is None:
        raise ApplicationError("Send the project list as the multipart field 'file'.")
    if upload.size and upload.size > 20 * 1024 * 1024:
        raise ApplicationError("The file is larger than 20 MB.")
    count = services.import_other_fund_projects(
        actor=request.user, data=upload.read(), filename=upload.name or "", fund=request.POST.get("fund", "")
    )
    return {"imported": count}


@router.post(
    "/calls/{code}/double-funding-check",
    summary="Flag applications with overlapping projects",
    description=roles_text("selection.manage"),
)
def double_funding_check(request: HttpRequest, code: str) -> dict[str, int]:
    require(request.user, "selection.manage")
    return {"new_flags": services.refresh_double_funding_flags(actor=request.user, call=_call(code))}


@router.get(
    "/calls/{code}/double-funding-flags",
    summary="Double-funding flags of a call",
    description=roles_text("selection.manage"),
)
def double_funding_flags(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    require(request.user, "selection.manage")
    call = _call(code)
    assert_in_scope(request.user, call, "selection.manage")
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
