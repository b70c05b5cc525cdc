"""Declaration pages (/declarations/): the programmes with their payment applications, a programme's
page (applications, receipts from the Commission, decommitment risk, drafting an application,
recording a receipt), an application's page (per-SO totals from the items, the items, holding back,
reintroducing, submitting; XLSX), the accounts of a year with their reconciliation (XLSX, PDF).

Reading: `declaration.view`; writing: `declaration.prepare` and `declaration.submit`, through
`services`. Refusals answer 400 with the rule broken and nothing saved, 403 with the reason, 409 when
the record changed meanwhile."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amis.accounts.permissions import check, require
from amis.core import pages
from amis.core.errors import ApplicationError
from amis.core.http import error_message, error_status
from amis.declarations import exports, rules, selectors, services
from amis.declarations.forms import ApplicationForm, HoldForm, ReceiptForm, ReintroduceForm, SubmitForm
from amis.declarations.models import AnnualAccounts, PaymentApplication, PaymentApplicationItem
from amis.programme.models import Programme
from amis.projects.scope import projects_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _programme_or_404(request: HttpRequest, cci: str, action: str = "declaration.view") -> Programme:
    require(request.user, action)
    programme = selectors.programmes_for(request.user).filter(cci=cci).first()
    if programme is None:
        raise Http404(_("No such programme."))
    return programme


def _application_or_404(
    request: HttpRequest, pk: int, action: str = "declaration.view"
) -> PaymentApplication:
    require(request.user, action)
    application = selectors.applications_for(request.user).filter(pk=pk).first()
    if application is None:
        raise Http404(_("No such payment application."))
    return application


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    require(request.user, "declaration.view")
    programmes = list(selectors.programmes_for(request.user))
    applications = list(selectors.applications_for(request.user)[:200])
    return render(
        request,
        "declarations/overview.html",
        {"programmes": programmes, "applications": applications},
    )


def _latest_year(period: str, today: dt.date) -> int | None:
    """The year running today, or the period's last one once it is over (None before it starts)."""
    if period not in rules.PERIODS:
        return None
    year = min(rules.year_of(period, today), rules.PERIODS[period].last_year)
    return year if rules.year_in_period(period, year) else None


def _programme_page(
    request: HttpRequest, programme: Programme, status: int = 200, **extra: Any
) -> HttpResponse:
    period = programme.period.code
    today = timezone.localdate()
    may_prepare = check(request.user, "declaration.prepare").allowed
    context = {
        "programme": programme,
        "rules": rules.PERIODS.get(period),
        "applications": selectors.applications_for(request.user).filter(programme=programme),
        "receipts": selectors.receipts(programme) if selectors.whole_programme(request.user) else [],
        "risk": selectors.decommitment_risk(programme, today)
        if selectors.whole_programme(request.user)
        else [],
        "current_year": _latest_year(period, today),
        "may_prepare": may_prepare,
        "application_form": extra.pop("application_form", None)
        or ApplicationForm(initial={"year": _latest_year(period, today)}),
        "receipt_form": extra.pop("receipt_form", None) or ReceiptForm(),
        **extra,
    }
    return render(request, "declarations/programme.html", context, status=status)


@login_required
@require_GET
def programme_page(request: HttpRequest, cci: str) -> HttpResponse:
    return _programme_page(request, _programme_or_404(request, cci))


@login_required
@require_POST
def application_create(request: HttpRequest, cci: str) -> HttpResponse:
    programme = _programme_or_404(request, cci, "declaration.prepare")
    application, refused = pages.submit_form(
        ApplicationForm(request.POST),
        lambda data: services.application_create(actor=request.user, programme=programme, year=data["year"]),
        partial(_programme_page, request, programme),
        "application_form",
    )
    if refused:
        return refused
    messages.success(request, _("The payment application is drafted."))
    return redirect("declarations:application", application.pk)


