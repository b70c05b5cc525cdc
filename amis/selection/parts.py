"""What the selection stage adds to the call page and the application page (`amis.core.pages`):
the applications an assessor still has to score, the ranking and proposal, the committee's meetings;
and on an application, the committee's decisions, its eligibility check and its assessments."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from amis.accounts.permissions import check, has_role
from amis.accounts.roles import Role
from amis.applications.models import Application
from amis.calls.models import Call
from amis.calls.services import may_manage
from amis.core import pages
from amis.selection import selectors
from amis.selection.forms import EligibilityForm, MeetingForm, ScoresForm
from amis.selection.services.ranking import ranking_problem

SHOWN = 50


def to_assess_part(request: HttpRequest, call: Call) -> dict[str, Any] | None:
    if not check(request.user, "application.assess").allowed:
        return None
    waiting = list(
        call.applications.filter(status__in=[Application.Status.ELIGIBLE, Application.Status.ASSESSED])
        .exclude(assessments__assessor_id=request.user.pk)
        .only("reference", "title", "call")
        .order_by("reference")[:SHOWN]
    )
    return {"to_assess": waiting, "shown": SHOWN}


def ranking_part(request: HttpRequest, call: Call) -> dict[str, Any] | None:
    if not check(request.user, "selection.manage").allowed or not may_manage(request.user, call):
        return None
    ranking = selectors.ranking_of(call)
    return {
        "can_select": True,
        "ranking": ranking,
        # "Rank and propose" is offered only when it can succeed; otherwise what is missing
        "rank_problem": ranking_problem(call) if call.status == Call.Status.CLOSED and not ranking else "",
        "meeting_form": MeetingForm() if call.status == Call.Status.ASSESSED else None,
    }


def sees_meetings(user: Any, call: Call) -> bool:
    """Whether the meeting pages of this call open for this person (as `views.meeting` checks)."""
    if not check(user, "committee.view").allowed:
        return False
    return has_role(user, Role.MC_MEMBER, Role.AUDITOR, Role.RA_MANAGER, Role.RA_OFFICER) or may_manage(
        user, call
    )


def meetings_part(request: HttpRequest, call: Call) -> dict[str, Any] | None:
    if not sees_meetings(request.user, call):
        return None
    return {"meetings": list(call.meetings.order_by("-date"))}


def decisions_part(request: HttpRequest, app: Application) -> dict[str, Any] | None:
    decisions = selectors.decisions_taken(app)
    return {"decisions": decisions} if decisions else None


def eligibility_part(request: HttpRequest, app: Application) -> dict[str, Any] | None:
    may_check = (
        app.call.status == Call.Status.CLOSED
        and app.status == Application.Status.SUBMITTED
        and check(request.user, "application.check").allowed
    )
    return {
        "eligibility": selectors.eligibility_of(app),
        "eligibility_form": EligibilityForm(call=app.call) if may_check else None,
    }


def assessment_part(request: HttpRequest, app: Application) -> dict[str, Any] | None:
    if not check(request.user, "selection.manage").allowed or not app.assessments.exists():
        return None
    state = selectors.assessment_state(app)
    return {
        "state": state,
        "assessments": [
            {
                "assessor": a.assessor,
                "scores": [a.scores.get(c["code"], "") for c in app.call.award_criteria],
                "total": a.total,
            }
            for a in app.assessments.select_related("assessor").order_by("at")
        ],
        "consolidation_form": ScoresForm(call=app.call, consolidation=True)
        if state["divergent"] and not state["consolidated"]
        else None,
    }


def register() -> None:
    pages.register("call", "main", 40, "selection/_call_to_assess.html", to_assess_part)
    pages.register("call", "main", 50, "selection/_call_ranking.html", ranking_part)
    pages.register("call", "main", 60, "selection/_call_meetings.html", meetings_part)
    pages.register("application", "top", 10, "selection/_application_decisions.html", decisions_part)
    pages.register("application", "bottom", 10, "selection/_application_eligibility.html", eligibility_part)
    pages.register("application", "bottom", 20, "selection/_application_assessment.html", assessment_part)
