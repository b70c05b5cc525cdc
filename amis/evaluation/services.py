"""Writes of evaluations: the plan (draft -> submitted to the Monitoring Committee -> approved, or
back to draft when the committee asks for changes), evaluations (planned -> in progress -> report
delivered -> published), their questions and report, recommendations with the authority's response
and their follow-up (open -> in progress -> implemented, or closed with a note), every step of a
recommendation kept as a `RecommendationEvent`.

Each service runs in one transaction with its audit entry; a refusal of what was sent is written to
the audit trail too (`change_refused`, kept when the transaction rolls back); a refusal of who asks
is `permissions.require`'s (`permission_refused`). People's edits carry the `lock_version` their
page showed: an older one answers 409 and saves nothing. Only the responsible authority writes
(`evaluation.manage`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from amis.accounts.permissions import require
from amis.core import audit, uploads
from amis.core.errors import ApplicationError
from amis.core.refusals import check_version, refuse
from amis.core.transactions import atomic, lock_for_update
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

MANAGE = "evaluation.manage"


def _not_future(actor: Any, obj: Any, day: dt.date | None, what: str) -> dt.date:
    if day is None:
        raise refuse(actor, obj, _("Give the date %(what)s.") % {"what": what})
    if day > timezone.localdate():
        raise refuse(actor, obj, _("The date %(what)s cannot be in the future.") % {"what": what})
    return day


# -- the plan ---------------------------------------------------------------------------------------


@atomic
def plan_create(*, actor: Any, programme: Programme, title: str, description: str = "") -> EvaluationPlan:
    require(actor, MANAGE)
    current = Programme.objects.get(pk=programme.pk)  # one plan a programme: the unique key holds it
    if EvaluationPlan.objects.filter(programme=current).exists():
        raise refuse(actor, current, _("This programme already has its evaluation plan."))
    if not title.strip():
        raise refuse(actor, current, _("Give the plan a title."))
    plan = EvaluationPlan.objects.create(
        programme=current, title=title.strip()[:200], description=description.strip(), created_by=actor
    )
    audit.record(
        actor=actor, action="create", obj=plan, after={"programme": current.cci, "title": plan.title}
    )
    return plan


@atomic
def plan_update(
    *, actor: Any, plan: EvaluationPlan, expected_lock_version: int, title: str, description: str
) -> EvaluationPlan:
    """Change the title and description of a draft plan."""
    require(actor, MANAGE)
    current = lock_for_update(EvaluationPlan.objects.select_related("programme")).get(pk=plan.pk)
    check_version(actor, current, expected_lock_version)
    if current.status != EvaluationPlan.Status.DRAFT:
        raise refuse(actor, current, _("Only a draft plan is changed; return it to draft first."))
    if not title.strip():
        raise refuse(actor, current, _("Give the plan a title."))
    before = {"title": current.title, "description": current.description}
    current.title, current.description = title.strip()[:200], description.strip()
    current.lock_version += 1
    current.save(update_fields=["title", "description", "lock_version"])
    audit.record(
        actor=actor,
        action="update",
        obj=current,
        before=before,
        after={"title": current.title, "description": current.description},
    )
    return current


@atomic
def plan_status_change(
    *,
    actor: Any,
    plan: EvaluationPlan,
    expected_lock_version: int,
    status: str,
    on: dt.date | None = None,
    reference: str = "",
) -> EvaluationPlan:
    """Submit the plan to the Monitoring Committee (the date sent), record its approval (the date of
    the committee's approval, after the submission; the meeting or decision as reference), or return
    a submitted plan to draft when the committee asks for changes."""
    require(actor, MANAGE)
    current = lock_for_update(EvaluationPlan.objects.select_related("programme")).get(pk=plan.pk)
    check_version(actor, current, expected_lock_version)
    S = EvaluationPlan.Status
    detail = {"from": current.status, "to": status}
    if status not in S.values:
        raise refuse(actor, current, _("Choose the new status."), detail)
    if (current.status, status) not in rules.PLAN_STEPS:
        raise refuse(
            actor,
            current,
            _("A plan that is %(now)s cannot become %(next)s.")
            % {"now": S(current.status).label, "next": S(status).label},
            detail,
        )
    before = {"status": current.status}
    if status == S.SUBMITTED:
        current.submitted_on = _not_future(actor, current, on, _("of the submission"))
        if not current.evaluations.exists():
            raise refuse(
                actor, current, _("Plan at least one evaluation before submitting the plan."), detail
            )
    elif status == S.APPROVED:
        current.approved_on = _not_future(actor, current, on, _("of the approval"))
        if current.submitted_on and current.approved_on < current.submitted_on:
            raise refuse(actor, current, _("The plan is approved after it was submitted."), detail)
        current.approval_reference = reference.strip()[:200]
    else:
        current.submitted_on = None
    current.status = status
    current.lock_version += 1
    current.save(
        update_fields=["status", "submitted_on", "approved_on", "approval_reference", "lock_version"]
    )
    audit.record(
        actor=actor,
        action="status",
        obj=current,
        before=before,
        after={
            "status": status,
            "submitted_on": current.submitted_on.isoformat() if current.submitted_on else None,
            "approved_on": current.approved_on.isoformat() if current.approved_on else None,
            "reference": current.approval_reference,
        },
    )
    return current


# -- evaluations ------------------------------------------------------------------------------------


@atomic
def evaluation_create(
    *,
    actor: Any,
    plan: EvaluationPlan,
    kind: str,
    title: str,
    evaluator_type: str,
    evaluator: str,
    planned_start: dt.date,
    planned_end: dt.date,
    subject: str = "",
    specific_objectives: list[str] | None = None,
    due_date: dt.date | None = None,
) -> Evaluation:
    """Plan an evaluation. The regulation's evaluations (interim, ex-post; mid-term, retrospective,
    impact in 2021-2027) take the due date and article of `rules.DEADLINES`; the authority's own
    (thematic, impact) the due date it gives, if any."""
    require(actor, MANAGE)
    current = lock_for_update(EvaluationPlan.objects.select_related("programme__period")).get(pk=plan.pk)
    period = current.programme.period.code
    if kind not in rules.kinds_for(period):
        raise refuse(
            actor,
            current,
            _("A programme of %(period)s plans these evaluations: %(kinds)s.")
            % {
                "period": period,
                "kinds": ", ".join(str(Evaluation.Kind(k).label) for k in rules.kinds_for(period)),
            },
            {"kind": kind},
        )
    fields = _details(
        actor,
        current,
        current,
        kind,
        title=title,
        evaluator_type=evaluator_type,
        evaluator=evaluator,
        planned_start=planned_start,
        planned_end=planned_end,
        subject=subject,
        specific_objectives=specific_objectives,
        due_date=due_date,
    )
    evaluation = Evaluation.objects.create(plan=current, kind=kind, created_by=actor, **fields)
    audit.record(
        actor=actor,
        action="create",
        obj=evaluation,
        after={
            "kind": kind,
            **_audited(fields),
        },
    )
    return evaluation


def _details(
    actor: Any,
    obj: Any,
    plan: EvaluationPlan,
    kind: str,
    *,
    title: str,
    evaluator_type: str,
    evaluator: str,
    planned_start: dt.date,
    planned_end: dt.date,
    subject: str = "",
    specific_objectives: list[str] | None = None,
    due_date: dt.date | None = None,
) -> dict[str, Any]:
    """An evaluation's fields, checked; a refusal is audited on `obj`."""
    if not title.strip():
        raise refuse(actor, obj, _("Give the evaluation a title."))
    if evaluator_type not in Evaluation.EvaluatorType.values:
        raise refuse(actor, obj, _("Say whether the evaluator is internal or external."))
    if not evaluator.strip():
        raise refuse(actor, obj, _("Name the evaluator (unit, expert or firm)."))
    codes = _objectives(actor, plan, specific_objectives or [])
    deadline = rules.regulatory_deadline(plan.programme.period.code, kind)
    due, basis = (deadline.due, deadline.article) if deadline else (due_date, "")
    problems = rules.date_problems(planned_start, planned_end, due)
    if "end_before_start" in problems:
        raise refuse(actor, obj, _("The planned end comes after the planned start."))
    if "end_after_due" in problems:
        raise refuse(
            actor,
            obj,
            _("The evaluation is due by %(due)s (%(basis)s); plan its end by then.")
            % {"due": due.isoformat() if due else "", "basis": basis or _("the plan")},
        )
    return {
        "title": title.strip()[:200],
        "subject": subject.strip(),
        "specific_objectives": codes,
        "evaluator_type": evaluator_type,
        "evaluator": evaluator.strip()[:200],
        "planned_start": planned_start,
        "planned_end": planned_end,
        "due_date": due,
        "due_basis": basis,
    }