@login_required
@require_POST
def receipt_create(request: HttpRequest, cci: str) -> HttpResponse:
    programme = _programme_or_404(request, cci, "declaration.prepare")
    _done, refused = pages.submit_form(
        ReceiptForm(request.POST),
        lambda data: services.receipt_record(actor=request.user, programme=programme, **data),
        partial(_programme_page, request, programme),
        "receipt_form",
    )
    if refused:
        return refused
    messages.success(request, _("The receipt is recorded."))
    return redirect("declarations:programme", programme.cci)


def _application_page(
    request: HttpRequest, application: PaymentApplication, status: int = 200, **extra: Any
) -> HttpResponse:
    items = selectors.application_items(request.user, application)
    rows, total = selectors.so_totals(items)
    if request.GET.get("format") == "xlsx" and status == 200:
        response = HttpResponse(exports.application_xlsx(application, rows, total, items), content_type=XLSX)
        name = (
            f"payment-application-{application.programme.cci}-{application.year}-{application.sequence}.xlsx"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    if request.GET.get("format") == "pdf" and status == 200:
        rules_of = rules.PERIODS.get(application.programme.period.code)
        context = {
            "application": application,
            "rows": rows,
            "total": total,
            "items": items,
            "rules": rules_of,
        }
        response = HttpResponse(
            exports.application_pdf(context, translation.get_language() or "en"),
            content_type="application/pdf",
        )
        name = (
            f"payment-application-{application.programme.cci}-{application.year}-{application.sequence}.pdf"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    may_prepare = check(request.user, "declaration.prepare").allowed
    held = list(selectors.held_back_items(application.programme)) if may_prepare else []
    reintroduce_form = extra.pop("reintroduce_form", None) or ReintroduceForm(
        initial={"lock_version": application.lock_version}
    )
    reintroduce_form.fields["item"].widget.choices = [
        (i.pk, f"{i.application.year}/{i.application.sequence} · {i.project.reference} · {i.eu}")
        for i in held
    ]
    accounts = AnnualAccounts.objects.filter(programme=application.programme, year=application.year).first()
    # a project links to its page only for readers who may open it (the committee reads figures only)
    openable = set(
        projects_for(request.user).filter(pk__in={i.project_id for i in items}).values_list("pk", flat=True)
    )
    context = {
        "application": application,
        "items": items,
        "openable": openable,
        "rows": rows,
        "total": total,
        "draft": application.status == PaymentApplication.Status.DRAFT,
        "accounts_open": accounts is None or accounts.status == AnnualAccounts.Status.DRAFT,
        "may_prepare": may_prepare,
        "may_submit": check(request.user, "declaration.submit").allowed,
        "held": held,
        "hold_form": HoldForm(initial={"lock_version": application.lock_version}),
        "reintroduce_form": reintroduce_form,
        "submit_form": extra.pop("submit_form", None)
        or SubmitForm(
            initial={"lock_version": application.lock_version, "submitted_on": timezone.localdate()}
        ),
        "rules": rules.PERIODS.get(application.programme.period.code),
        **extra,
    }
    return render(request, "declarations/application.html", context, status=status)


@login_required
@require_GET
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _application_page(request, _application_or_404(request, pk))


@login_required
@require_POST
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application_or_404(request, pk, "declaration.submit")
    _done, refused = pages.submit_form(
        SubmitForm(request.POST),
        lambda data: services.application_submit(
            actor=request.user,
            application=application,
            expected_lock_version=data["lock_version"],
            submitted_on=data["submitted_on"],
        ),
        partial(_application_page, request, application),
        "submit_form",
    )
    if refused:
        return refused
    messages.success(request, _("The payment application is submitted; its figures are frozen."))
    return redirect("declarations:application", application.pk)


@login_required
@require_POST
def hold_back(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "declaration.prepare")
    item = selectors.items_for(request.user).filter(pk=pk).first()
    if item is None:
        raise Http404(_("No such item."))
    application = item.application
    form = HoldForm(request.POST)
    if not form.is_valid():
        return _application_page(request, application, 400, error=pages.form_problems(form))
    try:
        services.item_hold_back(
            actor=request.user,
            item=item,
            reason=form.cleaned_data["reason"],
            expected_lock_version=form.cleaned_data["lock_version"],
        )
    except (ApplicationError, PermissionDenied) as error:
        return _application_page(request, application, error_status(error), error=error_message(error))
    messages.success(request, _("The item is held back."))
    return redirect("declarations:application", application.pk)


@login_required
@require_POST
def reintroduce(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application_or_404(request, pk, "declaration.prepare")
    form = ReintroduceForm(request.POST)
    if not form.is_valid():
        return _application_page(request, application, 400, error=pages.form_problems(form))
    held = PaymentApplicationItem.objects.filter(
        pk=form.cleaned_data["item"], application__programme=application.programme
    ).first()
    if held is None:
        return _application_page(request, application, 400, error=_("No such held-back item."))
    try:
        services.item_reintroduce(
            actor=request.user,
            application=application,
            held=held,
            expected_lock_version=form.cleaned_data["lock_version"],
        )
    except (ApplicationError, PermissionDenied) as error:
        return _application_page(request, application, error_status(error), error=error_message(error))
    messages.success(request, _("The item is reintroduced."))
    return redirect("declarations:application", application.pk)


def _accounts_page(
    request: HttpRequest, programme: Programme, year: int, status: int = 200, **extra: Any
) -> HttpResponse:
    if not rules.year_in_period(programme.period.code, year):
        raise Http404(_("No such year in this programming period."))
    view = selectors.accounts_view(request.user, programme, year)
    document = selectors.accounts_document(view)
    fmt = request.GET.get("format")
    if status == 200 and fmt == "xlsx":
        response = HttpResponse(exports.accounts_xlsx(document), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="accounts-{programme.cci}-{year}.xlsx"'
        return response
    if status == 200 and fmt == "pdf":
        pdf = exports.accounts_pdf(document, translation.get_language() or "en")
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="accounts-{programme.cci}-{year}.pdf"'
        return response
    due, extended = rules.accounts_due(programme.period.code, year)
    context = {
        "programme": programme,
        "view": view,
        "doc": document,
        "kinds": exports.KIND_LABELS,
        "due": due,
        "extended": extended,
        "may_prepare": check(request.user, "declaration.prepare").allowed,
        "may_submit": check(request.user, "declaration.submit").allowed,
        "whole": selectors.whole_programme(request.user),
        **extra,
    }
    return render(request, "declarations/accounts.html", context, status=status)


@login_required
def accounts_page(request: HttpRequest, cci: str, year: int) -> HttpResponse:
    if request.method == "POST":  # draft the year's accounts
        programme = _programme_or_404(request, cci, "declaration.prepare")
        try:
            services.accounts_prepare(actor=request.user, programme=programme, year=year)
        except (ApplicationError, PermissionDenied) as error:
            return _accounts_page(request, programme, year, error_status(error), error=error_message(error))
        messages.success(request, _("The accounts are drafted."))
        return redirect("declarations:accounts", cci, year)
    if request.method != "GET":
        return HttpResponse(status=405)
    return _accounts_page(request, _programme_or_404(request, cci), year)


@login_required
@require_POST
def accounts_submit(request: HttpRequest, cci: str, year: int) -> HttpResponse:
    programme = _programme_or_404(request, cci, "declaration.submit")
    record = AnnualAccounts.objects.filter(programme=programme, year=year).first()
    if record is None:
        raise Http404(_("The accounts of this year are not drafted."))
    try:
        lock = int(request.POST.get("lock_version", ""))
    except ValueError:
        return _accounts_page(
            request, programme, year, 400, error=_("The form is incomplete; reload the page.")
        )
    try:
        services.accounts_submit(actor=request.user, accounts=record, expected_lock_version=lock)
    except (ApplicationError, PermissionDenied) as error:
        return _accounts_page(request, programme, year, error_status(error), error=error_message(error))
    messages.success(request, _("The accounts are submitted; their figures are frozen."))
    return redirect("declarations:accounts", cci, year)
