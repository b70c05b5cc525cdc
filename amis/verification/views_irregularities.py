"""Irregularity pages: the list of the irregularities of the projects the reader may see (filtered by
status, type and project), one irregularity with its finding, project, amount, dates and history, and
the form that moves it suspected -> established -> closed (or closed as not confirmed).

Writes go through `irregularities`; refusals answer 400 with the rule broken, 403 with the reason,
409 when the irregularity changed meanwhile."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amis.accounts.permissions import check, require
from amis.core.errors import ApplicationError
from amis.core.http import error_message, error_status
from amis.verification import irregularities, selectors
from amis.verification.forms_checks import IrregularityFilterForm, StatusForm
from amis.verification.models import Irregularity
from amis.verification.views_findings import form_problems, source_url

PER_PAGE = 50


@login_required
@require_GET
def irregularity_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "check.view")
    form = IrregularityFilterForm(request.GET or None)
    filters = form.cleaned_data if request.GET and form.is_valid() else {}
    if request.GET and not form.is_valid():
        return render(
            request,
            "spot_checks/irregularities.html",
            {"form": form, "page_obj": None, "total": None, "error": form_problems(form)},
            status=400,
        )
    found = selectors.irregularities_for(request.user, filters)
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page") or "1")
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "spot_checks/irregularities.html",
        {
            "form": form,
            "page_obj": page,
            "total": found.aggregate(total=Sum("amount"))["total"],
            "filter_query": query.urlencode(),
        },
    )


def _irregularity_or_404(request: HttpRequest, pk: int, action: str = "check.manage") -> Irregularity:
    require(request.user, action)
    found = selectors.irregularities_for(request.user).filter(pk=pk).select_related("created_by").first()
    if found is None:
        raise Http404(_("No such irregularity."))
    return found


def _detail(
    request: HttpRequest, irregularity: Irregularity, status: int = 200, **extra: Any
) -> HttpResponse:
    context = {
        "irregularity": irregularity,
        "finding_source": source_url(irregularity.finding),
        "events": list(irregularity.events.select_related("actor").order_by("at", "pk")),
        "status_form": extra.pop("status_form", None)
        or StatusForm(initial={"lock_version": irregularity.lock_version}),
        "may_manage": check(request.user, "check.manage").allowed,
        **extra,
    }
    return render(request, "spot_checks/irregularity.html", context, status=status)


@login_required
@require_GET
def irregularity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _irregularity_or_404(request, pk, "check.view"))


@login_required
@require_POST
def irregularity_status(request: HttpRequest, pk: int) -> HttpResponse:
    irregularity = _irregularity_or_404(request, pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _detail(request, irregularity, 400, status_form=form, error=form_problems(form))
    try:
        done = irregularities.irregularity_status_change(
            actor=request.user,
            irregularity=irregularity,
            expected_lock_version=form.cleaned_data["lock_version"],
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
        )
    except (ApplicationError, PermissionDenied) as error:
        return _detail(
            request, irregularity, error_status(error), status_form=form, error=error_message(error)
        )
    if done.not_confirmed:
        messages.success(request, _("The irregularity is closed: not confirmed."))
    else:
        messages.success(
            request, _("The irregularity is now %(status)s.") % {"status": done.get_status_display()}
        )
    return redirect("spot_checks:irregularity", done.pk)