def _audited(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in fields.items()}


@atomic
def evaluation_update(
    *,
    actor: Any,
    evaluation: Evaluation,
    expected_lock_version: int,
    title: str,
    evaluator_type: str,
    evaluator: str,
    planned_start: dt.date,
    planned_end: dt.date,
    subject: str = "",
    specific_objectives: list[str] | None = None,
    due_date: dt.date | None = None,
) -> Evaluation:
    """Correct an evaluation that is planned or in progress: its title, subject, objectives,
    evaluator and planned dates (the kind stays; so does a regulation's due date)."""
    require(actor, MANAGE)
    current = lock_for_update(Evaluation.objects.select_related("plan__programme__period")).get(
        pk=evaluation.pk
    )
    check_version(actor, current, expected_lock_version)
    if current.status not in rules.OPEN_EVALUATION:
        raise refuse(actor, current, _("A delivered evaluation stays as it was delivered."))
    fields = _details(
        actor,
        current,
        current.plan,
        current.kind,
        title=title,
        evaluator_type=evaluator_type,
        evaluator=evaluator,
        planned_start=planned_start,
        planned_end=planned_end,
        subject=subject,
        specific_objectives=specific_objectives,
        due_date=due_date,
    )
    before = {name: getattr(current, name) for name in fields}
    for name, value in fields.items():
        setattr(current, name, value)
    current.lock_version += 1
    current.save(update_fields=[*fields, "lock_version"])
    audit.record(actor=actor, action="update", obj=current, before=_audited(before), after=_audited(fields))
    return current


