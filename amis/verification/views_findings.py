"""A finding's page, whether an on-the-spot check or a desk verification found it: its text,
recommendation, the beneficiary's reply, follow-up, and the financial corrections and
irregularities that hang on it, with the forms to record them and to close the finding. Also the
verifier's form to record a finding on a report's verification.

Every write goes through `spot_checks` or `irregularities`; refusals answer 400 with the rule broken,
403 with the reason, 409 when the finding changed meanwhile."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amis.accounts.permissions import check, require
from amis.core.errors import ApplicationError
from amis.core.http import error_message, error_status
from amis.projects.scope import projects_for
from amis.verification import irregularities, spot_checks
from amis.verification import views as verification_views
from amis.verification.forms_checks import FindingForm, IrregularityForm
from amis.verification.models import Finding
from amis.verification.views_checks import CloseForm, CorrectionForm


def form_problems(form: Any) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def finding_or_404(request: HttpRequest, finding_id: int, action: str = "check.manage") -> Finding:
    require(request.user, action)
    finding = (
        Finding.objects.filter(pk=finding_id, project__in=projects_for(request.user).values("pk"))
        .select_related("project", "spot_check", "verification__report")
        .first()
    )
    if finding is None:
        raise Http404(_("No such finding."))
    return finding


def irregularity_prefix(finding: Finding) -> str:
    """The irregularity form's prefix: one form per finding on the check's page."""
    return f"i{finding.pk}"


def source_url(finding: Finding) -> str:
    """The page of the check or the verification that found it."""
    if finding.spot_check_id:
        return reverse("spot_checks:check", args=[finding.spot_check_id])
    if finding.verification is not None:
        return reverse("verification:page", args=[finding.verification.report_id])
    return reverse("projects:detail", args=[finding.project.reference])


def _page(request: HttpRequest, finding: Finding, status: int = 200, **extra: Any) -> HttpResponse:
    context = {
        "finding": finding,
        "source_url": source_url(finding),
        "corrections": list(finding.corrections.order_by("pk")),
        "irregularities": list(finding.irregularities.order_by("pk")),
        "close_form": extra.pop("close_form", None)
        or CloseForm(initial={"lock_version": finding.lock_version}),
        "correction_form": extra.pop("correction_form", None) or CorrectionForm(),
        "irregularity_form": extra.pop("irregularity_form", None)
        or IrregularityForm(prefix=irregularity_prefix(finding)),
        "may_manage": check(request.user, "check.manage").allowed,
        **extra,
    }
    return render(request, "spot_checks/finding.html", context, status=status)


@login_required
@require_GET
def finding_page(request: HttpRequest, finding_id: int) -> HttpResponse:
    return _page(request, finding_or_404(request, finding_id, "check.view"))


@login_required
@require_POST
def finding_irregularity(request: HttpRequest, finding_id: int) -> HttpResponse:
    """Record an irregularity from a finding (suspected at first)."""
    finding = finding_or_404(request, finding_id)
    form = IrregularityForm(request.POST, prefix=irregularity_prefix(finding))
    if not form.is_valid():
        return _page(request, finding, 400, irregularity_form=form, error=form_problems(form))
    try:
        irregularity = spot_checks.irregularity_record(
            actor=request.user, finding=finding, **form.cleaned_data
        )
    except (ApplicationError, PermissionDenied) as error:
        return _page(
            request, finding, error_status(error), irregularity_form=form, error=error_message(error)
        )
    messages.success(request, _("The irregularity is recorded as suspected."))
    return redirect("spot_checks:irregularity", irregularity.pk)


@login_required
@require_POST
def finding_correction(request: HttpRequest, finding_id: int) -> HttpResponse:
    """A financial correction from a finding: it lowers what can be paid and keeps its link."""
    finding = finding_or_404(request, finding_id)
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        return _page(request, finding, 400, correction_form=form, error=form_problems(form))
    try:
        spot_checks.correction_record(
            actor=request.user,
            finding=finding,
            amount=form.cleaned_data["amount"],
            reason=form.cleaned_data["reason"],
            category=form.cleaned_data["category"].strip(),
        )
    except (ApplicationError, PermissionDenied) as error:
        return _page(request, finding, error_status(error), correction_form=form, error=error_message(error))
    messages.success(request, _("The correction is recorded; it lowers what can be paid."))
    return redirect("spot_checks:finding", finding.pk)


@login_required
@require_POST
def finding_close(request: HttpRequest, finding_id: int) -> HttpResponse:
    finding = finding_or_404(request, finding_id)
    form = CloseForm(request.POST)
    if not form.is_valid():
        return _page(request, finding, 400, close_form=form, error=form_problems(form))
    try:
        spot_checks.finding_close(
            actor=request.user,
            finding=finding,
            expected_lock_version=form.cleaned_data["lock_version"],
            follow_up=form.cleaned_data["follow_up"],
        )
    except (ApplicationError, PermissionDenied) as error:
        return _page(request, finding, error_status(error), close_form=form, error=error_message(error))
    messages.success(request, _("The finding is closed."))
    return redirect("spot_checks:finding", finding.pk)


@login_required
@require_POST
def verification_finding(request: HttpRequest, pk: int) -> HttpResponse:
    """The verifier records a finding on the report's verification."""
    report = verification_views.report_or_404(request, pk)
    form = FindingForm(request.POST)
    if not form.is_valid():
        return verification_views.render_page(
            request, report, 400, finding_form=form, problems=[form_problems(form)]
        )
    try:
        verification = verification_views.verification_or_400(report)
        finding = irregularities.verification_finding_record(
            actor=request.user, verification=verification, **form.cleaned_data
        )
    except (ApplicationError, PermissionDenied) as error:
        return verification_views.render_page(
            request, report, error_status(error), finding_form=form, problems=[error_message(error)]
        )
    messages.success(request, _("The finding is recorded."))
    return redirect(reverse("verification:page", args=[report.pk]) + f"#finding-{finding.pk}")
