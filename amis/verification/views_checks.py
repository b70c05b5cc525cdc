"""On-the-spot check pages: the year's selection per programme (weights, counts, optional seed; the
sample with its scores, coverage and method, re-run to show it gives the same sample), a check
planned on a sampled project, and the visit recorded (team, checklist, summary, findings).

Every write goes through `spot_checks`; refusals answer 400 with the rule broken, 403 with the reason,
409 when the check changed meanwhile."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amis.accounts.permissions import check as may
from amis.accounts.permissions import require
from amis.core import uploads
from amis.core.errors import ApplicationError
from amis.core.formfields import AmountField, DateField
from amis.core.http import error_message, error_status
from amis.programme.models import Programme
from amis.projects.scope import projects_for
from amis.verification import sampling, spot_checks
from amis.verification.forms_checks import IrregularityForm
from amis.verification.models import CheckSelection, Finding, OnTheSpotCheck

FACTOR_LABELS = {
    "size": gettext_lazy("Size of the grant"),
    "beneficiary_type": gettext_lazy("Type of beneficiary"),
    "history": gettext_lazy("Beneficiary's history"),
    "earlier_findings": gettext_lazy("Earlier findings"),
    "ineligible_share": gettext_lazy("Share of ineligible expenditure"),
    "procurement": gettext_lazy("Procurement"),
}


class SelectionForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=gettext_lazy("Programme"), queryset=Programme.objects.order_by("cci")
    )
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2014, max_value=2100)
    risk_count = forms.IntegerField(label=gettext_lazy("Projects chosen by risk"), min_value=0, max_value=500)
    random_count = forms.IntegerField(
        label=gettext_lazy("Projects drawn at random"), min_value=0, max_value=500
    )
    seed = forms.IntegerField(
        label=gettext_lazy("Seed of the random draw (optional)"), required=False, min_value=0, max_value=2**62
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for factor in sampling.FACTORS:
            self.fields[f"w_{factor}"] = forms.DecimalField(
                label=_("Weight: %(factor)s") % {"factor": FACTOR_LABELS[factor]},
                min_value=Decimal(0),
                max_value=Decimal(100),
                decimal_places=2,
                initial=1,
            )

    def weights(self) -> dict[str, str]:
        return {f: str(self.cleaned_data[f"w_{f}"]) for f in sampling.FACTORS}


class PlanForm(forms.Form):
    project = forms.CharField(label=gettext_lazy("Project reference"), max_length=40)
    kind = forms.ChoiceField(label=gettext_lazy("Kind of check"), choices=OnTheSpotCheck.Kind.choices)
    planned_on = DateField(label=gettext_lazy("Planned on"))


class VisitForm(forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    visited_on = DateField(label=gettext_lazy("Date of the visit"))
    team = forms.CharField(
        label=gettext_lazy("Team (one name a line)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    checklist = forms.CharField(
        label=gettext_lazy("Checklist: what was checked (one item a line)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    summary = forms.CharField(label=gettext_lazy("Summary"), widget=forms.Textarea(attrs={"rows": 4}))
    finding = forms.CharField(
        label=gettext_lazy("Finding (optional)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    severity = forms.ChoiceField(label=gettext_lazy("Severity"), choices=Finding.Severity.choices)
    amount_at_stake = forms.CharField(label=gettext_lazy("Amount at stake (optional)"), required=False)
    recommendation = forms.CharField(
        label=gettext_lazy("Recommendation"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def clean_amount_at_stake(self) -> str:
        text = self.cleaned_data["amount_at_stake"].strip()
        if text:
            try:
                Decimal(text.replace(",", "."))
            except InvalidOperation as error:
                raise forms.ValidationError(_("Write the amount as, for example, 1250.00.")) from error
        return text.replace(",", ".")


class CorrectionForm(forms.Form):
    amount = AmountField(label=gettext_lazy("Amount corrected (€)"))
    category = forms.CharField(label=gettext_lazy("Cost category"), max_length=40)
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    follow_up = forms.CharField(label=gettext_lazy("Follow-up"), widget=forms.Textarea(attrs={"rows": 2}))


def _selections(
    request: HttpRequest, form: SelectionForm | None = None, status: int = 200, **extra: Any
) -> HttpResponse:
    selections = CheckSelection.objects.select_related("programme").order_by("-year", "-created_at")[:100]
    checks = OnTheSpotCheck.objects.filter(
        project__in=projects_for(request.user).values("pk")
    ).select_related("project")[:200]
    return render(
        request,
        "spot_checks/selections.html",
        {
            "selections": selections,
            "checks": checks,
            "form": form or SelectionForm(),
            "plan_form": extra.pop("plan_form", None) or PlanForm(),
            "may_manage": may(request.user, "check.manage").allowed,
            **extra,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def selections(request: HttpRequest) -> HttpResponse:
    # reading is `check.view` (the audit authority too); making a selection is `check.manage`
    require(request.user, "check.manage" if request.method == "POST" else "check.view")
    if request.method != "POST":
        return _selections(request)
    form = SelectionForm(request.POST)
    if not form.is_valid():
        return _selections(request, form, 400)
    try:
        selection = spot_checks.selection_run(
            actor=request.user,
            programme=form.cleaned_data["programme"],
            year=form.cleaned_data["year"],
            weights=form.weights(),
            risk_count=form.cleaned_data["risk_count"],
            random_count=form.cleaned_data["random_count"],
            seed=form.cleaned_data["seed"],
        )
    except (ApplicationError, PermissionDenied) as error:
        return _selections(request, form, error_status(error), error=error_message(error))
    messages.success(request, _("The selection is made and kept with its data, weights and seed."))
    return redirect("spot_checks:selection", selection.pk)


@login_required
@require_GET
def selection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "check.view")
    selection = CheckSelection.objects.select_related("programme").filter(pk=pk).first()
    if selection is None:
        raise Http404(_("No such selection."))
    rerun = spot_checks.selection_rerun(selection) if request.GET.get("rerun") else None
    sample = selection.risk_based + selection.random_part
    scores = sorted(
        ((ref, Decimal(score)) for ref, score in selection.scores.items()),
        key=lambda item: (-item[1], item[0]),
    )
    return render(
        request,
        "spot_checks/selection.html",
        {
            "selection": selection,
            "sample": sample,
            "scores": scores,
            "rerun": rerun,
            "same": rerun == sample if rerun is not None else None,
            "weights": [(FACTOR_LABELS.get(k, k), Decimal(v)) for k, v in selection.weights.items()],
            "plan_form": PlanForm(),
            "may_manage": may(request.user, "check.manage").allowed,
        },
    )


@login_required
@require_POST
def check_plan(request: HttpRequest) -> HttpResponse:
    require(request.user, "check.manage")
    form = PlanForm(request.POST)
    if not form.is_valid():
        return _selections(request, status=400, plan_form=form)
    project = projects_for(request.user).filter(reference=form.cleaned_data["project"].strip()).first()
    if project is None:
        form.add_error("project", _("No such project."))
        return _selections(request, status=400, plan_form=form)
    selection = CheckSelection.objects.filter(pk=request.POST.get("selection") or 0).first()
    try:
        check = spot_checks.check_plan(
            actor=request.user,
            project=project,
            kind=form.cleaned_data["kind"],
            planned_on=form.cleaned_data["planned_on"],
            selection=selection,
        )
    except (ApplicationError, PermissionDenied) as error:
        return _selections(request, status=error_status(error), plan_form=form, error=error_message(error))
    messages.success(request, _("The check is planned."))
    return redirect("spot_checks:check", check.pk)


def _check_or_404(request: HttpRequest, pk: int, action: str = "check.manage") -> OnTheSpotCheck:
    require(request.user, action)
    check = (
        OnTheSpotCheck.objects.filter(pk=pk, project__in=projects_for(request.user).values("pk"))
        .select_related("project")
        .first()
    )
    if check is None:
        raise Http404(_("No such check."))
    return check


def _check(request: HttpRequest, check: OnTheSpotCheck, status: int = 200, **extra: Any) -> HttpResponse:
    findings = list(check.findings.order_by("pk"))
    context = {
        "check": check,
        "findings": [
            (
                f,
                CloseForm(initial={"lock_version": f.lock_version}, prefix=f"f{f.pk}"),
                CorrectionForm(prefix=f"c{f.pk}"),
                IrregularityForm(prefix=f"i{f.pk}"),
            )
            for f in findings
        ],
        "documents": list(check.documents.order_by("pk")),
        "visit_form": extra.pop("visit_form", None)
        or VisitForm(initial={"lock_version": check.lock_version}),
        "may_manage": may(request.user, "check.manage").allowed,
        **extra,
    }
    return render(request, "spot_checks/check.html", context, status=status)


@login_required
@require_GET
def check_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _check(request, _check_or_404(request, pk, "check.view"))


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


@login_required
@require_POST
def check_visit(request: HttpRequest, pk: int) -> HttpResponse:
    check = _check_or_404(request, pk)
    form = VisitForm(request.POST)
    if not form.is_valid():
        return _check(request, check, 400, visit_form=form)
    data = form.cleaned_data
    findings = []
    if data["finding"].strip():
        findings.append(
            {
                "text": data["finding"],
                "severity": data["severity"],
                "amount_at_stake": data["amount_at_stake"] or None,
                "recommendation": data["recommendation"],
            }
        )
    try:
        spot_checks.check_record_visit(
            actor=request.user,
            check=check,
            expected_lock_version=data["lock_version"],
            visited_on=data["visited_on"],
            team=_lines(data["team"]),
            checklist={item: "checked" for item in _lines(data["checklist"])},
            summary=data["summary"],
            findings=findings,
        )
    except (ApplicationError, PermissionDenied) as error:
        return _check(request, check, error_status(error), visit_form=form, error=error_message(error))
    messages.success(request, _("The visit is recorded."))
    return redirect("spot_checks:check", check.pk)


@login_required
@require_POST
def finding_close(request: HttpRequest, pk: int, finding_id: int) -> HttpResponse:
    check = _check_or_404(request, pk)
    finding = Finding.objects.filter(pk=finding_id, spot_check=check).first()
    if finding is None:
        raise Http404(_("No such finding."))
    form = CloseForm(request.POST, prefix=f"f{finding.pk}")
    if not form.is_valid():
        return _check(request, check, 400, error=_("Say what was done to follow the finding up."))
    try:
        spot_checks.finding_close(
            actor=request.user,
            finding=finding,
            expected_lock_version=form.cleaned_data["lock_version"],
            follow_up=form.cleaned_data["follow_up"],
        )
    except (ApplicationError, PermissionDenied) as error:
        return _check(request, check, error_status(error), error=error_message(error))
    messages.success(request, _("The finding is closed."))
    return redirect("spot_checks:check", check.pk)


@login_required
@require_POST
def check_document(request: HttpRequest, pk: int) -> HttpResponse:
    """A photo or document of the visit, kept with its SHA-256."""
    check = _check_or_404(request, pk)
    try:
        name, data = uploads.read_upload(request.FILES.get("document"), _("Choose a document to upload."))
        spot_checks.check_add_document(actor=request.user, check=check, name=name, data=data)
    except (ApplicationError, PermissionDenied) as error:
        return _check(request, check, error_status(error), error=error_message(error))
    messages.success(request, _("The document is kept with its checksum."))
    return redirect("spot_checks:check", check.pk)


@login_required
@require_POST
def correction(request: HttpRequest, pk: int, finding_id: int) -> HttpResponse:
    """A financial correction from a finding: it lowers what can be paid and keeps its link."""
    check = _check_or_404(request, pk)
    finding = Finding.objects.filter(pk=finding_id, spot_check=check).first()
    if finding is None:
        raise Http404(_("No such finding."))
    form = CorrectionForm(request.POST, prefix=f"c{finding.pk}")
    if not form.is_valid():
        problems = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return _check(request, check, 400, error=problems)
    try:
        spot_checks.correction_record(
            actor=request.user,
            finding=finding,
            amount=form.cleaned_data["amount"],
            reason=form.cleaned_data["reason"],
            category=form.cleaned_data["category"].strip(),
        )
    except (ApplicationError, PermissionDenied) as error:
        return _check(request, check, error_status(error), error=error_message(error))
    messages.success(request, _("The correction is recorded; it lowers what can be paid."))
    return redirect("spot_checks:check", check.pk)