def _objectives(actor: Any, plan: EvaluationPlan, codes: list[str]) -> list[str]:
    version = plan.programme.versions.order_by("-number").first()
    known = (
        list(version.specific_objectives.order_by("position").values_list("code", flat=True))
        if version
        else []
    )
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise refuse(
            actor,
            plan,
            _("Not a specific objective of the programme: %(codes)s.") % {"codes": ", ".join(unknown)},
        )
    return [c for c in known if c in codes]


@atomic
def evaluation_status_change(
    *, actor: Any, evaluation: Evaluation, expected_lock_version: int, status: str, on: dt.date | None
) -> Evaluation:
    """Start the evaluation (the day work began), record the report delivered (a report uploaded
    first) or its publication (Reg. (EU) 2021/1060 Art. 44(7): evaluations are published)."""
    require(actor, MANAGE)
    current = lock_for_update(Evaluation.objects.select_related("plan__programme")).get(pk=evaluation.pk)
    check_version(actor, current, expected_lock_version)
    S = Evaluation.Status
    detail = {"from": current.status, "to": status}
    if status not in S.values:
        raise refuse(actor, current, _("Choose the new status."), detail)
    if (current.status, status) not in rules.EVALUATION_STEPS:
        raise refuse(
            actor,
            current,
            _("An evaluation that is %(now)s cannot become %(next)s.")
            % {"now": S(current.status).label, "next": S(status).label},
            detail,
        )
    if status == S.IN_PROGRESS:
        current.started_on = _not_future(actor, current, on, _("work started"))
    elif status == S.DELIVERED:
        if not current.reports.exists():
            raise refuse(actor, current, _("Upload the evaluation report first."), detail)
        day = _not_future(actor, current, on, _("the report was delivered"))
        if current.started_on and day < current.started_on:
            raise refuse(actor, current, _("The report is delivered after the work started."), detail)
        current.delivered_on = day
    else:
        day = _not_future(actor, current, on, _("of publication"))
        if current.delivered_on and day < current.delivered_on:
            raise refuse(actor, current, _("The report is published after it was delivered."), detail)
        current.published_on = day
    before = current.status
    current.status = status
    current.lock_version += 1
    current.save(update_fields=["status", "started_on", "delivered_on", "published_on", "lock_version"])
    audit.record(
        actor=actor,
        action="status",
        obj=current,
        before={"status": before},
        after={"status": status, "on": on.isoformat() if on else None},
    )
    return current


