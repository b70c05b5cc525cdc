"""On-the-spot checks in the REST API: the year's selection (run, read, re-run), a check planned, the
visit recorded with its findings, a finding closed, a correction from a finding. The same services
and checks as the pages: 400 for a broken rule, 403 with the reason, 409 for a stale lock_version."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from amis.accounts.api_auth import AUTHENTICATED
from amis.accounts.permissions import require, roles_text
from amis.core.api_input import body, json_body_doc
from amis.programme.models import Programme
from amis.projects.scope import projects_for
from amis.verification import spot_checks
from amis.verification.models import CheckSelection, Finding, OnTheSpotCheck

router = Router(tags=["on-the-spot checks"])


class SelectionIn(Schema):
    programme: str  # CCI
    year: int
    weights: dict[str, str]
    risk_count: int
    random_count: int
    seed: int | None = None


class SelectionOut(Schema):
    id: int
    programme: str
    year: int
    weights: dict[str, str]
    risk_count: int
    random_count: int
    seed: int
    risk_based: list[str]
    random_part: list[str]
    scores: dict[str, str]
    coverage: dict[str, Any]
    method: str
    rerun_same: bool | None = None


class PlanIn(Schema):
    project: str
    kind: str
    planned_on: dt.date
    selection: int | None = None


class FindingIn(Schema):
    text: str
    severity: str = "minor"
    amount_at_stake: Decimal | None = None
    recommendation: str = ""


class VisitIn(Schema):
    lock_version: int
    visited_on: dt.date
    team: list[str]
    checklist: dict[str, Any] = {}
    summary: str
    findings: list[FindingIn] = []


class CheckOut(Schema):
    id: int
    project: str
    kind: str
    status: str
    planned_on: str
    visited_on: str | None
    team: list[str]
    summary: str
    findings: list[int]
    beneficiary_reply: str
    replied_at: str | None
    lock_version: int


class CloseIn(Schema):
    lock_version: int
    follow_up: str


class CorrectionIn(Schema):
    amount: Decimal
    reason: str
    category: str = ""
    line: int | None = None


def _selection_out(s: CheckSelection, rerun: bool = False) -> dict[str, Any]:
    out = {
        "id": s.pk,
        "programme": s.programme.cci,
        "year": s.year,
        "weights": s.weights,
        "risk_count": s.risk_count,
        "random_count": s.random_count,
        "seed": s.seed,
        "risk_based": s.risk_based,
        "random_part": s.random_part,
        "scores": s.scores,
        "coverage": s.coverage,
        "method": s.method,
    }
    if rerun:
        out["rerun_same"] = spot_checks.selection_rerun(s) == s.risk_based + s.random_part
    return out


def _check_out(c: OnTheSpotCheck) -> dict[str, Any]:
    return {
        "id": c.pk,
        "project": c.project.reference,
        "kind": c.kind,
        "status": c.status,
        "planned_on": c.planned_on.isoformat(),
        "visited_on": c.visited_on.isoformat() if c.visited_on else None,
        "team": c.team,
        "summary": c.summary,
        "findings": sorted(c.findings.values_list("pk", flat=True)),
        "beneficiary_reply": c.beneficiary_reply,
        "replied_at": c.replied_at.isoformat() if c.replied_at else None,
        "lock_version": c.lock_version,
    }


def _check(request: HttpRequest, check_id: int) -> OnTheSpotCheck:
    check = (
        OnTheSpotCheck.objects.filter(pk=check_id, project__in=projects_for(request.user).values("pk"))
        .select_related("project")
        .first()
    )
    if check is None:
        raise Http404(f"No check {check_id}.")
    return check


def _finding(request: HttpRequest, finding_id: int) -> Finding:
    finding = (
        Finding.objects.filter(pk=finding_id, project__in=projects_for(request.user).values("pk"))
        .select_related("project")
        .first()
    )
    if finding is None:
        raise Http404(f"No finding {finding_id}.")
    return finding


@router.get(
    "/checks/selections",
    response=list[SelectionOut],
    auth=AUTHENTICATED,
    summary="The kept selections for on-the-spot checks, newest first",
    description=roles_text("check.view"),
)
def list_selections(request: HttpRequest) -> list[dict[str, Any]]:
    require(request.user, "check.view")
    return [_selection_out(s) for s in CheckSelection.objects.select_related("programme")[:200]]


@router.post(
    "/checks/selections",
    response={201: SelectionOut},
    auth=AUTHENTICATED,
    summary="Make the year's risk-based and random selection (the seed recorded, chosen if left out)",
    description=roles_text("check.manage") + " `weights`: factor -> weight as a decimal string.",
    openapi_extra=json_body_doc(SelectionIn),
)
def run_selection(request: HttpRequest) -> Status:
    require(request.user, "check.manage")
    data = body(request, SelectionIn)
    programme = Programme.objects.filter(cci=data.programme).first()
    if programme is None:
        raise Http404(f"No programme {data.programme}.")
    selection = spot_checks.selection_run(
        actor=request.user,
        programme=programme,
        year=data.year,
        weights=data.weights,
        risk_count=data.risk_count,
        random_count=data.random_count,
        seed=data.seed,
    )
    return Status(201, _selection_out(selection))


@router.get(
    "/checks/selections/{selection_id}",
    response=SelectionOut,
    auth=AUTHENTICATED,
    summary="One selection, re-run from its kept data, weights and seed (`rerun_same`)",
    description=roles_text("check.view"),
)
def get_selection(request: HttpRequest, selection_id: int) -> dict[str, Any]:
    require(request.user, "check.view")
    selection = CheckSelection.objects.select_related("programme").filter(pk=selection_id).first()
    if selection is None:
        raise Http404(f"No selection {selection_id}.")
    return _selection_out(selection, rerun=True)


@router.post(
    "/checks",
    response={201: CheckOut},
    auth=AUTHENTICATED,
    summary="Plan an on-the-spot check of a project (financial or operational)",
    description=roles_text("check.manage") + " `planned_on` ISO (YYYY-MM-DD).",
    openapi_extra=json_body_doc(PlanIn),
)
def plan_check(request: HttpRequest) -> Status:
    require(request.user, "check.manage")
    data = body(request, PlanIn)
    project = projects_for(request.user).filter(reference=data.project).first()
    if project is None:
        raise Http404(f"No project {data.project}.")
    selection = CheckSelection.objects.filter(pk=data.selection).first() if data.selection else None
    check = spot_checks.check_plan(
        actor=request.user, project=project, kind=data.kind, planned_on=data.planned_on, selection=selection
    )
    return Status(201, _check_out(check))


@router.get(
    "/checks/{int:check_id}",
    response=CheckOut,
    auth=AUTHENTICATED,
    summary="One on-the-spot check: the visit, its findings and the beneficiary's reply",
    description=roles_text("check.view"),
)
def get_check(request: HttpRequest, check_id: int) -> dict[str, Any]:
    require(request.user, "check.view")
    return _check_out(_check(request, check_id))


@router.post(
    "/checks/{check_id}/visit",
    response=CheckOut,
    auth=AUTHENTICATED,
    summary="Record the visit: date, team, checklist, summary and findings",
    description=roles_text("check.manage"),
    openapi_extra=json_body_doc(VisitIn),
)
def record_visit(request: HttpRequest, check_id: int) -> dict[str, Any]:
    require(request.user, "check.manage")
    check = _check(request, check_id)
    data = body(request, VisitIn)
    done = spot_checks.check_record_visit(
        actor=request.user,
        check=check,
        expected_lock_version=data.lock_version,
        visited_on=data.visited_on,
        team=data.team,
        checklist=data.checklist,
        summary=data.summary,
        findings=[f.model_dump() for f in data.findings],
    )
    return _check_out(done)


@router.post(
    "/checks/findings/{finding_id}/close",
    response={200: dict[str, Any]},
    auth=AUTHENTICATED,
    summary="Close a finding with its follow-up",
    description=roles_text("check.manage"),
    openapi_extra=json_body_doc(CloseIn),
)
def close_finding(request: HttpRequest, finding_id: int) -> dict[str, Any]:
    require(request.user, "check.manage")
    finding = _finding(request, finding_id)
    data = body(request, CloseIn)
    done = spot_checks.finding_close(
        actor=request.user, finding=finding, expected_lock_version=data.lock_version, follow_up=data.follow_up
    )
    return {
        "id": done.pk,
        "status": done.status,
        "follow_up": done.follow_up,
        "lock_version": done.lock_version,
    }


@router.post(
    "/checks/findings/{finding_id}/corrections",
    response={201: dict[str, Any]},
    auth=AUTHENTICATED,
    summary="Record a financial correction from a finding (on a line or a cost category)",
    description=roles_text("check.manage") + " Its EU share lowers what can be paid.",
    openapi_extra=json_body_doc(CorrectionIn),
)
def record_correction(request: HttpRequest, finding_id: int) -> Status:
    require(request.user, "check.manage")
    finding = _finding(request, finding_id)
    data = body(request, CorrectionIn)
    correction = spot_checks.correction_record(
        actor=request.user,
        finding=finding,
        amount=data.amount,
        reason=data.reason,
        category=data.category,
        line_id=data.line,
    )
    return Status(
        201,
        {
            "id": correction.pk,
            "category": correction.category,
            "amount": str(correction.amount),
            "eu_amount": str(correction.eu_amount),
            "finding": finding.pk,
        },
    )
