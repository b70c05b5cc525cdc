"""Evaluation pages (/evaluations/): the plan of each programme the reader sees with its evaluations
(overdue ones flagged), a plan's page (its steps to the Monitoring Committee's approval, its
evaluations, planning a new one), an evaluation's page (questions, report, recommendations and their
follow-up), the follow-up list of recommendations (filtered by status, overdue ones marked) and a
recommendation's page with its history.

Reading: `evaluation.view`; writing: `evaluation.manage` (the responsible authority), through
`services`. Refusals answer 400 with the rule broken, 403 with the reason, 409 when the record
changed meanwhile."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amis.accounts.permissions import check, require
from amis.core import pages, uploads
from amis.core.errors import ApplicationError
from amis.core.http import error_message, error_status
from amis.evaluation import rules, selectors, services
from amis.evaluation.forms import (
    EvaluationEditForm,
    EvaluationForm,
    EvaluationStatusForm,
    PlanForm,
    PlanStatusForm,
    QuestionForm,
    RecommendationFilterForm,
    RecommendationForm,
    RecommendationStatusForm,
    ReportForm,
    ResponseForm,
)
from amis.evaluation.models import Evaluation, EvaluationPlan, Recommendation

PER_PAGE = 50


def _next_steps(form: Any, steps: set[tuple[str, str]], current: str) -> Any:
    """The form's status choices cut to the steps the record may take from `current` (the service
    still checks a posted step)."""
    field = form.fields["status"]
    allowed = {to for now, to in steps if now == current}
    field.choices = [(value, label) for value, label in field.choices if value in allowed]
    return form


def _may_manage(request: HttpRequest) -> bool:
    return check(request.user, "evaluation.manage").allowed


# -- overview and plans -----------------------------------------------------------------------------


def _overview(request: HttpRequest, status: int = 200, **extra: Any) -> HttpResponse:
    rows = selectors.plans_overview(request.user)
    without_plan = [r["programme"] for r in rows if r["plan"] is None]
    context = {
        "rows": rows,
        "may_manage": _may_manage(request),
        "plan_form": extra.pop("plan_form", None) or PlanForm(programmes=without_plan),
        "without_plan": without_plan,
        **extra,
    }
    return render(request, "evaluation/overview.html", context, status=status)


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    require(request.user, "evaluation.view")
    return _overview(request)


@login_required
@require_POST
def plan_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "evaluation.manage")
    programmes = list(selectors.programmes_for(request.user))
    plan, refused = pages.submit_form(
        PlanForm(request.POST, programmes=programmes),
        lambda data: services.plan_create(
            actor=request.user,
            programme=next(p for p in programmes if p.cci == data["programme"]),
            title=data["title"],
            description=data["description"],
        ),
        partial(_overview, request),
        "plan_form",
    )
    if refused:
        return refused
    messages.success(request, _("The evaluation plan is drafted."))
    return redirect("evaluation:plan", plan.programme.cci)


def _plan_or_404(request: HttpRequest, cci: str, action: str = "evaluation.view") -> EvaluationPlan:
    require(request.user, action)
    plan = selectors.plan_for(request.user, cci)
    if plan is None:
        raise Http404(_("No evaluation plan for this programme."))
    return plan


def _plan_page(request: HttpRequest, plan: EvaluationPlan, status: int = 200, **extra: Any) -> HttpResponse:
    period = plan.programme.period.code
    decision = plan.programme.versions.exclude(decision_date=None).order_by("number").first()
    objectives = [(code, code) for code, _name in selectors.specific_objectives(plan.programme)]
    context = {
        "plan": plan,
        "evaluations": selectors.plan_evaluations(plan),
        "may_manage": _may_manage(request),
        "deadlines": [
            {"kind": Evaluation.Kind(kind).label, "deadline": deadline}
            for kind, deadline in rules.DEADLINES.get(period, {}).items()
        ],
        "plan_due": rules.plan_due(period, decision.decision_date if decision else None),
        "status_form": extra.pop("status_form", None)
        or _next_steps(
            PlanStatusForm(initial={"lock_version": plan.lock_version}), rules.PLAN_STEPS, plan.status
        ),
        "evaluation_form": extra.pop("evaluation_form", None)
        or EvaluationForm(period=period, objectives=objectives),
        **extra,
    }
    return render(request, "evaluation/plan.html", context, status=status)


@login_required
@require_GET
def plan_detail(request: HttpRequest, cci: str) -> HttpResponse:
    return _plan_page(request, _plan_or_404(request, cci))


@login_required
@require_POST
def plan_status(request: HttpRequest, cci: str) -> HttpResponse:
    plan = _plan_or_404(request, cci, "evaluation.manage")
    done, refused = pages.submit_form(
        PlanStatusForm(request.POST),
        lambda data: services.plan_status_change(
            actor=request.user,
            plan=plan,
            expected_lock_version=data["lock_version"],
            status=data["status"],
            on=data["on"],
            reference=data["reference"],
        ),
        partial(_plan_page, request, plan),
        "status_form",
    )
    if refused:
        return refused
    messages.success(request, _("The plan is now %(status)s.") % {"status": done.get_status_display()})
    return redirect("evaluation:plan", cci)


@login_required
@require_POST
def evaluation_create(request: HttpRequest, cci: str) -> HttpResponse:
    plan = _plan_or_404(request, cci, "evaluation.manage")
    objectives = [(code, code) for code, _name in selectors.specific_objectives(plan.programme)]
    evaluation, refused = pages.submit_form(
        EvaluationForm(request.POST, period=plan.programme.period.code, objectives=objectives),
        lambda data: services.evaluation_create(actor=request.user, plan=plan, **data),
        partial(_plan_page, request, plan),
        "evaluation_form",
    )
    if refused:
        return refused
    messages.success(request, _("The evaluation is planned."))
    return redirect("evaluation:evaluation", evaluation.pk)


# -- one evaluation ---------------------------------------------------------------------------------


def _evaluation_or_404(request: HttpRequest, pk: int, action: str = "evaluation.view") -> Evaluation:
    require(request.user, action)
    evaluation = selectors.evaluation_for(request.user, pk)
    if evaluation is None:
        raise Http404(_("No such evaluation."))
    return evaluation


def _evaluation_page(
    request: HttpRequest, evaluation: Evaluation, status: int = 200, **extra: Any
) -> HttpResponse:
    lock = {"lock_version": evaluation.lock_version}
    context = {
        "evaluation": evaluation,
        "edit_form": extra.pop("edit_form", None) or _edit_form(evaluation),
        "questions": list(evaluation.questions.all()),
        "reports": list(evaluation.reports.all()),
        "recommendations": list(evaluation.recommendations.all()),
        "may_manage": _may_manage(request),
        "is_open": evaluation.status in rules.OPEN_EVALUATION,
        "status_form": extra.pop("status_form", None)
        or _next_steps(EvaluationStatusForm(initial=lock), rules.EVALUATION_STEPS, evaluation.status),
        "question_form": extra.pop("question_form", None) or QuestionForm(),
        "report_form": extra.pop("report_form", None) or ReportForm(),
        "recommendation_form": extra.pop("recommendation_form", None) or RecommendationForm(),
        **extra,
    }
    return render(request, "evaluation/evaluation.html", context, status=status)


def _edit_form(evaluation: Evaluation, data: Any = None) -> EvaluationEditForm:
    objectives = [(code, code) for code, _name in selectors.specific_objectives(evaluation.plan.programme)]
    initial = {
        "lock_version": evaluation.lock_version,
        "title": evaluation.title,
        "subject": evaluation.subject,
        "specific_objectives": evaluation.specific_objectives,
        "evaluator_type": evaluation.evaluator_type,
        "evaluator": evaluation.evaluator,
        "planned_start": evaluation.planned_start,
        "planned_end": evaluation.planned_end,
        "due_date": None if evaluation.due_basis else evaluation.due_date,
    }
    return EvaluationEditForm(
        data,
        initial=initial,
        prefix="edit",
        period=evaluation.plan.programme.period.code,
        objectives=objectives,
    )


@login_required
@require_POST
def evaluation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation_or_404(request, pk, "evaluation.manage")
    _done, refused = pages.submit_form(
        _edit_form(evaluation, request.POST),
        lambda data: services.evaluation_update(
            actor=request.user,
            evaluation=evaluation,
            expected_lock_version=data.pop("lock_version"),
            **data,
        ),
        partial(_evaluation_page, request, evaluation),
        "edit_form",
    )
    if refused:
        return refused
    messages.success(request, _("The evaluation is changed."))
    return redirect("evaluation:evaluation", pk)


@login_required
@require_GET
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _evaluation_page(request, _evaluation_or_404(request, pk))


@login_required
@require_POST
def evaluation_status(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation_or_404(request, pk, "evaluation.manage")
    done, refused = pages.submit_form(
        EvaluationStatusForm(request.POST),
        lambda data: services.evaluation_status_change(
            actor=request.user,
            evaluation=evaluation,
            expected_lock_version=data["lock_version"],
            status=data["status"],
            on=data["on"],
        ),
        partial(_evaluation_page, request, evaluation),
        "status_form",
    )
    if refused:
        return refused
    messages.success(request, _("The evaluation is now %(status)s.") % {"status": done.get_status_display()})
    return redirect("evaluation:evaluation", pk)


@login_required
@require_POST
def question_add(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation_or_404(request, pk, "evaluation.manage")
    _done, refused = pages.submit_form(
        QuestionForm(request.POST),
        lambda data: services.question_add(actor=request.user, evaluation=evaluation, **data),
        partial(_evaluation_page, request, evaluation),
        "question_form",
    )
    if refused:
        return refused
    messages.success(request, _("The question is added."))
    return redirect("evaluation:evaluation", pk)


@login_required
@require_POST
def report_upload(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation_or_404(request, pk, "evaluation.manage")
    try:
        name, data = uploads.read_upload(request.FILES.get("document"), _("Choose the report to upload."))
        services.report_upload(actor=request.user, evaluation=evaluation, name=name, data=data)
    except (ApplicationError, PermissionDenied) as error:
        return _evaluation_page(request, evaluation, error_status(error), error=error_message(error))
    messages.success(request, _("The report is kept with its checksum."))
    return redirect("evaluation:evaluation", pk)


@login_required
@require_GET
def report_download(request: HttpRequest, pk: int, report_id: int) -> HttpResponseBase:
    evaluation = _evaluation_or_404(request, pk)
    report = evaluation.reports.filter(pk=report_id).first()
    if report is None:
        raise Http404(_("No such report."))
    if not uploads.verify(report):
        return HttpResponse(
            _("The stored file no longer matches its checksum."),
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    return FileResponse(
        report.file.open("rb"), as_attachment=True, filename=report.name, content_type=report.content_type
    )


@login_required
@require_POST
def recommendation_add(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation_or_404(request, pk, "evaluation.manage")
    recommendation, refused = pages.submit_form(
        RecommendationForm(request.POST),
        lambda data: services.recommendation_add(actor=request.user, evaluation=evaluation, **data),
        partial(_evaluation_page, request, evaluation),
        "recommendation_form",
    )
    if refused:
        return refused
    messages.success(request, _("The recommendation is recorded; record the authority's response."))
    return redirect("evaluation:recommendation", recommendation.pk)


# -- recommendations --------------------------------------------------------------------------------


@login_required
@require_GET
def recommendation_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "evaluation.view")
    form = RecommendationFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return render(
            request,
            "evaluation/recommendations.html",
            {"form": form, "page_obj": None, "error": pages.form_problems(form)},
            status=400,
        )
    filters = form.cleaned_data if request.GET else {}
    found = selectors.recommendations_for(
        request.user, status=filters.get("status") or "", overdue=bool(filters.get("overdue"))
    )
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page") or "1")
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "evaluation/recommendations.html",
        {
            "form": form,
            "page_obj": page,
            "recommendations": selectors.flagged_recommendations(page.object_list),
            "query": query.urlencode(),
        },
    )


def _recommendation_or_404(request: HttpRequest, pk: int, action: str = "evaluation.view") -> Recommendation:
    require(request.user, action)
    found = selectors.recommendation_for(request.user, pk)
    if found is None:
        raise Http404(_("No such recommendation."))
    return found


def _recommendation_page(
    request: HttpRequest, recommendation: Recommendation, status: int = 200, **extra: Any
) -> HttpResponse:
    lock = {"lock_version": recommendation.lock_version}
    context = {
        "recommendation": recommendation,
        "evaluation": recommendation.evaluation,
        "events": list(recommendation.events.all()),
        "may_manage": _may_manage(request),
        "response_form": extra.pop("response_form", None)
        or ResponseForm(
            initial={
                **lock,
                "response": recommendation.response,
                "reason": recommendation.response_reason,
                "planned_action": recommendation.planned_action,
                "deadline": recommendation.deadline,
            }
        ),
        "status_form": extra.pop("status_form", None)
        or _next_steps(
            RecommendationStatusForm(initial=lock), rules.RECOMMENDATION_STEPS, recommendation.status
        ),
        **extra,
    }
    return render(request, "evaluation/recommendation.html", context, status=status)


@login_required
@require_GET
def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _recommendation_page(request, _recommendation_or_404(request, pk))


@login_required
@require_POST
def recommendation_response(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = _recommendation_or_404(request, pk, "evaluation.manage")
    _done, refused = pages.submit_form(
        ResponseForm(request.POST),
        lambda data: services.recommendation_respond(
            actor=request.user,
            recommendation=recommendation,
            expected_lock_version=data["lock_version"],
            response=data["response"],
            reason=data["reason"],
            planned_action=data["planned_action"],
            deadline=data["deadline"],
        ),
        partial(_recommendation_page, request, recommendation),
        "response_form",
    )
    if refused:
        return refused
    messages.success(request, _("The authority's response is recorded."))
    return redirect("evaluation:recommendation", pk)


@login_required
@require_POST
def recommendation_status(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = _recommendation_or_404(request, pk, "evaluation.manage")
    done, refused = pages.submit_form(
        RecommendationStatusForm(request.POST),
        lambda data: services.recommendation_status_change(
            actor=request.user,
            recommendation=recommendation,
            expected_lock_version=data["lock_version"],
            status=data["status"],
            note=data["note"],
        ),
        partial(_recommendation_page, request, recommendation),
        "status_form",
    )
    if refused:
        return refused
    messages.success(
        request, _("The recommendation is now %(status)s.") % {"status": done.get_status_display()}
    )
    return redirect("evaluation:recommendation", pk)
