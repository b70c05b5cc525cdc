"""Pages of grants: the call's grant terms, the project list and page (agreement, versions, calendar,
indicators, financial picture; parts of later stages in its slots), each agreement version with its
PDF and the diff of an amendment, and the forms that prepare, change, issue, sign, withdraw and
amend agreements and move budget. Every write goes through `amis.projects.services`; a refusal
shows the page again with the message (400, 403 or 409), never a 500."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amis.accounts.permissions import check, require
from amis.calls.services import assert_in_scope, may_manage
from amis.calls.views import call_or_404
from amis.core import pages
from amis.core.confirm import confirm_page, confirmed
from amis.core.errors import ApplicationError, StaleObjectError
from amis.core.formfields import AmountField
from amis.core.http import error_message, error_status
from amis.core.money import ZERO
from amis.projects import rules, services
from amis.projects.forms import GrantTermsForm, PeriodForm, SignForm, SimplifiedCostForm, TransferForm
from amis.projects.labels import CATEGORY_LABELS
from amis.projects.models import AgreementVersion, Project
from amis.projects.pdf import agreement_pdf, budget_table
from amis.projects.scope import projects_for
from amis.projects.selectors import financial_picture, transfers_of, version_in_force
from amis.projects.services.grants import GRANT_TERM_FIELDS

PER_PAGE = 50
# the terms the version page lists first (budget, options, calendar and indicators follow as tables)
SUMMARY_TERMS = (
    "beneficiary",
    "partners",
    "max_grant",
    "total_cost",
    "eu_rate",
    "indirect_rate",
    "funding",
    "eligible_start",
    "eligible_end",
    "prefinancing_share",
    "prefinancing_amount",
    "transfer_tolerance",
    "bank_account",
)


class FormProblem(ApplicationError):
    """A form whose fields did not read: shown as the page's error, status 400."""


def _lock(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("lock_version", ""))
    except ValueError:
        raise FormProblem(_("The form is incomplete; reload the page.")) from None


def _form_problem(form: Any) -> FormProblem:
    parts = [
        f"{form.fields[name].label}: {' '.join(str(e) for e in errors)}"
        if name in form.fields
        else " ".join(errors)
        for name, errors in form.errors.items()
    ]
    return FormProblem(" ".join(parts))


# ---------------------------------------------------------------------------------------------------
# The call's grant terms


def grant_terms(request: HttpRequest, code: str) -> HttpResponse:
    """What the call's agreements start from: calendar, tolerance, pre-financing, special conditions."""
    require(request.user, "agreement.prepare")
    call = call_or_404(code)
    assert_in_scope(request.user, call, "agreement.prepare")  # out of the DA's part: 403, recorded
    terms = services.grant_terms_for(call)
    error, status = None, 200
    if request.method == "POST":
        form = GrantTermsForm(request.POST)
        try:
            lock = _lock(request)
            if not form.is_valid():
                raise _form_problem(form)
            services.grant_terms_update(
                actor=request.user, call=call, expected_lock_version=lock, data=form.cleaned_data
            )
        except (ApplicationError, PermissionDenied) as exc:
            error, status = error_message(exc), error_status(exc)
        else:
            messages.success(request, _("The grant terms of the call are saved."))
            return redirect("projects:grant_terms", call.code)
    else:
        form = GrantTermsForm(initial={f: getattr(terms, f) for f in GRANT_TERM_FIELDS})
    return render(
        request,
        "projects/grant_terms.html",
        {"call": call, "terms": terms, "form": form, "error": error, "saved": terms.pk is not None},
        status=status,
    )


def call_projects_part(request: HttpRequest, call: Any) -> dict[str, Any] | None:
    """On the call page: the way to its grant terms and to its projects."""
    user = request.user
    if not check(user, "project.view").allowed or call.status == "draft":
        return None
    return {
        "call_project_count": projects_for(user).filter(application__call=call).count(),
        # within a delegated officer's part only (the page refuses the others)
        "can_set_grant_terms": check(user, "agreement.prepare").allowed and may_manage(user, call),
    }


