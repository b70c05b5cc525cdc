"""Recovery pages and the project's closure: the list of recovery orders (the projects the reader may
see), a recovery with its receipts, the accounting unit's form recording money received and the
authorising officer's write-off (a reason, a confirmation; never who ordered it); from the project
page, a payment officer orders a recovery and an authorising officer closes the project.

Refusals: 400 with the rule broken, 403 with the reason, 409 when the recovery changed meanwhile."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amis.accounts.permissions import check, require
from amis.core.confirm import confirm_page, confirmed
from amis.core.errors import ApplicationError
from amis.core.http import error_message, error_status
from amis.payments import closure, selectors
from amis.payments.forms import ReceiveForm, RecoveryOrderForm, WriteOffForm
from amis.payments.models import Recovery
from amis.payments.recoveries import recovery_order, recovery_receive, recovery_write_off
from amis.projects.models import Project
from amis.projects.scope import projects_for

PER_PAGE = 50
STATUSES = [s.value for s in Recovery.Status]


def recovery_or_404(request: HttpRequest, pk: int, action: str = "recovery.view") -> Recovery:
    require(request.user, action)
    recovery = selectors.recoveries_for(request.user).filter(pk=pk).first()
    if recovery is None:
        raise Http404(_("No such recovery."))
    return recovery


def _project_or_404(request: HttpRequest, reference: str, action: str) -> Project:
    require(request.user, action)
    project = projects_for(request.user).filter(reference=reference).first()
    if project is None:
        raise Http404(_("No such project."))
    return project


@login_required
@require_GET
def recovery_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "recovery.view")
    status = request.GET.get("status", "")
    recoveries = selectors.recoveries_for(request.user)
    if status in STATUSES:
        recoveries = recoveries.filter(status=status)
    else:
        status = ""
    page = Paginator(recoveries, PER_PAGE).get_page(request.GET.get("page") or "1")
    return render(
        request,
        "payments/recovery_list.html",
        {
            "page_obj": page,
            "recoveries": page.object_list,
            "status": status,
            "filters": list(Recovery.Status.choices),
            "query": f"status={status}" if status else "",
        },
    )


def _detail(request: HttpRequest, recovery: Recovery, status: int = 200, **extra: Any) -> HttpResponse:
    is_open = recovery.status == Recovery.Status.OPEN
    context = {
        "recovery": recovery,
        "receipts": list(recovery.receipts.select_related("recorded_by").order_by("received_on", "pk")),
        "may_receive": is_open and check(request.user, "payment.execute").allowed,
        "may_write_off": is_open
        and recovery.created_by_id != request.user.pk
        and check(request.user, "payment.approve", recovery.project).allowed,
        "receive_form": ReceiveForm(initial={"lock_version": recovery.lock_version}),
        "write_off_form": WriteOffForm(initial={"lock_version": recovery.lock_version}),
        **extra,
    }
    return render(request, "payments/recovery.html", context, status=status)


@login_required
@require_GET
def recovery_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, recovery_or_404(request, pk))


@login_required
@require_POST
def recovery_receive_view(request: HttpRequest, pk: int) -> HttpResponse:
    recovery = recovery_or_404(request, pk, "payment.execute")
    form = ReceiveForm(request.POST)
    if not form.is_valid():
        return _detail(request, recovery, 400, receive_form=form)
    try:
        recovery_receive(
            actor=request.user,
            recovery=recovery,
            amount=form.cleaned_data["amount"],
            received_on=form.cleaned_data["received_on"],
            expected_lock_version=int(form.cleaned_data["lock_version"]),
        )
    except (ApplicationError, PermissionDenied) as error:
        return _detail(request, recovery, error_status(error), error=error_message(error), receive_form=form)
    messages.success(request, _("The money received is recorded."))
    return redirect("payments:recovery", recovery.pk)


@login_required
@require_POST
def recovery_write_off_view(request: HttpRequest, pk: int) -> HttpResponse:
    recovery = recovery_or_404(request, pk, "payment.approve")
    form = WriteOffForm(request.POST)
    if not form.is_valid():
        return _detail(request, recovery, 400, write_off_form=form)
    if not confirmed(request):
        return confirm_page(
            request,
            title=_("Write off the recovery"),
            what=[
                _("%(project)s: %(outstanding)s EUR still owed by %(debtor)s is written off.")
                % {
                    "project": recovery.project.reference,
                    "outstanding": recovery.outstanding,
                    "debtor": recovery.debtor.name,
                },
                _("Reason: %(reason)s") % {"reason": form.cleaned_data["reason"]},
            ],
            undo=_("A written-off recovery is closed; it cannot be reopened."),
            yes=_("Yes, write off the recovery"),
            back=f"/payments/recoveries/{recovery.pk}/",
            fields=["lock_version", "reason"],
        )
    try:
        recovery_write_off(
            actor=request.user,
            recovery=recovery,
            reason=form.cleaned_data["reason"],
            expected_lock_version=int(form.cleaned_data["lock_version"]),
        )
    except (ApplicationError, PermissionDenied) as error:
        return _detail(
            request, recovery, error_status(error), error=error_message(error), write_off_form=form
        )
    messages.success(request, _("The recovery is written off."))
    return redirect("payments:recovery", recovery.pk)


def _refused(request: HttpRequest, project: Project, title: str, status: int, **extra: Any) -> HttpResponse:
    return render(
        request, "payments/refused.html", {"project": project, "title": title, **extra}, status=status
    )


@login_required
@require_POST
def recovery_order_view(request: HttpRequest, reference: str) -> HttpResponse:
    project = _project_or_404(request, reference, "payment.propose")
    form = RecoveryOrderForm(request.POST, project=project)
    title = _("The recovery was not ordered")
    if not form.is_valid():
        return _refused(request, project, title, 400, form=form)
    try:
        recovery = recovery_order(actor=request.user, project=project, **form.cleaned_data)
    except (ApplicationError, PermissionDenied) as error:
        return _refused(request, project, title, error_status(error), form=form, error=error_message(error))
    messages.success(request, _("The recovery is ordered from the beneficiary."))
    return redirect("payments:recovery", recovery.pk)


@login_required
@require_POST
def project_close_view(request: HttpRequest, reference: str) -> HttpResponse:
    project = _project_or_404(request, reference, "payment.approve")
    blockers = closure.closure_blockers(project)
    title = _("The project was not closed")
    if blockers:
        return _refused(request, project, title, 400, blockers=blockers)
    if not confirmed(request):
        return confirm_page(
            request,
            title=_("Close the project"),
            what=[
                _("%(project)s: nothing is left to pay, recover or follow up; its figures are kept.")
                % {"project": project.reference}
            ],
            undo=_("A closed project is never paid nor recovered from again."),
            yes=_("Yes, close the project"),
            back=f"/projects/{project.reference}/",
        )
    try:
        closure.project_close(actor=request.user, project=project)
    except (ApplicationError, PermissionDenied) as error:
        return _refused(request, project, title, error_status(error), error=error_message(error))
    messages.success(request, _("The project is closed."))
    return redirect("projects:detail", project.reference)
