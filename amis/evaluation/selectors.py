"""Reads of evaluations, in the reader's scope: the responsible authority, the audit authority and
the Monitoring Committee read every programme's; a delegated authority officer those of the
programmes their assignments name (all when an assignment names none). Each list is a fixed number
of queries, the overdue flags computed by `rules`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from amis.accounts.models import RoleAssignment
from amis.accounts.permissions import active_roles, check
from amis.accounts.roles import Role
from amis.evaluation import rules
from amis.evaluation.models import (
    Evaluation,
    EvaluationPlan,
    EvaluationQuestion,
    EvaluationReport,
    Recommendation,
    RecommendationEvent,
)
from amis.programme.models import Programme

WHOLE_READERS = frozenset({Role.RA_MANAGER, Role.RA_OFFICER, Role.AUDITOR, Role.MC_MEMBER})
OPEN_RECOMMENDATION = ("open", "in_progress")


def programmes_for(user: Any) -> QuerySet[Programme]:
    """The programmes whose evaluations this person reads (none without `evaluation.view`)."""
    qs = Programme.objects.select_related("period", "fund").order_by("cci")
    if not check(user, "evaluation.view").allowed:
        return qs.none()
    if set(active_roles(user)) & WHOLE_READERS:
        return qs
    named = set(
        RoleAssignment.objects.filter(user=user, role=Role.DA_OFFICER, revoked_at__isnull=True).values_list(
            "programme_id", flat=True
        )
    )
    if None in named:
        return qs
    return qs.filter(pk__in=named)


def plans_overview(user: Any, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Each programme the reader sees with its plan (or none yet) and the plan's evaluations, each
    flagged when overdue: three queries."""
    today = today or timezone.localdate()
    programmes = list(programmes_for(user))
    plans = {
        p.programme_id: p
        for p in EvaluationPlan.objects.filter(programme__in=programmes).prefetch_related(
            Prefetch("evaluations", queryset=_with_counts(Evaluation.objects.all()))
        )
    }
    rows = []
    for programme in programmes:
        plan = plans.get(programme.pk)
        evaluations = list(plan.evaluations.all()) if plan else []
        for evaluation in evaluations:
            _flag(evaluation, today)
        rows.append({"programme": programme, "plan": plan, "evaluations": evaluations})
    return rows


def _with_counts(qs: QuerySet[Evaluation]) -> QuerySet[Evaluation]:
    return qs.annotate(
        recommendation_count=Count("recommendations", distinct=True),
        open_recommendations=Count(
            "recommendations", filter=Q(recommendations__status__in=OPEN_RECOMMENDATION), distinct=True
        ),
    ).order_by("planned_start", "pk")


def _flag(evaluation: Evaluation, today: dt.date) -> Evaluation:
    evaluation.overdue = rules.evaluation_overdue(evaluation.status, evaluation.due_date, today)  # type: ignore[attr-defined]
    return evaluation


def plan_for(user: Any, cci: str) -> EvaluationPlan | None:
    return (
        EvaluationPlan.objects.filter(programme__in=programmes_for(user), programme__cci=cci)
        .select_related("programme__period", "created_by")
        .first()
    )


def plan_evaluations(plan: EvaluationPlan, today: dt.date | None = None) -> list[Evaluation]:
    today = today or timezone.localdate()
    return [_flag(e, today) for e in _with_counts(plan.evaluations.all())]


def evaluations_for(user: Any, filters: dict[str, Any] | None = None) -> QuerySet[Evaluation]:
    """The evaluations of the programmes the reader sees (filters: programme CCI, status, kind)."""
    filters = filters or {}
    qs = _with_counts(
        Evaluation.objects.filter(plan__programme__in=programmes_for(user)).select_related(
            "plan__programme__period"
        )
    ).order_by("plan__programme__cci", "planned_start", "pk")
    if filters.get("programme"):
        qs = qs.filter(plan__programme__cci=filters["programme"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    return qs


def flagged(evaluations: Any, today: dt.date | None = None) -> list[Evaluation]:
    today = today or timezone.localdate()
    return [_flag(e, today) for e in evaluations]


def evaluation_for(user: Any, pk: int) -> Evaluation | None:
    """One evaluation with its questions, reports and recommendations (their events too)."""
    found = (
        Evaluation.objects.filter(pk=pk, plan__programme__in=programmes_for(user))
        .select_related("plan__programme__period", "created_by")
        .prefetch_related(
            Prefetch("questions", queryset=EvaluationQuestion.objects.order_by("number")),
            Prefetch(
                "reports", queryset=EvaluationReport.objects.select_related("uploaded_by").order_by("-pk")
            ),
            Prefetch("recommendations", queryset=Recommendation.objects.order_by("number")),
        )
        .first()
    )
    if found is None:
        return None
    today = timezone.localdate()
    _flag(found, today)
    for recommendation in found.recommendations.all():
        _flag_recommendation(recommendation, today)
    return found


def _flag_recommendation(recommendation: Recommendation, today: dt.date) -> Recommendation:
    recommendation.overdue = rules.recommendation_overdue(  # type: ignore[attr-defined]
        recommendation.status, recommendation.deadline, today
    )
    return recommendation


def recommendations_for(user: Any, status: str = "", overdue: bool = False) -> QuerySet[Recommendation]:
    """The recommendations of the evaluations the reader sees, the earliest deadline first (none
    last); `status` "open" means still to follow up (open or in progress)."""
    qs = Recommendation.objects.filter(evaluation__plan__programme__in=programmes_for(user)).select_related(
        "evaluation__plan__programme"
    )
    if status == "pending":
        qs = qs.filter(status__in=OPEN_RECOMMENDATION)
    elif status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status__in=OPEN_RECOMMENDATION, deadline__lt=timezone.localdate())
    return qs.order_by("deadline", "evaluation__plan__programme__cci", "evaluation_id", "number")


def flagged_recommendations(recommendations: Any, today: dt.date | None = None) -> list[Recommendation]:
    today = today or timezone.localdate()
    return [_flag_recommendation(r, today) for r in recommendations]


def recommendation_for(user: Any, pk: int) -> Recommendation | None:
    found = (
        Recommendation.objects.filter(pk=pk, evaluation__plan__programme__in=programmes_for(user))
        .select_related("evaluation__plan__programme", "created_by")
        .prefetch_related(
            Prefetch(
                "events", queryset=RecommendationEvent.objects.select_related("actor").order_by("at", "pk")
            )
        )
        .first()
    )
    return _flag_recommendation(found, timezone.localdate()) if found else None


def specific_objectives(programme: Programme) -> list[tuple[str, Any]]:
    """(code, name) of the specific objectives of the programme's latest version."""
    version = programme.versions.order_by("-number").first()
    if version is None:
        return []
    return [(so.code, so.name) for so in version.specific_objectives.order_by("position")]
