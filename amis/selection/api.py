"""The selection path in the REST API: eligibility, assessment, consolidation, ranking, the Monitoring
Committee. Bodies are read after the permission check (`amis.core.api_input.body`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from amis.accounts.api_auth import AUTHENTICATED
from amis.accounts.permissions import require, roles_text
from amis.applications import selectors as applications
from amis.applications.models import Application
from amis.calls import selectors as calls
from amis.calls.models import Call
from amis.calls.services import assert_in_scope
from amis.core.api_input import body as read_body
from amis.core.api_input import json_body_doc
from amis.selection import selectors, services
from amis.selection.models import CommitteeMeeting

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
    app = applications.application_get(reference)
    if app is None:
        raise Http404(f"No application {reference}.")
    return app


def _call(code: str) -> Call:
    call = calls.call_get(code)
    if call is None:
        raise Http404(f"No call {code}.")
    return call


def _meeting(pk: int) -> CommitteeMeeting:
    meeting = CommitteeMeeting.objects.select_related("call").filter(pk=pk).first()
    if meeting is None:
        raise Http404("No such meeting.")
    return meeting


def _ranking(call: Call) -> dict[str, Any]:
    ranking = selectors.ranking_of(call)
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
    openapi_extra=json_body_doc(EligibilityIn),
)
def eligibility(request: HttpRequest, reference: str) -> dict[str, str]:
    require(request.user, "application.check")
    app = _app(reference)
    assert_in_scope(request.user, app.call, "application.check")
    body = read_body(request, EligibilityIn)
    app = services.check_eligibility(actor=request.user, application=app, answers=body.answers)
    return {"reference": app.reference, "status": app.status}


@router.post(
    "/applications/{reference}/assessments",
    summary="Score an application",
    description=roles_text("application.assess"),
    openapi_extra=json_body_doc(AssessmentIn),
)
def assessment(request: HttpRequest, reference: str) -> dict[str, Any]:
    require(request.user, "application.assess")
    body = read_body(request, AssessmentIn)
    app = _app(reference)
    services.assess(
        actor=request.user,
        application=app,
        no_conflict_of_interest=body.no_conflict_of_interest,
        scores=body.scores,
        justifications=body.justifications,
    )
    return selectors.assessment_state(app)


@router.get(
    "/applications/{reference}/assessment-state",
    summary="Scores, divergence, pass",
    description=roles_text("selection.manage"),
)
def assessment_state(request: HttpRequest, reference: str) -> dict[str, Any]:
    require(request.user, "selection.manage")
    app = _app(reference)
    assert_in_scope(request.user, app.call, "selection.manage")
    return selectors.assessment_state(app)


@router.post(
    "/applications/{reference}/consolidation",
    summary="Consolidate diverging scores",
    description=roles_text("selection.manage"),
    openapi_extra=json_body_doc(ConsolidationIn),
)
def consolidation(request: HttpRequest, reference: str) -> dict[str, Any]:
    require(request.user, "selection.manage")
    app = _app(reference)
    assert_in_scope(request.user, app.call, "selection.manage")
    body = read_body(request, ConsolidationIn)
    services.consolidate(actor=request.user, application=app, scores=body.scores, note=body.note)
    return selectors.assessment_state(app)


@router.post(
    "/calls/{code}/ranking",
    summary="Rank and propose down the budget",
    description=roles_text("selection.manage"),
)
def rank(request: HttpRequest, code: str) -> dict[str, Any]:
    require(request.user, "selection.manage")
    call = _call(code)
    services.rank_and_propose(actor=request.user, call=call)
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
    openapi_extra=json_body_doc(MeetingIn),
)
def plan_meeting(request: HttpRequest, code: str) -> dict[str, Any]:
    require(request.user, "selection.manage")
    call = _call(code)
    assert_in_scope(request.user, call, "selection.manage")
    body = read_body(request, MeetingIn)
    meeting = services.meeting_plan(actor=request.user, call=call, date=body.date, agenda=body.agenda)
    return {"id": meeting.pk, "date": meeting.date.isoformat(), "status": meeting.status}


@router.post(
    "/meetings/{pk}/decisions",
    summary="Record a committee decision",
    description=roles_text("committee.decide"),
    openapi_extra=json_body_doc(DecisionIn),
)
def decide(request: HttpRequest, pk: int) -> dict[str, str]:
    require(request.user, "committee.decide")
    body = read_body(request, DecisionIn)
    row = services.record_decision(
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
    openapi_extra=json_body_doc(MinutesIn),
)
def close(request: HttpRequest, pk: int) -> dict[str, Any]:
    require(request.user, "committee.decide")
    body = read_body(request, MinutesIn)
    changed = services.close_meeting(actor=request.user, meeting=_meeting(pk), minutes=body.minutes)
    return {"decided": {a.reference: a.status for a in changed}}
