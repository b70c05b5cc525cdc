"""Pages of two-period sampling (/sampling/plans/): planning the year and drawing period 1 (from the
overview), the plan's page (its working, both periods, drawing period 2, the combined projection
with its working). Reading: `sampling.view`; writing: `sampling.manage`, through `periods`.
Refusals answer 400 with nothing saved, 403 with the reason, 409 when the plan changed meanwhile."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amis.accounts.permissions import require
from amis.core.errors import ApplicationError
from amis.core.http import error_message, error_status
from amis.sampling import periods, selectors
from amis.sampling.forms import PlanForm, ProjectForm, SecondPeriodForm
from amis.sampling.models import SamplingPlan
from amis.sampling.views import _may_manage, _overview, _problems


@login_required
@require_POST
def plan_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "sampling.manage")
    programmes = list(selectors.programmes(request.user))
    form = PlanForm(request.POST, prefix="plan", programmes=[p.cci for p in programmes])
    if not form.is_valid():
        return _overview(request, 400, plan_form=form, error=_problems(form))
    data = form.cleaned_data
    programme = next(p for p in programmes if p.cci == data["programme"])
    try:
        plan = periods.plan_create(
            actor=request.user,
            programme=programme,
            year=data["year"],
            unit_kind=data["unit_kind"],
            cutoff_date=data["cutoff_date"],
            sigma_r1=data["sigma_r1"],
            sigma_r2=data["sigma_r2"],
            bv2_forecast=data["bv2_forecast"],
            anticipated_error=data["anticipated_error"],
            category=data["category"],
            confidence=data["confidence"],
            seed=data["seed"],
        )
    except (ApplicationError, PermissionDenied) as error:
        return _overview(request, error_status(error), plan_form=form, error=error_message(error))
    messages.success(request, _("The year is planned in two periods; period 1's sample is drawn and frozen."))
    return redirect("sampling:plan", plan.pk)


def _plan_or_404(request: HttpRequest, pk: int, action: str = "sampling.view") -> SamplingPlan:
    require(request.user, action)
    plan = selectors.plans(request.user).filter(pk=pk).first()
    if plan is None:
        raise Http404(_("No such plan."))
    return plan


def _plan_page(request: HttpRequest, plan: SamplingPlan, status: int = 200, **extra: Any) -> HttpResponse:
    context = {
        "plan": plan,
        "periods": selectors.plan_periods(plan),
        "projection": plan.projection,
        "may_manage": _may_manage(request),
        "second_form": extra.pop("second_form", None)
        or SecondPeriodForm(
            prefix="second", initial={"lock_version": plan.lock_version, "sigma_r2": plan.sigma_r2}
        ),
        "form": extra.pop("form", None)
        or ProjectForm(
            initial={
                "lock_version": plan.lock_version,
                "systemic_extent": plan.systemic_extent,
                "corrections": plan.corrections,
            }
        ),
        **extra,
    }
    return render(request, "sampling/plan.html", context, status=status)


@login_required
@require_GET
def plan_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_page(request, _plan_or_404(request, pk))


@login_required
@require_POST
def plan_second(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_or_404(request, pk, "sampling.manage")
    form = SecondPeriodForm(request.POST, prefix="second")
    if not form.is_valid():
        return _plan_page(request, plan, 400, second_form=form, error=_problems(form))
    try:
        periods.plan_draw_second(
            actor=request.user,
            plan=plan,
            expected_lock_version=form.cleaned_data["lock_version"],
            sigma_r2=form.cleaned_data["sigma_r2"],
            seed=form.cleaned_data["seed"],
        )
    except (ApplicationError, PermissionDenied) as error:
        return _plan_page(request, plan, error_status(error), second_form=form, error=error_message(error))
    messages.success(request, _("Period 2's population is built and its sample drawn and frozen."))
    return redirect("sampling:plan", plan.pk)


@login_required
@require_POST
def plan_project(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_or_404(request, pk, "sampling.manage")
    form = ProjectForm(request.POST)
    if not form.is_valid():
        return _plan_page(request, plan, 400, form=form, error=_problems(form))
    try:
        periods.plan_project(
            actor=request.user,
            plan=plan,
            expected_lock_version=form.cleaned_data["lock_version"],
            systemic_extent=form.cleaned_data["systemic_extent"],
            corrections=form.cleaned_data["corrections"] or Decimal(0),
        )
    except (ApplicationError, PermissionDenied) as error:
        return _plan_page(request, plan, error_status(error), form=form, error=error_message(error))
    messages.success(request, _("The errors of both periods are projected onto the year."))
    return redirect("sampling:plan", plan.pk)