@atomic
def question_add(*, actor: Any, evaluation: Evaluation, text: str, criterion: str) -> EvaluationQuestion:
    """An evaluation question, numbered after the others, while the report is not delivered."""
    require(actor, MANAGE)
    current = lock_for_update(Evaluation.objects.select_related("plan__programme")).get(pk=evaluation.pk)
    if current.status not in rules.OPEN_EVALUATION:
        raise refuse(actor, current, _("The questions are set before the report is delivered."))
    if not text.strip():
        raise refuse(actor, current, _("Write the question."))
    if criterion not in EvaluationQuestion.Criterion.values:
        raise refuse(actor, current, _("Choose the criterion the question answers."))
    number = (current.questions.aggregate(n=Max("number"))["n"] or 0) + 1
    question = EvaluationQuestion.objects.create(
        evaluation=current, number=number, text=text.strip(), criterion=criterion
    )
    current.lock_version += 1
    current.save(update_fields=["lock_version"])
    audit.record(actor=actor, action="create", obj=question, after={"number": number, "criterion": criterion})
    return question


@atomic
def report_upload(*, actor: Any, evaluation: Evaluation, name: str, data: bytes) -> EvaluationReport:
    """The evaluation's report (PDF, DOCX, ODT...; 10 MB; checked by content, kept with its SHA-256),
    while the evaluation is in progress or delivered; once published it stays as published."""
    require(actor, MANAGE)
    current = lock_for_update(Evaluation.objects.select_related("plan__programme")).get(pk=evaluation.pk)
    if current.status not in (Evaluation.Status.IN_PROGRESS, Evaluation.Status.DELIVERED):
        raise refuse(
            actor, current, _("The report is uploaded while the evaluation is in progress or delivered.")
        )
    report = EvaluationReport(evaluation=current, uploaded_by=actor)
    try:
        digest = uploads.store(report, name, data)
    except ApplicationError as error:
        raise refuse(actor, current, error.message) from error
    report.save()
    audit.record(
        actor=actor,
        action="create",
        obj=report,
        after={"evaluation": current.pk, "name": report.name, "sha256": digest},
    )
    return report


# -- recommendations --------------------------------------------------------------------------------


@atomic
def recommendation_add(
    *, actor: Any, evaluation: Evaluation, text: str, addressed_to: str, priority: str = "medium"
) -> Recommendation:
    """A recommendation of the delivered (or published) report, numbered after the others."""
    require(actor, MANAGE)
    current = lock_for_update(Evaluation.objects.select_related("plan__programme")).get(pk=evaluation.pk)
    if current.status in rules.OPEN_EVALUATION:
        raise refuse(actor, current, _("Recommendations come from a delivered report."))
    if not text.strip():
        raise refuse(actor, current, _("Write the recommendation."))
    if not addressed_to.strip():
        raise refuse(actor, current, _("Say to whom the recommendation is addressed."))
    if priority not in Recommendation.Priority.values:
        raise refuse(actor, current, _("Choose the priority."))
    number = (current.recommendations.aggregate(n=Max("number"))["n"] or 0) + 1
    recommendation = Recommendation.objects.create(
        evaluation=current,
        number=number,
        text=text.strip(),
        addressed_to=addressed_to.strip()[:200],
        priority=priority,
        created_by=actor,
    )
    RecommendationEvent.objects.create(
        recommendation=recommendation,
        kind=RecommendationEvent.Kind.RECORDED,
        to_status=recommendation.status,
        actor=actor,
    )
    audit.record(
        actor=actor,
        action="create",
        obj=recommendation,
        after={"evaluation": current.pk, "number": number, "priority": priority},
    )
    return recommendation