def register_parts() -> None:
    pages.register("call", "main", 40, "projects/_call_projects.html", call_projects_part)


# ---------------------------------------------------------------------------------------------------
# Projects


def project_list(request: HttpRequest) -> HttpResponse:
    """The projects this person may see, 50 a page, filtered by call and by text."""
    require(request.user, "project.view")
    qs = projects_for(request.user).select_related("agreement")
    call = request.GET.get("call", "").strip()[:60]
    text = request.GET.get("q", "").strip()[:100]
    if call:
        qs = qs.filter(application__call__code=call)
    if text:
        qs = qs.filter(
            Q(reference__icontains=text)
            | Q(application__title__icontains=text)
            | Q(organisation__name__icontains=text)
        )
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    signed = dict(
        AgreementVersion.objects.filter(
            agreement__project__in=[p.pk for p in page.object_list], status=AgreementVersion.Status.SIGNED
        )
        .order_by("agreement__project_id", "number")
        .values_list("agreement__project_id", "number")
    )
    rows = [(p, signed.get(p.pk)) for p in page.object_list]
    return render(
        request,
        "projects/projects.html",
        {
            "rows": rows,
            "page_obj": page,
            "call": call,
            "q": text,
            "query": urlencode({k: v for k, v in (("call", call), ("q", text)) if v}),
        },
    )


def project_or_404(request: HttpRequest, reference: str, action: str = "project.view") -> Project:
    """The project, if this person may see it (a DA officer outside their part, or another
    organisation: 404, nothing said about it); `action` is then checked (403 with the reason)."""
    project = projects_for(request.user).filter(reference=reference).first()
    if project is None:
        require(request.user, "project.view")  # no role at all: 403, recorded
        raise Http404(_("No such project."))
    require(request.user, action, project)
    return project


def _versions(project: Project) -> list[AgreementVersion]:
    return list(
        AgreementVersion.objects.filter(agreement__project=project)
        .select_related(
            "prepared_by", "issued_by", "authority_signed_by", "beneficiary_signed_by", "agreement"
        )
        .order_by("number")
    )


def _categories(version: AgreementVersion | None) -> list[str]:
    if version is None:
        return []
    return sorted({line.category for line in version.budget_lines.all()})


def project_context(request: HttpRequest, project: Project) -> dict[str, Any]:
    user = request.user
    versions = _versions(project)
    in_force = version_in_force(project)
    latest = versions[-1] if versions else None
    shown = in_force or latest
    picture = financial_picture(project)
    received, given = transfers_of(in_force) if in_force else ({}, {})
    open_version = next((v for v in versions if v.status in ("draft", "issued")), None)
    return {
        "project": project,
        "application": project.application,
        "versions": versions,
        "in_force": in_force,
        "open_version": open_version,
        "shown": shown,
        "picture": picture,
        "transfers": list(in_force.transfers.select_related("made_by")) if in_force else [],
        "received": received,
        "given": given,
        "can_see_application": check(user, "application.view", project).allowed,
        "can_prepare": check(user, "agreement.prepare", project).allowed,
        "can_issue": check(user, "agreement.issue", project).allowed,
        "can_sign": check(user, "agreement.sign", project).allowed,
        "can_transfer": check(user, "budget.transfer", project).allowed and in_force is not None,
        "transfer_form": TransferForm(categories=_categories(in_force)),
    }


def render_project(request: HttpRequest, project: Project, status: int = 200, **extra: Any) -> HttpResponse:
    return pages.render_page(
        request, "project", project, "projects/project.html", project_context(request, project), status, extra
    )


def project_detail(request: HttpRequest, reference: str) -> HttpResponse:
    return render_project(request, project_or_404(request, reference))


def _refused(request: HttpRequest, project: Project, exc: Exception, **extra: Any) -> HttpResponse:
    return render_project(request, project, error_status(exc), error=error_message(exc), **extra)


