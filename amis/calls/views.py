"""Calls on the public site, and applications for the people who may see them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from amis.accounts.permissions import active_roles, check, require
from amis.accounts.roles import Role
from amis.calls import selectors, services
from amis.calls.models import Call


def call_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "call.view")
    calls = selectors.call_list(public=not check(request.user, "call.manage").allowed)
    return render(request, "calls/list.html", {"calls": calls, "now": timezone.now()})


def call_detail(request: HttpRequest, code: str) -> HttpResponse:
    require(request.user, "call.view")
    call = selectors.call_list().filter(code=code).first()
    if call is None or (call.status == Call.Status.DRAFT and not check(request.user, "call.manage").allowed):
        raise Http404(_("No such call."))
    own = [o for o in active_roles(request.user).get(Role.BENEFICIARY, set()) if o]
    return render(
        request,
        "calls/detail.html",
        {
            "call": call,
            "counts": selectors.status_counts(call),
            "can_apply": bool(own) and call.status == "published",
            "warning": services.call_budget_warning(call)
            if check(request.user, "call.manage").allowed
            else None,
        },
    )


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "calls/applications.html", {"applications": selectors.applications_for(request.user)}
    )


def application_detail(request: HttpRequest, reference: str) -> HttpResponse:
    app = selectors.application_get(reference)
    if app is None:
        raise Http404(_("No such application."))
    require(request.user, "application.view", app.organisation)
    budget = services.application_budget(app)
    return render(
        request,
        "calls/application.html",
        {
            "app": app,
            "budget": budget,
            "problems": services.application_problems(app) if app.status == "draft" else {},
        },
    )