@atomic
def recommendation_respond(
    *,
    actor: Any,
    recommendation: Recommendation,
    expected_lock_version: int,
    response: str,
    reason: str = "",
    planned_action: str = "",
    deadline: dt.date | None = None,
) -> Recommendation:
    """The authority's response to an open recommendation: accepted or partly accepted with the
    action planned and its deadline (partly: and why not all), or rejected with the reason."""
    require(actor, MANAGE)
    current = lock_for_update(Recommendation.objects.select_related("evaluation__plan__programme")).get(
        pk=recommendation.pk
    )
    check_version(actor, current, expected_lock_version)
    R = Recommendation.Response
    if current.status != Recommendation.Status.OPEN:
        raise refuse(actor, current, _("The response is given while the recommendation is open."))
    if response not in R.values:
        raise refuse(actor, current, _("Choose the response: accepted, partly accepted or rejected."))
    if response in (R.REJECTED, R.PARTLY) and not reason.strip():
        raise refuse(actor, current, _("Say why the recommendation is not accepted in full."))
    if response in (R.ACCEPTED, R.PARTLY):
        if not planned_action.strip():
            raise refuse(actor, current, _("Describe the action planned."))
        if deadline is None:
            raise refuse(actor, current, _("Give the deadline of the action planned."))
    before = {
        "response": current.response,
        "deadline": current.deadline.isoformat() if current.deadline else None,
    }
    current.response = response
    current.response_reason = reason.strip()
    current.planned_action = planned_action.strip() if response != R.REJECTED else ""
    current.deadline = deadline if response != R.REJECTED else None
    current.lock_version += 1
    current.save(update_fields=["response", "response_reason", "planned_action", "deadline", "lock_version"])
    note = str(R(response).label)
    if current.response_reason:
        note += f": {current.response_reason}"
    RecommendationEvent.objects.create(
        recommendation=current,
        kind=RecommendationEvent.Kind.RESPONSE,
        from_status=current.status,
        to_status=current.status,
        note=note,
        actor=actor,
    )
    audit.record(
        actor=actor,
        action="update",
        obj=current,
        before=before,
        after={
            "response": response,
            "reason": current.response_reason,
            "planned_action": current.planned_action,
            "deadline": current.deadline.isoformat() if current.deadline else None,
        },
    )
    return current


@atomic
def recommendation_status_change(
    *, actor: Any, recommendation: Recommendation, expected_lock_version: int, status: str, note: str = ""
) -> Recommendation:
    """Follow a recommendation up: in progress (its response accepted or partly accepted), then
    implemented or closed; a rejected one is closed. Implemented and closed need the closing note."""
    require(actor, MANAGE)
    current = lock_for_update(Recommendation.objects.select_related("evaluation__plan__programme")).get(
        pk=recommendation.pk
    )
    check_version(actor, current, expected_lock_version)
    S = Recommendation.Status
    detail = {"from": current.status, "to": status}
    if status not in S.values:
        raise refuse(actor, current, _("Choose the new status."), detail)
    if (current.status, status) not in rules.RECOMMENDATION_STEPS:
        raise refuse(
            actor,
            current,
            _("A recommendation that is %(now)s cannot become %(next)s.")
            % {"now": S(current.status).label, "next": S(status).label},
            detail,
        )
    if not current.response:
        raise refuse(actor, current, _("Record the authority's response first."), detail)
    if status == S.IN_PROGRESS and current.response == Recommendation.Response.REJECTED:
        raise refuse(actor, current, _("A rejected recommendation is closed, not followed up."), detail)
    if status in rules.FINAL_RECOMMENDATION and not note.strip():
        raise refuse(actor, current, _("Write the closing note: what was done, or why it is closed."), detail)
    before = current.status
    current.status = status
    if status in rules.FINAL_RECOMMENDATION:
        current.closing_note = note.strip()
        current.closed_on = timezone.localdate()
    current.lock_version += 1
    current.save(update_fields=["status", "closing_note", "closed_on", "lock_version"])
    RecommendationEvent.objects.create(
        recommendation=current,
        kind=RecommendationEvent.Kind.STATUS,
        from_status=before,
        to_status=status,
        note=note.strip(),
        actor=actor,
    )
    audit.record(
        actor=actor,
        action="status",
        obj=current,
        before={"status": before},
        after={"status": status, "note": note.strip()},
    )
    return current