@require_POST
def agreement_prepare(request: HttpRequest, reference: str) -> HttpResponse:
    project = project_or_404(request, reference, "agreement.prepare")
    try:
        if _lock(request) != project.lock_version:
            raise StaleObjectError(str(project))
        version = services.agreement_prepare(actor=request.user, project=project)
    except (ApplicationError, PermissionDenied) as exc:
        return _refused(request, project, exc)
    messages.success(
        request, _("The agreement is prepared as a draft: check its terms, then ask a colleague to issue it.")
    )
    return redirect("projects:version", project.reference, version.number)


@require_POST
def amendment_prepare(request: HttpRequest, reference: str) -> HttpResponse:
    """An officer prepares an amendment (a new draft from the version in force)."""
    project = project_or_404(request, reference, "agreement.prepare")
    try:
        if _lock(request) != project.lock_version:
            raise StaleObjectError(str(project))
        version = services.amendment_prepare(
            actor=request.user, project=project, reason=request.POST.get("reason", "")
        )
    except (ApplicationError, PermissionDenied) as exc:
        return _refused(request, project, exc)
    messages.success(request, _("The amendment is prepared as a draft."))
    return redirect("projects:version", project.reference, version.number)


@require_POST
def amendment_request(request: HttpRequest, reference: str) -> HttpResponse:
    """The beneficiary asks for an amendment, with its reason: a draft the authority completes."""
    project = project_or_404(request, reference, "agreement.sign")
    try:
        if _lock(request) != project.lock_version:
            raise StaleObjectError(str(project))
        version = services.amendment_prepare(
            actor=request.user,
            project=project,
            reason=request.POST.get("reason", ""),
            requested_by_beneficiary=True,
        )
    except (ApplicationError, PermissionDenied) as exc:
        return _refused(request, project, exc)
    messages.success(request, _("Your request for an amendment was sent to the authority."))
    return redirect("projects:version", project.reference, version.number)


@require_POST
def budget_transfer(request: HttpRequest, reference: str) -> HttpResponse:
    project = project_or_404(request, reference, "budget.transfer")
    form = TransferForm(request.POST, categories=_categories(version_in_force(project)))
    try:
        lock = _lock(request)
        if not form.is_valid():
            raise _form_problem(form)
        data = form.cleaned_data
        services.budget_transfer(
            actor=request.user,
            project=project,
            expected_lock_version=lock,
            from_category=data["from_category"],
            to_category=data["to_category"],
            amount=data["amount"],
            reason=data["reason"],
        )
    except (ApplicationError, PermissionDenied) as exc:
        return _refused(request, project, exc, transfer_form=form)
    messages.success(request, _("The budget was moved."))
    return redirect("projects:detail", project.reference)


# ---------------------------------------------------------------------------------------------------
# Agreement versions


def version_or_404(project: Project, number: int) -> AgreementVersion:
    version = (
        AgreementVersion.objects.filter(agreement__project=project, number=number)
        .select_related(
            "agreement", "prepared_by", "issued_by", "authority_signed_by", "beneficiary_signed_by"
        )
        .first()
    )
    if version is None:
        raise Http404(_("No such version of the agreement."))
    return version


def version_context(request: HttpRequest, project: Project, version: AgreementVersion) -> dict[str, Any]:
    user = request.user
    draft = version.status == AgreementVersion.Status.DRAFT
    issued = version.status == AgreementVersion.Status.ISSUED
    can_prepare = check(user, "agreement.prepare", project).allowed
    can_issue = check(user, "agreement.issue", project).allowed
    budget = budget_table(version.terms)
    years = list(range(version.eligible_start.year, version.eligible_end.year + 1))
    cells = {(b["category"], int(b["year"])): Decimal(b["amount"]) for b in version.terms.get("budget", [])}
    categories = sorted({c for c, _y in cells})
    return {
        "project": project,
        "version": version,
        "terms": version.terms,
        "budget": budget,
        "problems": services.terms_problems(version.terms) if draft else [],
        "edit": draft and can_prepare,
        "may_issue": draft and can_issue,
        "may_withdraw": (draft or issued) and can_prepare,
        "sign_authority": issued and can_issue and not version.authority_signed_on,
        "sign_beneficiary": issued and check(user, "agreement.sign", project).allowed,
        "budget_grid": [(c, [(y, cells.get((c, y), ZERO)) for y in years]) for c in categories],
        "budget_years": years,
        "ceiling": services.grant_ceiling(version) if draft else None,
        "sco_form": SimplifiedCostForm(),
        "period_form": PeriodForm(initial={"start": version.eligible_start, "end": version.eligible_end}),
        "sign_form": SignForm(),
        "previous": _previous_signed(version),
        "term_rows": [(key, version.terms.get(key)) for key in SUMMARY_TERMS],
    }


