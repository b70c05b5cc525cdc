"""The audit authority in the REST API (/api/v1/audit/...): the system's assurance level for a
programme and year (what the sampling app reads), a year's plan with its bodies and system audits,
adding a body, assessing a key requirement, the auditee's reply and the auditor's closure of a
finding, and the annual control report's content. The same services and selectors as the pages.
400 for a broken rule or bad input, 403 with the reason, 404 outside the caller's scope, 409 for a
stale lock_version."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from amis.accounts.api_auth import AUTHENTICATED
from amis.accounts.permissions import require, roles_text
from amis.audit import selectors, services
from amis.audit.models import AuditedBody, AuditFinding, AuditPlan
from amis.core.api_input import body, json_body_doc

router = Router(tags=["audit authority"])
VIEW, PLAN, CONDUCT, REPLY = "audit.view_records", "audit.plan", "audit.conduct", "audit_reply.submit"
VIEW_REPORTS = "audit_report.view"


class BodyIn(Schema):
    kind: str
    name: str
    risk_factors: dict[str, int]
    risk_justification: str
    key_requirements: list[str] = []


class AssessIn(Schema):
    lock_version: int
    code: str
    category: int
    justification: str


class ReplyIn(Schema):
    text: str
    replied_on: dt.date | None = None


class CloseIn(Schema):
    lock_version: int
    closure_note: str
    closed_on: dt.date | None = None


def _plan(request: HttpRequest, cci: str, year: int) -> AuditPlan:
    found = selectors.plan_for(request.user, cci[:20], year)
    if found is None:
        raise Http404(f"No audit plan {cci} {year}.")
    return found


def _body_out(b: AuditedBody) -> dict[str, Any]:
    audit = getattr(b, "system_audit", None)
    return {
        "id": b.pk,
        "kind": b.kind,
        "name": b.name,
        "risk_factors": b.risk_factors,
        "risk_score": b.risk_score,
        "risk_level": b.risk_level,
        "risk_justification": b.risk_justification,
        "key_requirements": b.key_requirements,
        "lock_version": b.lock_version,
        "system_audit": None
        if audit is None
        else {
            "status": audit.status,
            "overall_category": audit.overall_category,
            "lock_version": audit.lock_version,
            "assessments": {a.code: a.category for a in audit.assessments.all()},
            "findings": [f.pk for f in audit.findings.all()],
        },
    }


def _finding_out(f: AuditFinding) -> dict[str, Any]:
    return {
        "id": f.pk,
        "number": f.number,
        "key_requirement": f.key_requirement,
        "text": f.text,
        "recommendation": f.recommendation,
        "priority": f.priority,
        "deadline": f.deadline.isoformat(),
        "status": f.status,
        "closed_on": f.closed_on.isoformat() if f.closed_on else None,
        "replies": [{"on": r.replied_on.isoformat(), "text": r.text} for r in f.replies.all()],
        "lock_version": f.lock_version,
    }


@router.get(
    "/audit/assurance/{cci}/{year}",
    response=dict[str, Any],
    auth=AUTHENTICATED,
    summary="The category (1-4) of the programme's management and control system in a year",
    description=roles_text(VIEW_REPORTS) + " None while no system audit of the year is completed.",
)
def get_assurance(request: HttpRequest, cci: str, year: int) -> dict[str, Any]:
    require(request.user, VIEW_REPORTS)
    programme = selectors.programme_for(request.user, cci[:20])
    if programme is None:
        raise Http404(f"No programme {cci}.")
    found = selectors.system_assurance(programme, year)
    return {
        "programme": programme.cci,
        "year": year,
        "category": found.category,
        "assurance": found.assurance,
        "rule": found.rule,
        "bodies": [{"name": n, "category": c} for n, c in found.bodies],
    }


@router.get(
    "/audit/plans/{cci}/{year}",
    response=dict[str, Any],
    auth=AUTHENTICATED,
    summary="A year's audit plan: the bodies, their risk assessment and system audits",
    description=roles_text(VIEW) + " A delegated authority officer sees only their own body's.",
)
def get_plan(request: HttpRequest, cci: str, year: int) -> dict[str, Any]:
    require(request.user, VIEW)
    plan = _plan(request, cci, year)
    return {"programme": cci, "year": plan.year, "bodies": [_body_out(b) for b in plan.bodies.all()]}


@router.post(
    "/audit/plans/{cci}/{year}/bodies",
    response={201: dict[str, Any]},
    auth=AUTHENTICATED,
    summary="Add a body to the year's plan with its risk assessment",
    description=roles_text(PLAN),
    openapi_extra=json_body_doc(BodyIn),
)
def add_body(request: HttpRequest, cci: str, year: int) -> Status:
    require(request.user, PLAN)
    plan = _plan(request, cci, year)
    data = body(request, BodyIn)
    created = services.body_add(
        actor=request.user,
        plan=plan,
        kind=data.kind[:30],
        name=data.name[:300],
        risk_factors=data.risk_factors,
        risk_justification=data.risk_justification,
        key_requirement_codes=[c[:10] for c in data.key_requirements],
    )
    found = selectors.body_for(request.user, created.pk)
    assert found is not None
    return Status(201, _body_out(found))


@router.post(
    "/audit/bodies/{body_id}/assessments",
    response=dict[str, Any],
    auth=AUTHENTICATED,
    summary="Assess one key requirement of a body's system audit in category 1 to 4",
    description=roles_text(CONDUCT) + " `lock_version` is the system audit's.",
    openapi_extra=json_body_doc(AssessIn),
)
def assess(request: HttpRequest, body_id: int) -> dict[str, Any]:
    require(request.user, CONDUCT)
    found = selectors.body_for(request.user, body_id)
    if found is None:
        raise Http404(f"No audited body {body_id}.")
    data = body(request, AssessIn)
    system_audit = getattr(found, "system_audit", None)
    if system_audit is None:
        raise Http404("The system audit of this body is not started.")
    services.requirement_assess(
        actor=request.user,
        system_audit=system_audit,
        code=data.code[:10],
        category=data.category,
        justification=data.justification,
        expected_lock_version=data.lock_version,
    )
    fresh = selectors.body_for(request.user, body_id)
    assert fresh is not None
    return _body_out(fresh)


def _finding(request: HttpRequest, pk: int) -> AuditFinding:
    found = selectors.finding_for(request.user, pk)
    if found is None:
        raise Http404(f"No finding {pk}.")
    return found


@router.post(
    "/audit/findings/{finding_id}/reply",
    response={201: dict[str, Any]},
    auth=AUTHENTICATED,
    summary="The audited authority's reply to a finding",
    description=roles_text(REPLY),
    openapi_extra=json_body_doc(ReplyIn),
)
def reply(request: HttpRequest, finding_id: int) -> Status:
    require(request.user, REPLY)
    finding = _finding(request, finding_id)
    data = body(request, ReplyIn)
    services.finding_reply(actor=request.user, finding=finding, text=data.text, replied_on=data.replied_on)
    return Status(201, _finding_out(_finding(request, finding_id)))


@router.post(
    "/audit/findings/{finding_id}/close",
    response=dict[str, Any],
    auth=AUTHENTICATED,
    summary="Close a finding once its recommendation is implemented",
    description=roles_text(CONDUCT),
    openapi_extra=json_body_doc(CloseIn),
)
def close(request: HttpRequest, finding_id: int) -> dict[str, Any]:
    require(request.user, CONDUCT)
    finding = _finding(request, finding_id)
    data = body(request, CloseIn)
    services.finding_close(
        actor=request.user,
        finding=finding,
        closure_note=data.closure_note,
        expected_lock_version=data.lock_version,
        closed_on=data.closed_on,
    )
    return _finding_out(_finding(request, finding_id))


@router.get(
    "/audit/reports/{cci}/{year}",
    response=dict[str, Any],
    auth=AUTHENTICATED,
    summary="The annual control report and audit opinion: generated, or frozen at approval",
    description=roles_text(VIEW_REPORTS),
)
def get_report(request: HttpRequest, cci: str, year: int) -> dict[str, Any]:
    require(request.user, VIEW_REPORTS)
    report = selectors.report_for(request.user, cci[:20], year)
    if report is None:
        raise Http404(f"No annual control report {cci} {year}.")
    return {
        "programme": report.programme.cci,
        "year": report.year,
        "status": report.status,
        "opinion": report.opinion,
        "snapshot_sha256": report.snapshot_sha256,
        "lock_version": report.lock_version,
        "content": selectors.current_content(report),
    }
