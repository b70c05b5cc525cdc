"""The beneficiary's page of an on-the-spot check of their project, once the visit is recorded: its
date, team and summary, the findings with their recommendations and follow-up, and the form for
their reply (to the visit, and to each finding if they wish). Never the authority's selection, risk
scores or checklist; a planned (possibly unannounced) check is not shown.

Their own organisation's projects only (`report.edit`): a check of another organisation's project is
not found (404). Refusals answer 400 with the rule broken, 409 when the check changed meanwhile."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from amis.accounts.permissions import require
from amis.core.errors import ApplicationError
from amis.core.http import error_message, error_status
from amis.projects.scope import projects_for
from amis.verification import spot_checks
from amis.verification.forms_checks import ReplyForm
from amis.verification.models import OnTheSpotCheck
from amis.verification.views_findings import form_problems


def _check_or_404(request: HttpRequest, pk: int) -> OnTheSpotCheck:
    require(request.user, "report.edit")
    check = (
        OnTheSpotCheck.objects.filter(pk=pk, project__in=projects_for(request.user).values("pk"))
        .exclude(status=OnTheSpotCheck.Status.PLANNED)
        .select_related("project")
        .first()
    )
    if check is None:
        raise Http404(_("No such check."))
    require(request.user, "report.edit", check.project)
    return check


def _page(request: HttpRequest, check: OnTheSpotCheck, status: int = 200, **extra: Any) -> HttpResponse:
    findings = list(check.findings.order_by("pk"))
    form = extra.pop("form", None) or ReplyForm(
        initial={"lock_version": check.lock_version, "reply": check.beneficiary_reply}, findings=findings
    )
    rows = [(f, form[f"finding_{f.pk}"]) for f in findings]
    context = {
        "check": check,
        "findings": rows,
        "form": form,
        "may_reply": check.status == OnTheSpotCheck.Status.VISITED,
        **extra,
    }
    return render(request, "spot_checks/reply.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def check_reply(request: HttpRequest, pk: int) -> HttpResponse:
    check = _check_or_404(request, pk)
    if request.method != "POST":
        return _page(request, check)
    form = ReplyForm(request.POST, findings=list(check.findings.order_by("pk")))
    if not form.is_valid():
        return _page(request, check, 400, form=form, error=form_problems(form))
    try:
        spot_checks.check_reply(
            actor=request.user,
            check=check,
            expected_lock_version=form.cleaned_data["lock_version"],
            reply=form.cleaned_data["reply"],
            finding_replies=form.finding_replies(),
        )
    except (ApplicationError, PermissionDenied) as error:
        return _page(request, check, error_status(error), form=form, error=error_message(error))
    messages.success(request, _("Your reply is sent to the authority."))
    return redirect("spot_checks:reply", check.pk)
