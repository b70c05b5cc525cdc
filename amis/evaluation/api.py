"""Evaluations in the REST API (/api/v1/evaluations...): plans, evaluations, questions, reports and
recommendations with their follow-up; the same services and scope as the pages. 400 for a broken
rule or bad input, 403 with the reason, 404 outside the caller's scope, 409 for a stale lock_version."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status

from amis.accounts.api_auth import AUTHENTICATED
from amis.accounts.permissions import require, roles_text
from amis.core import uploads
from amis.core.api_input import FILE, body, json_body_doc, multipart_doc
from amis.core.errors import ApplicationError
from amis.evaluation import rules, selectors, services
from amis.evaluation.models import Evaluation, EvaluationPlan, Recommendation

router = Router(tags=["evaluations"])
VIEW, MANAGE = "evaluation.view", "evaluation.manage"


class PlanIn(Schema):
    programme: str
    title: str
    description: str = ""


class PlanUpdateIn(Schema):
    lock_version: int
    title: str
    description: str = ""


class StepIn(Schema):
    lock_version: int
    status: str
    on: dt.date | None = None
    reference: str = ""


class EvaluationIn(Schema):
    kind: str
    title: str
    evaluator_type: str
    evaluator: str
    planned_start: dt.date
    planned_end: dt.date
    subject: str = ""
    specific_objectives: list[str] = []
    due_date: dt.date | None = None


class EvaluationUpdateIn(Schema):
    lock_version: int
    title: str
    evaluator_type: str
    evaluator: str
    planned_start: dt.date
    planned_end: dt.date
    subject: str = ""
    specific_objectives: list[str] = []
    due_date: dt.date | None = None


class QuestionIn(Schema):
    text: str
    criterion: str


class RecommendationIn(Schema):
    text: str
    addressed_to: str
    priority: str = "medium"


class ResponseIn(Schema):
    lock_version: int
    response: str
    reason: str = ""
    planned_action: str = ""
    deadline: dt.date | None = None


class FollowUpIn(Schema):
    lock_version: int
    status: str
    note: str = ""


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _plan_out(plan: EvaluationPlan) -> dict[str, Any]:
    return {
        "programme": plan.programme.cci,
        "title": plan.title,
        "description": plan.description,
        "status": plan.status,
        "submitted_on": _iso(plan.submitted_on),
        "approved_on": _iso(plan.approved_on),
        "approval_reference": plan.approval_reference,
        "lock_version": plan.lock_version,
    }


def _evaluation_out(e: Evaluation, today: dt.date, full: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": e.pk,
        "programme": e.plan.programme.cci,
        "kind": e.kind,
        "title": e.title,
        "subject": e.subject,
        "specific_objectives": e.specific_objectives,
        "evaluator_type": e.evaluator_type,
        "evaluator": e.evaluator,
        "planned_start": _iso(e.planned_start),
        "planned_end": _iso(e.planned_end),
        "due_date": _iso(e.due_date),
        "due_basis": e.due_basis,
        "started_on": _iso(e.started_on),
        "delivered_on": _iso(e.delivered_on),
        "published_on": _iso(e.published_on),
        "status": e.status,
        "overdue": rules.evaluation_overdue(e.status, e.due_date, today),
        "lock_version": e.lock_version,
    }
    if full:
        out["questions"] = [
            {"number": q.number, "text": q.text, "criterion": q.criterion} for q in e.questions.all()
        ]
        out["reports"] = [
            {
                "id": r.pk,
                "name": r.name,
                "size": r.size,
                "sha256": r.sha256,
                "uploaded_at": r.uploaded_at.isoformat(),
            }
            for r in e.reports.all()
        ]
        out["recommendations"] = [_recommendation_out(r, today) for r in e.recommendations.all()]
    return out


def _recommendation_out(r: Recommendation, today: dt.date, history: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": r.pk,
        "evaluation": r.evaluation_id,
        "number": r.number,
        "text": r.text,
        "addressed_to": r.addressed_to,
        "priority": r.priority,
        "response": r.response,
        "response_reason": r.response_reason,
        "planned_action": r.planned_action,
        "deadline": _iso(r.deadline),
        "status": r.status,
        "overdue": rules.recommendation_overdue(r.status, r.deadline, today),
        "closing_note": r.closing_note,
        "closed_on": _iso(r.closed_on),
        "lock_version": r.lock_version,
    }
    if history:
        out["history"] = [
            {
                "kind": e.kind,
                "from": e.from_status,
                "to": e.to_status,
                "note": e.note,
                "by": e.actor.email,
                "at": e.at.isoformat(),
            }
            for e in r.events.all()
        ]
    return out


def _plan(request: HttpRequest, cci: str) -> EvaluationPlan:
    plan = selectors.plan_for(request.user, cci)
    if plan is None:
        raise Http404(f"No evaluation plan for {cci}.")
    return plan


def _evaluation(request: HttpRequest, evaluation_id: int) -> Evaluation:
    found = selectors.evaluation_for(request.user, evaluation_id)
    if found is None:
        raise Http404(f"No evaluation {evaluation_id}.")
    return found


def _recommendation(request: HttpRequest, recommendation_id: int) -> Recommendation:
    found = selectors.recommendation_for(request.user, recommendation_id)
    if found is None:
        raise Http404(f"No recommendation {recommendation_id}.")
    return found


@router.get(
    "/evaluations/plans",
    response=list[dict[str, Any]],
    auth=AUTHENTICATED,
    summary="The evaluation plans of the programmes the caller sees",
    description=roles_text(VIEW),
)
def list_plans(request: HttpRequest) -> list[dict[str, Any]]:
    require(request.user, VIEW)
    return [_plan_out(row["plan"]) for row in selectors.plans_overview(request.user) if row["plan"]]


@router.post(
    "/evaluations/plans",
    response={201: dict[str, Any]},
    auth=AUTHENTICATED,
    summary="Draft the evaluation plan of a programme (one per programme)",
    description=roles_text(MANAGE),
    openapi_extra=json_body_doc(PlanIn),
)
def create_plan(request: HttpRequest) -> Status:
    require(request.user, MANAGE)
    data = body(request, PlanIn)
    programme = selectors.programmes_for(request.user).filter(cci=data.programme).first()
    if programme is None:
        raise Http404(f"No programme {data.programme}.")
    plan = services.plan_create(
        actor=request.user, programme=programme, title=data.title, description=data.description
    )
    return Status(201, _plan_out(plan))


@router.get(
    "/evaluations/plans/{cci}",
    response=dict[str, Any],
    auth=AUTHENTICATED,
    summary="A programme's evaluation plan with its evaluations",
    description=roles_text(VIEW),
)
def get_plan(request: HttpRequest, cci: str) -> dict[str, Any]:
    require(request.user, VIEW)
    plan = _plan(request, cci)
    today = timezone.localdate()
    return {
        **_plan_out(plan),
        "evaluations": [_evaluation_out(e, today) for e in selectors.plan_evaluations(plan)],
    }


@router.patch(
    "/evaluations/plans/{cci}",
    response=dict[str, Any],
    auth=AUTHENTICATED,
    summary="Change the title and description of a draft plan",
    description=roles_text(MANAGE),
    openapi_extra=json_body_doc(PlanUpdateIn),
)
def update_plan(request: HttpRequest, cci: str) -> dict[str, Any]:
    require(request.user, MANAGE)
    plan = _plan(request, cci)
    data = body(request, PlanUpdateIn)
    done = services.plan_update(
        actor=request.user,
        plan=plan,
        expected_lock_version=data.lock_version,
        title=data.title,
        description=data.description,
    )
    return _plan_out(done)


@router.post(
    "/evaluations/plans/{cci}/status",
    response=dict[str, Any],
    auth=AUTHENTICATED,
    summary="Submit the plan to the Monitoring Committee, record its approval, or return it to draft",
    description=roles_text(MANAGE) + " `status`: submitted (with `on`), approved (`on`, `reference`), draft.",
    openapi_extra=json_body_doc(StepIn),
)
def plan_step(request: HttpRequest, cci: str) -> dict[str, Any]:
    require(request.user, MANAGE)
    plan = _plan(request, cci)
    data = body(request, StepIn)
    done = services.plan_status_change(
        actor=request.user,
        plan=plan,
        expected_lock_version=data.lock_version,
        status=data.status,
        on=data.on,
        reference=data.reference,
    )
    return _plan_out(done)


@router.post(
    "/evaluations/plans/{cci}/evaluations",
    response={201: dict[str, Any]},
    auth=AUTHENTICATED,
    summary="Plan an evaluation (the regulation's take its due date and article)",
    description=roles_text(MANAGE) + " `kind`: " + ", ".join(Evaluation.Kind.values) + ".",
    openapi_extra=json_body_doc(EvaluationIn),
)
def create_evaluation(request: HttpRequest, cci: str) -> Status:
    require(request.user, MANAGE)
    plan = _plan(request, cci)
    data = body(request, EvaluationIn)
    evaluation = services.evaluation_create(actor=request.user, plan=plan, **data.model_dump())
    return Status(201, _evaluation_out(evaluation, timezone.localdate()))


@router.get(
    "/evaluations",
    response=list[dict[str, Any]],
    auth=AUTHENTICATED,
    summary="The evaluations of the programmes the caller sees (filters: programme, status, kind)",
    description=roles_text(VIEW),
)
def list_evaluations(
    request: HttpRequest, programme: str = "", status: str = "", kind: str = ""
) -> list[dict[str, Any]]:
    require(request.user, VIEW)
    if status and status not in Evaluation.Status.values:
        raise ApplicationError(f"Unknown status {status!r}: one of {', '.join(Evaluation.Status.values)}.")
    if kind and kind not in Evaluation.Kind.values:
        raise ApplicationError(f"Unknown kind {kind!r}: one of {', '.join(Evaluation.Kind.values)}.")
    today = timezone.localdate()
    found = selectors.evaluations_for(request.user, {"programme": programme, "status": status, "kind": kind})
    return [_evaluation_out(e, today) for e in found[:500]]


@router.get(
    "/evaluations/recommendations",
    response=list[dict[str, Any]],
    auth=AUTHENTICATED,
    summary="Recommendations and their follow-up (filters: status, or pending; overdue)",
    description=roles_text(VIEW),
)
def list_recommendations(
    request: HttpRequest, status: str = "", overdue: bool = False
) -> list[dict[str, Any]]:
    require(request.user, VIEW)
    if status and status not in [*Recommendation.Status.values, "pending"]:
        raise ApplicationError(
            f"Unknown status {status!r}: pending or one of {', '.join(Recommendation.Status.values)}."
        )
    today = timezone.localdate()
    found = selectors.recommendations_for(request.user, status=status, overdue=overdue)
    return [_recommendation_out(r, today) for r in found[:500]]


@router.get(
    "/evaluations/recommendations/{recommendation_id}",
    response=dict[str, Any],
    auth=AUTHENTICATED,
    summary="One recommendation with its history",
    description=roles_text(VIEW),
)
def get_recommendation(request: HttpRequest, recommendation_id: int) -> dict[str, Any]:
    require(request.user, VIEW)
    return _recommendation_out(
        _recommendation(request, recommendation_id), timezone.localdate(), history=True
    )


@router.post(
    "/evaluations/recommendations/{recommendation_id}/response",
    response=dict[str, Any],
    auth=AUTHENTICATED,
    summary="The authority's response: accepted or partly (action planned, deadline) or rejected (reason)",
    description=roles_text(MANAGE),
    openapi_extra=json_body_doc(ResponseIn),
)
def respond(request: HttpRequest, recommendation_id: int) -> dict[str, Any]:
    require(request.user, MANAGE)
    recommendation = _recommendation(request, recommendation_id)
    data = body(request, ResponseIn)
    done = services.recommendation_respond(
        actor=request.user,
        recommendation=recommendation,
        expected_lock_version=data.lock_version,
        response=data.response,
        reason=data.reason,
        planned_action=data.planned_action,
        deadline=data.deadline,
    )
    done = _recommendation(request, done.pk)
    return _recommendation_out(done, timezone.localdate(), history=True)


@router.post(
    "/evaluations/recommendations/{recommendation_id}/status",
    response=dict[str, Any],
    auth=AUTHENTICATED,
    summary="Follow a recommendation up: in_progress, implemented or closed (closing note)",
    description=roles_text(MANAGE),
    openapi_extra=json_body_doc(FollowUpIn),
)
def follow_up(request: HttpRequest, recommendation_id: int) -> dict[str, Any]:
    require(request.user, MANAGE)
    recommendation = _recommendation(request, recommendation_id)
    data = body(request, FollowUpIn)
    done = services.recommendation_status_change(
        actor=request.user,
        recommendation=recommendation,
        expected_lock_version=data.lock_version,
        status=data.status,
        note=data.note,
    )
    done = _recommendation(request, done.pk)
    return _recommendation_out(done, timezone.localdate(), history=True)


@router.get(
    "/evaluations/{evaluation_id}",
    response=dict[str, Any],
    auth=AUTHENTICATED,
    summary="One evaluation with its questions, reports and recommendations",
    description=roles_text(VIEW),
)
def get_evaluation(request: HttpRequest, evaluation_id: int) -> dict[str, Any]:
    require(request.user, VIEW)
    return _evaluation_out(_evaluation(request, evaluation_id), timezone.localdate(), full=True)


@router.patch(
    "/evaluations/{evaluation_id}",
    response=dict[str, Any],
    auth=AUTHENTICATED,
    summary="Correct an evaluation planned or in progress (title, subject, objectives, evaluator, dates)",
    description=roles_text(MANAGE),
    openapi_extra=json_body_doc(EvaluationUpdateIn),
)
def update_evaluation(request: HttpRequest, evaluation_id: int) -> dict[str, Any]:
    require(request.user, MANAGE)
    evaluation = _evaluation(request, evaluation_id)
    data = body(request, EvaluationUpdateIn).model_dump()
    done = services.evaluation_update(
        actor=request.user, evaluation=evaluation, expected_lock_version=data.pop("lock_version"), **data
    )
    return _evaluation_out(done, timezone.localdate())


@router.post(
    "/evaluations/{evaluation_id}/status",
    response=dict[str, Any],
    auth=AUTHENTICATED,
    summary="Move an evaluation: in_progress, delivered (a report uploaded first), published; `on` the date",
    description=roles_text(MANAGE),
    openapi_extra=json_body_doc(StepIn),
)
def evaluation_step(request: HttpRequest, evaluation_id: int) -> dict[str, Any]:
    require(request.user, MANAGE)
    evaluation = _evaluation(request, evaluation_id)
    data = body(request, StepIn)
    done = services.evaluation_status_change(
        actor=request.user,
        evaluation=evaluation,
        expected_lock_version=data.lock_version,
        status=data.status,
        on=data.on,
    )
    return _evaluation_out(done, timezone.localdate())


@router.post(
    "/evaluations/{evaluation_id}/questions",
    response={201: dict[str, Any]},
    auth=AUTHENTICATED,
    summary="Add an evaluation question (criterion: " + ", ".join(rules.CRITERIA) + ")",
    description=roles_text(MANAGE),
    openapi_extra=json_body_doc(QuestionIn),
)
def add_question(request: HttpRequest, evaluation_id: int) -> Status:
    require(request.user, MANAGE)
    evaluation = _evaluation(request, evaluation_id)
    data = body(request, QuestionIn)
    question = services.question_add(actor=request.user, evaluation=evaluation, **data.model_dump())
    return Status(201, {"number": question.number, "text": question.text, "criterion": question.criterion})


@router.post(
    "/evaluations/{evaluation_id}/report",
    response={201: dict[str, Any]},
    auth=AUTHENTICATED,
    summary="Upload the evaluation report (PDF, DOCX, ODT, XLSX, ODS, PNG, JPEG; 10 MB)",
    description=roles_text(MANAGE),
    openapi_extra=multipart_doc(["file"], {"file": FILE}),
)
def upload_report(request: HttpRequest, evaluation_id: int) -> Status:
    require(request.user, MANAGE)
    evaluation = _evaluation(request, evaluation_id)
    name, data = uploads.read_upload(
        request.FILES.get("file"), "Send the report as the multipart field 'file'."
    )
    report = services.report_upload(actor=request.user, evaluation=evaluation, name=name, data=data)
    return Status(201, {"id": report.pk, "name": report.name, "size": report.size, "sha256": report.sha256})


@router.post(
    "/evaluations/{evaluation_id}/recommendations",
    response={201: dict[str, Any]},
    auth=AUTHENTICATED,
    summary="Record a recommendation of a delivered report (priority: high, medium, low)",
    description=roles_text(MANAGE),
    openapi_extra=json_body_doc(RecommendationIn),
)
def add_recommendation(request: HttpRequest, evaluation_id: int) -> Status:
    require(request.user, MANAGE)
    evaluation = _evaluation(request, evaluation_id)
    data = body(request, RecommendationIn)
    recommendation = services.recommendation_add(
        actor=request.user, evaluation=evaluation, **data.model_dump()
    )
    return Status(201, _recommendation_out(recommendation, timezone.localdate()))