def _previous_signed(version: AgreementVersion) -> AgreementVersion | None:
    return (
        AgreementVersion.objects.filter(
            agreement_id=version.agreement_id,
            number__lt=version.number,
            status=AgreementVersion.Status.SIGNED,
        )
        .order_by("-number")
        .first()
    )


def render_version(
    request: HttpRequest, project: Project, version: AgreementVersion, status: int = 200, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "projects/version.html",
        {**version_context(request, project, version), **extra},
        status=status,
    )


def version_detail(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    project = project_or_404(request, reference)
    return render_version(request, project, version_or_404(project, number))


def version_pdf(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    project = project_or_404(request, reference)
    version = version_or_404(project, number)
    response = HttpResponse(agreement_pdf(version), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{version.agreement.reference}-v{version.number}.pdf"'
    )
    return response


def version_diff(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    """An amendment side by side with the signed version before it: every changed term, the budget
    per category and year with the difference."""
    project = project_or_404(request, reference)
    version = version_or_404(project, number)
    previous = _previous_signed(version)
    diff = rules.terms_diff(previous.terms if previous else {}, version.terms)
    return render(
        request,
        "projects/version_diff.html",
        {
            "project": project,
            "version": version,
            "previous": previous,
            "diff": diff,
            "budget_totals": {c: diff.budget_total(c) for c in ("old", "new", "difference")},
        },
    )


def _budget_from_post(request: HttpRequest) -> dict[tuple[str, int], Decimal]:
    """The amendment's budget grid: one field `budget-<category>-<year>` per cell, amounts typed in
    the reader's format."""
    field = AmountField(required=True)
    out: dict[tuple[str, int], Decimal] = {}
    for key, value in request.POST.items():
        if not key.startswith("budget-"):
            continue
        try:
            _prefix, category, year = key.split("-", 2)
            amount = field.clean(value)
            out[(category, int(year))] = amount
        except ValueError:
            raise FormProblem(_("The budget field %(field)s is not understood.") % {"field": key}) from None
        except forms.ValidationError as exc:  # the typed amount
            label = CATEGORY_LABELS.get(category, category)
            raise FormProblem(f"{label} {year}: {' '.join(exc.messages)}") from None
    return out


@require_POST
def version_edit(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    """Change a draft: special conditions, a simplified cost option added or removed, the period (and
    with it the calendar), the calendar from the call's terms, the budget of an amendment."""
    project = project_or_404(request, reference, "agreement.prepare")
    version = version_or_404(project, number)
    action = request.POST.get("action", "")
    actor = request.user
    extra: dict[str, Any] = {}
    try:
        lock = _lock(request)
        common: dict[str, Any] = {"actor": actor, "version": version, "expected_lock_version": lock}
        if action == "conditions":
            services.draft_set_conditions(**common, text=request.POST.get("special_conditions", ""))
        elif action == "sco_add":
            form: forms.Form = SimplifiedCostForm(request.POST)
            extra["sco_form"] = form
            if not form.is_valid():
                raise _form_problem(form)
            services.draft_add_simplified_cost(**common, option=form.cleaned_data)
        elif action == "sco_remove":
            services.draft_remove_simplified_cost(**common, code=request.POST.get("code", ""))
        elif action == "period":
            form = PeriodForm(request.POST)
            extra["period_form"] = form
            if not form.is_valid():
                raise _form_problem(form)
            services.draft_set_period(
                **common, start=form.cleaned_data["start"], end=form.cleaned_data["end"]
            )
        elif action == "calendar":
            services.draft_regenerate_calendar(**common)
        elif action == "budget":
            services.draft_set_budget(
                **common,
                budget=_budget_from_post(request),
                increase=request.POST.get("increase") == "yes",
            )
        else:
            raise FormProblem(_("Choose what to change."))
    except (ApplicationError, PermissionDenied) as exc:
        return render_version(request, project, version, error_status(exc), error=error_message(exc), **extra)
    messages.success(request, _("The draft is saved."))
    return redirect("projects:version", project.reference, version.number)


@require_POST
def version_issue(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    """Issue the draft (approve the amendment), after the page that says what it does."""
    project = project_or_404(request, reference, "agreement.issue")
    version = version_or_404(project, number)
    try:
        lock = _lock(request)
        problems = services.terms_problems(version.terms) if version.status == "draft" else []
        if problems:  # said at once, instead of asking to confirm what cannot succeed
            raise FormProblem(" ".join(problems))
        if not confirmed(request):
            return confirm_page(
                request,
                title=_("Issue version %(n)s of %(reference)s?")
                % {"n": version.number, "reference": version.agreement.reference},
                what=[
                    _("The terms are frozen and the PDF is issued for both sides to sign."),
                    _("You approve a version prepared by a colleague (four eyes)."),
                ],
                undo=_(
                    "An issued version is no longer changed; it can only be withdrawn before it is signed."
                ),
                yes=_("Yes, issue it"),
                back=reverse("projects:version", args=[project.reference, version.number]),
                fields=("lock_version",),
            )
        services.version_issue(actor=request.user, version=version, expected_lock_version=lock)
    except (ApplicationError, PermissionDenied) as exc:
        return render_version(request, project, version, error_status(exc), error=error_message(exc))
    messages.success(request, _("The version is issued: both sides can sign it now."))
    return redirect("projects:version", project.reference, version.number)


@require_POST
def version_withdraw(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    project = project_or_404(request, reference, "agreement.prepare")
    version = version_or_404(project, number)
    try:
        lock = _lock(request)
        if not request.POST.get("reason", "").strip():
            raise FormProblem(_("Say why the version is withdrawn."))
        if not confirmed(request):
            return confirm_page(
                request,
                title=_("Withdraw version %(n)s of %(reference)s?")
                % {"n": version.number, "reference": version.agreement.reference},
                what=[_("The version will never be issued or signed; it stays readable with your reason.")],
                undo=_("This cannot be undone: prepare a new version instead."),
                yes=_("Yes, withdraw it"),
                back=reverse("projects:version", args=[project.reference, version.number]),
                fields=("lock_version", "reason"),
            )
        services.version_withdraw(
            actor=request.user,
            version=version,
            expected_lock_version=lock,
            reason=request.POST.get("reason", ""),
        )
    except (ApplicationError, PermissionDenied) as exc:
        return render_version(request, project, version, error_status(exc), error=error_message(exc))
    messages.success(request, _("The version is withdrawn."))
    return redirect("projects:detail", project.reference)


def _sign(request: HttpRequest, reference: str, number: int, side: str) -> HttpResponse:
    action = "agreement.issue" if side == "authority" else "agreement.sign"
    project = project_or_404(request, reference, action)
    version = version_or_404(project, number)
    form = SignForm(request.POST)
    try:
        lock = _lock(request)
        if not form.is_valid():
            raise _form_problem(form)
        upload = request.FILES.get("scan")
        scan = (upload.name or "scan.pdf", upload.read()) if upload is not None else None
        services.version_sign(
            actor=request.user,
            version=version,
            expected_lock_version=lock,
            side=side,
            signatory=form.cleaned_data["signatory"],
            signed_on=form.cleaned_data["signed_on"],
            scan=scan,
        )
    except (ApplicationError, PermissionDenied) as exc:
        return render_version(
            request, project, version, error_status(exc), error=error_message(exc), sign_form=form
        )
    messages.success(request, _("The signature is recorded."))
    return redirect("projects:version", project.reference, version.number)


@require_POST
def sign_authority(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    return _sign(request, reference, number, "authority")


@require_POST
def sign_beneficiary(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    return _sign(request, reference, number, "beneficiary")
