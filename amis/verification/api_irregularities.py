"""Findings of a desk verification, irregularities and the beneficiary's reply to a visit, in the REST
API: the same services and checks as the pages. 400 for a broken rule or bad input, 403 with the
reason, 404 outside the caller's scope, 409 for a stale lock_version."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from amis.accounts.api_auth import AUTHENTICATED
from amis.accounts.permissions import require, roles_text
from amis.core.api_input import body, json_body_doc
from amis.core.errors import ApplicationError
from amis.projects.scope import projects_for
from amis.verification import irregularities, selectors, spot_checks
from amis.verification.api import _current, _report
from amis.verification.api_checks import _finding
from amis.verification.models import Finding, Irregularity, OnTheSpotCheck

router = Router(tags=["irregularities and replies"])


class FindingIn(Schema):
    text: str
    severity: str = "minor"
    amount_at_stake: Decimal | None = None
    recommendation: str = ""


class IrregularityIn(Schema):
    type: str
    amount: Decimal
    detected_on: dt.date
    description: str


class StatusIn(Schema):
    lock_version: int
    status: str
    reason: str


class ReplyIn(Schema):
    lock_version: int
    reply: str
    findings: dict[int, str] = {}


class IrregularityOut(Schema):
    id: int
    project: str
    finding: int
    type: str
    amount: str
    detected_on: str
    status: str
    not_confirmed: bool
    description: str
    lock_version: int
    history: list[dict[str, Any]] | None = None


def _finding_out(f: Finding) -> dict[str, Any]:
    """A finding as the beneficiary sees it (and the verifier right after recording it)."""
    return {
        "id": f.pk,
        "text": f.text,
        "severity": f.severity,
        "amount_at_stake": str(f.amount_at_stake) if f.amount_at_stake is not None else None,
        "recommendation": f.recommendation,
        "beneficiary_reply": f.beneficiary_reply,
        "follow_up": f.follow_up,
        "status": f.status,
        "lock_version": f.lock_version,
    }


def _irregularity_out(i: Irregularity, history: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": i.pk,
        "project": i.project.reference,
        "finding": i.finding_id,
        "type": i.type,
        "amount": str(i.amount),
        "detected_on": i.detected_on.isoformat(),
        "status": i.status,
        "not_confirmed": i.not_confirmed,
        "description": i.description,
        "lock_version": i.lock_version,
    }
    if history:
        out["history"] = [
            {
                "from": e.from_status,
                "to": e.to_status,
                "reason": e.reason,
                "by": e.actor.email,
                "at": e.at.isoformat(),
            }
            for e in i.events.select_related("actor").order_by("at", "pk")
        ]
    return out


def _irregularity(request: HttpRequest, irregularity_id: int) -> Irregularity:
    found = selectors.irregularities_for(request.user).filter(pk=irregularity_id).first()
    if found is None:
        raise Http404(f"No irregularity {irregularity_id}.")
    return found


def _beneficiary_check(request: HttpRequest, check_id: int) -> OnTheSpotCheck:
    check = (
        OnTheSpotCheck.objects.filter(pk=check_id, project__in=projects_for(request.user).values("pk"))
        .exclude(status=OnTheSpotCheck.Status.PLANNED)
        .select_related("project")
        .first()
    )
    if check is None:
        raise Http404(f"No check {check_id}.")
    require(request.user, "report.edit", check.project)
    return check


def _reply_out(c: OnTheSpotCheck) -> dict[str, Any]:
    """What the beneficiary sees of a check: never the selection, risk scores or checklist."""
    return {
        "id": c.pk,
        "project": c.project.reference,
        "kind": c.kind,
        "status": c.status,
        "visited_on": c.visited_on.isoformat() if c.visited_on else None,
        "team": c.team,
        "summary": c.summary,
        "reply": c.beneficiary_reply,
        "replied_at": c.replied_at.isoformat() if c.replied_at else None,
        "findings": [_finding_out(f) for f in c.findings.order_by("pk")],
        "lock_version": c.lock_version,
    }


@router.post(
    "/reports/{report_id}/verification/findings",
    response={201: dict[str, Any]},
    auth=AUTHENTICATED,
    summary="Record a finding of the report's desk verification",
    description=roles_text("claim.verify") + " Corrections and irregularities then hang on it.",
    openapi_extra=json_body_doc(FindingIn),
)
def record_verification_finding(request: HttpRequest, report_id: int) -> Status:
    require(request.user, "claim.verify")
    report = _report(request, report_id)
    data = body(request, FindingIn)
    finding = irregularities.verification_finding_record(
        actor=request.user, verification=_current(report), **data.model_dump()
    )
    return Status(201, _finding_out(finding))


@router.get(
    "/checks/irregularities",
    response=list[IrregularityOut],
    auth=AUTHENTICATED,
    summary="The irregularities of the projects the caller may see (filters: status, type, project)",
    description=roles_text("check.view"),
)
def list_irregularities(
    request: HttpRequest, status: str = "", type: str = "", project: str = ""
) -> list[dict[str, Any]]:
    require(request.user, "check.view")
    if status and status not in Irregularity.Status.values:
        raise ApplicationError(f"Unknown status {status!r}: one of {', '.join(Irregularity.Status.values)}.")
    if type and type not in Irregularity.Type.values:
        raise ApplicationError(f"Unknown type {type!r}: one of {', '.join(Irregularity.Type.values)}.")
    found = selectors.irregularities_for(request.user, {"status": status, "type": type, "project": project})
    return [_irregularity_out(i) for i in found[:500]]


@router.get(
    "/checks/irregularities/{irregularity_id}",
    response=IrregularityOut,
    auth=AUTHENTICATED,
    summary="One irregularity with its history",
    description=roles_text("check.view"),
)
def get_irregularity(request: HttpRequest, irregularity_id: int) -> dict[str, Any]:
    require(request.user, "check.view")
    return _irregularity_out(_irregularity(request, irregularity_id), history=True)


@router.post(
    "/checks/findings/{finding_id}/irregularities",
    response={201: IrregularityOut},
    auth=AUTHENTICATED,
    summary="Record an irregularity from a finding (suspected at first)",
    description=roles_text("check.manage") + " `type`: " + ", ".join(Irregularity.Type.values) + ".",
    openapi_extra=json_body_doc(IrregularityIn),
)
def record_irregularity(request: HttpRequest, finding_id: int) -> Status:
    require(request.user, "check.manage")
    finding = _finding(request, finding_id)
    data = body(request, IrregularityIn)
    irregularity = spot_checks.irregularity_record(actor=request.user, finding=finding, **data.model_dump())
    return Status(201, _irregularity_out(irregularity, history=True))


@router.post(
    "/checks/irregularities/{irregularity_id}/status",
    response=IrregularityOut,
    auth=AUTHENTICATED,
    summary="Move an irregularity: suspected -> established -> closed, or closed as not confirmed",
    description=roles_text("check.manage") + " A reason is required for every step.",
    openapi_extra=json_body_doc(StatusIn),
)
def change_irregularity_status(request: HttpRequest, irregularity_id: int) -> dict[str, Any]:
    require(request.user, "check.manage")
    irregularity = _irregularity(request, irregularity_id)
    data = body(request, StatusIn)
    done = irregularities.irregularity_status_change(
        actor=request.user,
        irregularity=irregularity,
        expected_lock_version=data.lock_version,
        status=data.status,
        reason=data.reason,
    )
    return _irregularity_out(done, history=True)


@router.get(
    "/checks/{check_id}/reply",
    response=dict[str, Any],
    auth=AUTHENTICATED,
    summary="The beneficiary's view of a recorded check of their project: visit, findings, their reply",
    description=roles_text("report.edit"),
)
def get_reply(request: HttpRequest, check_id: int) -> dict[str, Any]:
    require(request.user, "report.edit")
    return _reply_out(_beneficiary_check(request, check_id))


@router.post(
    "/checks/{check_id}/reply",
    response=dict[str, Any],
    auth=AUTHENTICATED,
    summary="The beneficiary replies to the visit (and, optionally, to each finding: id -> text)",
    description=roles_text("report.edit"),
    openapi_extra=json_body_doc(ReplyIn),
)
def post_reply(request: HttpRequest, check_id: int) -> dict[str, Any]:
    require(request.user, "report.edit")
    check = _beneficiary_check(request, check_id)
    data = body(request, ReplyIn)
    done = spot_checks.check_reply(
        actor=request.user,
        check=check,
        expected_lock_version=data.lock_version,
        reply=data.reply,
        finding_replies=data.findings,
    )
    return _reply_out(done)
