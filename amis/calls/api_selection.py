"""The selection path in the REST API: eligibility, assessment, consolidation, double funding,
ranking, Monitoring Committee. Bodies are read after the permission check (see calls.api._body)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from amis.accounts.api_auth import AUTHENTICATED
from amis.accounts.permissions import require, roles_text
from amis.calls import selection, selectors
from amis.calls.api import _body, _doc
from amis.calls.models import Application, Call, CommitteeMeeting, DoubleFundingFlag, Ranking
from amis.core.errors import ApplicationError

router = Router(tags=["selection"], auth=AUTHENTICATED)


class EligibilityIn(Schema):
    answers: dict[str, dict[str, Any]]


class AssessmentIn(Schema):
    no_conflict_of_interest: bool
    scores: dict[str, str]
    justifications: dict[str, str]


class ConsolidationIn(Schema):
    scores: dict[str, str]
    note: str


class ReasonIn(Schema):
    reason: str


class MeetingIn(Schema):
    date: dt.date
    agenda: str


class DecisionIn(Schema):
    application: str
    decision: str
    note: str = ""


class MinutesIn(Schema):
    minutes: str


def _app(reference: str) -> Application:
    app = selectors.application_get(reference)
    if app is None:
        raise Http404(f"No application {reference}.")
    return app


def _call(code: str) -> Call:
    call = selectors.call_get(code)
    if call is None:
        raise Http404(f"No call {code}.")
    return call


def _meeting(pk: int) -> CommitteeMeeting:
    meeting = CommitteeMeeting.objects.select_related("call").filter(pk=pk).first()
    if meeting is None:
        raise Http404("No such meeting.")
    return meeting


def _ranking(call: Call) -> dict[str, Any]:
    ranking = Ranking.objects.filter(call=call).first()
    if ranking is None:  # not ranked yet: an empty ranking, not an error
        return {"call": call.code, "budget": str(call.budget), "budget_used": "0.00", "rows": []}
    return {
        "call": call.code,
        "budget": str(call.budget),
        "budget_used": str(ranking.budget_used),
        "rows": ranking.rows,
    }


@router.post(
    "/applications/{reference}/eligibility",
    summary="Record the eligibility check",
    description=roles_text("application.check"),
    openapi_extra=_doc(EligibilityIn),
)
def eligibility(request: HttpRequest, reference: str) -> dict[str, str]:
    require(request.user, "application.check")
    body = _body(request, EligibilityIn)
    app = selection.check_eligibility(actor=request.user, application=_app(reference), answers=body.answers)
    return {"reference": app.reference, "status": app.status}


@router.post(
    "/applications/{reference}/assessments",
    summary="Score an application",
    description=roles_text("application.assess"),
    openapi_extra=_doc(AssessmentIn),
)
def assessment(request: HttpRequest, reference: str) -> dict[str, Any]:
    require(request.user, "application.assess")
    body = _body(request, AssessmentIn)
    app = _app(reference)
    selection.assess(
        actor=request.user,
        application=app,
        no_conflict_of_interest=body.no_conflict_of_interest,
        scores=body.scores,
        justifications=body.justifications,
    )
    return selection.assessment_state(app)


@router.get(
    "/applications/{reference}/assessment-state",
    summary="Scores, divergence, pass",
    description=roles_text("selection.manage"),
)
def assessment_state(request: HttpRequest, reference: str) -> dict[str, Any]:
    require(request.user, "selection.manage")
    return selection.assessment_state(_app(reference))


@router.post(
    "/applications/{reference}/consolidation",
    summary="Consolidate diverging scores",
    description=roles_text("selection.manage"),
    openapi_extra=_doc(ConsolidationIn),
)
def consolidation(request: HttpRequest, reference: str) -> dict[str, Any]:
    require(request.user, "selection.manage")
    body = _body(request, ConsolidationIn)
    app = _app(reference)
    selection.consolidate(actor=request.user, application=app, scores=body.scores, note=body.note)
    return selection.assessment_state(app)


MULTIPART = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["fund", "file"],
                    "properties": {
                        "fund": {"type": "string", "enum": ["ESF", "ESF+", "ISF"]},
                        "file": {"type": "string", "format": "binary"},
                    },
                }
            }
        },
    }
}


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
    count = selection.import_other_fund_projects(
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
    return {"new_flags": selection.refresh_double_funding_flags(actor=request.user, call=_call(code))}


@router.get(
    "/calls/{code}/double-funding-flags",
    summary="Double-funding flags of a call",
    description=roles_text("selection.manage"),
)
def double_funding_flags(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    require(request.user, "selection.manage")
    flags = DoubleFundingFlag.objects.filter(application__call=_call(code)).select_related(
        "application", "other"
    )
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
    openapi_extra=_doc(ReasonIn),
)
def clear_flag(request: HttpRequest, pk: int) -> dict[str, Any]:
    require(request.user, "selection.manage")
    body = _body(request, ReasonIn)
    flag = DoubleFundingFlag.objects.filter(pk=pk).first()
    if flag is None:
        raise Http404("No such flag.")
    flag = selection.clear_flag(actor=request.user, flag=flag, reason=body.reason)
    return {"id": flag.pk, "cleared": True}


@router.post(
    "/calls/{code}/ranking",
    summary="Rank and propose down the budget",
    description=roles_text("selection.manage"),
)
def rank(request: HttpRequest, code: str) -> dict[str, Any]:
    require(request.user, "selection.manage")
    call = _call(code)
    selection.rank_and_propose(actor=request.user, call=call)
    return _ranking(call)


@router.get(
    "/calls/{code}/ranking", summary="The ranking and proposal", description=roles_text("application.list")
)
def get_ranking(request: HttpRequest, code: str) -> dict[str, Any]:
    require(request.user, "application.list")
    return _ranking(_call(code))


@router.post(
    "/calls/{code}/meetings",
    summary="Plan the Monitoring Committee meeting",
    description=roles_text("selection.manage"),
    openapi_extra=_doc(MeetingIn),
)
def plan_meeting(request: HttpRequest, code: str) -> dict[str, Any]:
    require(request.user, "selection.manage")
    body = _body(request, MeetingIn)
    meeting = selection.meeting_plan(actor=request.user, call=_call(code), date=body.date, agenda=body.agenda)
    return {"id": meeting.pk, "date": meeting.date.isoformat(), "status": meeting.status}


@router.post(
    "/meetings/{pk}/decisions",
    summary="Record a committee decision",
    description=roles_text("committee.decide"),
    openapi_extra=_doc(DecisionIn),
)
def decide(request: HttpRequest, pk: int) -> dict[str, str]:
    require(request.user, "committee.decide")
    body = _body(request, DecisionIn)
    row = selection.record_decision(
        actor=request.user,
        meeting=_meeting(pk),
        application=_app(body.application),
        decision=body.decision,
        note=body.note,
    )
    return {"application": row.application.reference, "decision": row.decision}


@router.post(
    "/meetings/{pk}/close",
    summary="Close the meeting: decisions take effect, applicants are told",
    description=roles_text("committee.decide"),
    openapi_extra=_doc(MinutesIn),
)
def close(request: HttpRequest, pk: int) -> dict[str, Any]:
    require(request.user, "committee.decide")
    body = _body(request, MinutesIn)
    changed = selection.close_meeting(actor=request.user, meeting=_meeting(pk), minutes=body.minutes)
    return {"decided": {a.reference: a.status for a in changed}}
