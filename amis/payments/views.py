"""Payment pages: the payment officers' list and the proposal with AMIS's working in words and the
80-day due date; approval and rejection by the authorising officer (confirmation first); the
accounting unit's batches (create, export once with confirmation, the SEPA file and a CSV, payments
recorded as paid with the bank's date). Proposals are made from the project page (parts.py). A paid
payment is cancelled from its page (a reason, a confirmation): a new entry approved like any payment,
whose return the accounting unit records from the batches page. Recoveries: views_recoveries.py.

Refusals: 400 with the rule broken, 403 with the reason (role, scope, four eyes), 409 when someone
else changed the payment meanwhile; never a 500."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amis.accounts.permissions import check, require
from amis.core.confirm import confirm_page, confirmed
from amis.core.errors import ApplicationError
from amis.core.http import error_message, error_status
from amis.core.spreadsheet import csv_row
from amis.payments import rules, selectors, services
from amis.payments.forms import (
    BatchForm,
    CancelForm,
    LockForm,
    PaidForm,
    ProposeForm,
    RejectForm,
    ReturnForm,
)
from amis.payments.models import Payment, PaymentBatch
from amis.projects.scope import projects_for

PER_PAGE = 50
FILTERS: dict[str, dict[str, Any]] = {
    "proposed": {"status": Payment.Status.PROPOSED},
    "approved": {"status": Payment.Status.APPROVED, "batch__isnull": True},
    "in_batch": {"status": Payment.Status.APPROVED, "batch__isnull": False},
    "paid": {"status": Payment.Status.PAID},
}


def _filters() -> list[tuple[str, str]]:
    return [
        ("proposed", _("proposed")),
        ("approved", _("approved")),
        ("in_batch", _("in a batch")),
        ("paid", _("paid")),
    ]


def payment_or_404(request: HttpRequest, pk: int, action: str = "payment.propose") -> Payment:
    require(request.user, action)
    payment = selectors.payments_for(request.user).filter(pk=pk).first()
    if payment is None:
        raise Http404(_("No such payment."))
    return payment


def batch_or_404(request: HttpRequest, pk: int, action: str = "payment.execute") -> PaymentBatch:
    require(request.user, action)
    batch = selectors.batches().filter(pk=pk).first()
    if batch is None:
        raise Http404(_("No such batch."))
    return batch


@login_required
@require_GET
def payment_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "payment.view")
    status = request.GET.get("status", "")
    payments = selectors.payments_for(request.user)
    if status in FILTERS:
        payments = payments.filter(**FILTERS[status])
    else:
        status = ""
    page = Paginator(payments, PER_PAGE).get_page(request.GET.get("page") or "1")
    return render(
        request,
        "payments/payment_list.html",
        {
            "page_obj": page,
            "payments": page.object_list,
            "status": status,
            "filters": _filters(),
            "query": f"status={status}" if status else "",
        },
    )


def _detail(request: HttpRequest, payment: Payment, status: int = 200, **extra: Any) -> HttpResponse:
    today = timezone.localdate()
    days = None
    if payment.claim_date and payment.status in (Payment.Status.PROPOSED, Payment.Status.APPROVED):
        days = rules.days_counted(payment.claim_date, today)
    context = {
        "payment": payment,
        "working": selectors.working_rows(payment),
        "days_counted": days,
        "deadline_days": rules.PAYMENT_DAYS_2021,
        "late_soon": payment.due_date is not None
        and days is not None
        and (payment.due_date - today).days <= 10,
        "may_approve": payment.status == Payment.Status.PROPOSED
        and check(request.user, "payment.approve", payment.project).allowed,
        "reject_form": RejectForm(initial={"lock_version": payment.lock_version}),
        "may_cancel": services.cancellable(payment) and check(request.user, "payment.propose").allowed,
        "cancel_form": CancelForm(initial={"lock_version": payment.lock_version}),
        "cancellation": Payment.objects.filter(cancels=payment).first(),
        **extra,
    }
    return render(request, "payments/payment.html", context, status=status)


@login_required
@require_GET
def payment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, payment_or_404(request, pk, "payment.view"))


@login_required
@require_POST
def payment_propose(request: HttpRequest, reference: str) -> HttpResponse:
    require(request.user, "payment.propose")
    project = projects_for(request.user).filter(reference=reference).first()
    if project is None:
        raise Http404(_("No such project."))
    form = ProposeForm(request.POST, project=project)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return render(
            request, "payments/propose_refused.html", {"project": project, "form": form}, status=400
        )
    try:
        payment = services.payment_propose(
            actor=request.user,
            project=project,
            kind=form.cleaned_data["kind"],
            report=form.cleaned_data["report"],
        )
    except (ApplicationError, PermissionDenied) as error:
        return render(
            request,
            "payments/propose_refused.html",
            {"project": project, "form": form, "error": error_message(error)},
            status=error_status(error),
        )
    messages.success(request, _("The payment is proposed; another person approves it."))
    return redirect("payments:detail", payment.pk)


def _lock(request: HttpRequest, form: LockForm) -> int:
    return int(form.cleaned_data["lock_version"])


@login_required
@require_POST
def payment_approve(request: HttpRequest, pk: int) -> HttpResponse:
    payment = payment_or_404(request, pk, "payment.approve")
    form = LockForm(request.POST)
    if not form.is_valid():
        return _detail(request, payment, 400, error=_("The form was incomplete; reload the page."))
    if not confirmed(request):
        return confirm_page(
            request,
            title=_("Approve the payment"),
            what=[
                _("%(project)s: %(kind)s of %(amount)s EUR to %(creditor)s (%(iban)s).")
                % {
                    "project": payment.project.reference,
                    "kind": payment.get_kind_display(),
                    "amount": payment.amount,
                    "creditor": payment.creditor_name,
                    "iban": payment.iban,
                }
            ],
            undo=_("Once approved, the accounting unit may put the payment in a batch for the bank."),
            yes=_("Yes, approve the payment"),
            back=f"/payments/{payment.pk}/",
            fields=["lock_version"],
        )
    try:
        services.payment_approve(
            actor=request.user, payment=payment, expected_lock_version=_lock(request, form)
        )
    except (ApplicationError, PermissionDenied) as error:
        return _detail(request, payment, error_status(error), error=error_message(error))
    messages.success(request, _("The payment is approved."))
    return redirect("payments:detail", payment.pk)


@login_required
@require_POST
def payment_reject(request: HttpRequest, pk: int) -> HttpResponse:
    payment = payment_or_404(request, pk, "payment.approve")
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _detail(request, payment, 400, reject_form=form)
    if not confirmed(request):
        return confirm_page(
            request,
            title=_("Reject the payment"),
            what=[_("Reason: %(reason)s") % {"reason": form.cleaned_data["reason"]}],
            undo=_("A rejected payment cannot be approved again; a new proposal is needed."),
            yes=_("Yes, reject the payment"),
            back=f"/payments/{payment.pk}/",
            fields=["lock_version", "reason"],
        )
    try:
        services.payment_reject(
            actor=request.user,
            payment=payment,
            expected_lock_version=_lock(request, form),
            reason=form.cleaned_data["reason"],
        )
    except (ApplicationError, PermissionDenied) as error:
        return _detail(request, payment, error_status(error), error=error_message(error), reject_form=form)
    messages.success(request, _("The payment is rejected."))
    return redirect("payments:detail", payment.pk)


@login_required
@require_POST
def payment_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    payment = payment_or_404(request, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        return _detail(request, payment, 400, cancel_form=form)
    if not confirmed(request):
        return confirm_page(
            request,
            title=_("Cancel the payment"),
            what=[
                _("%(project)s: %(kind)s of %(amount)s EUR to %(creditor)s, undone by a new entry.")
                % {
                    "project": payment.project.reference,
                    "kind": payment.get_kind_display(),
                    "amount": payment.amount,
                    "creditor": payment.creditor_name,
                },
                _("Reason: %(reason)s") % {"reason": form.cleaned_data["reason"]},
            ],
            undo=_(
                "A payment is cancelled once: another person approves the cancellation and the "
                "accounting unit records the bank's date of the return."
            ),
            yes=_("Yes, cancel the payment"),
            back=f"/payments/{payment.pk}/",
            fields=["lock_version", "reason"],
        )
    try:
        cancellation = services.payment_cancel(
            actor=request.user,
            payment=payment,
            reason=form.cleaned_data["reason"],
            expected_lock_version=_lock(request, form),
        )
    except (ApplicationError, PermissionDenied) as error:
        return _detail(request, payment, error_status(error), error=error_message(error), cancel_form=form)
    messages.success(request, _("The cancellation is proposed; another person approves it."))
    return redirect("payments:detail", cancellation.pk)


def _batch_list(
    request: HttpRequest, status: int = 200, form: BatchForm | None = None, **extra: Any
) -> HttpResponse:
    page = Paginator(selectors.batches(), PER_PAGE).get_page(request.GET.get("page") or "1")
    form = form or BatchForm()
    returns = list(
        Payment.objects.filter(kind=Payment.Kind.CANCELLATION, status=Payment.Status.APPROVED)
        .select_related("project", "cancels")
        .order_by("pk")
    )
    return_rows = [
        (p, ReturnForm(initial={"lock_version": p.lock_version}, prefix=f"p{p.pk}")) for p in returns
    ]
    return render(
        request,
        "payments/batch_list.html",
        {
            "page_obj": page,
            "batches": page.object_list,
            "form": form,
            "return_rows": return_rows,
            "may_execute": check(request.user, "payment.execute").allowed,
            **extra,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def batch_list(request: HttpRequest) -> HttpResponse:
    """The batches (`batch.view`, the audit authority too), and the form gathering approved payments
    into a new one (`payment.execute`)."""
    require(request.user, "payment.execute" if request.method == "POST" else "batch.view")
    if request.method != "POST":
        return _batch_list(request)
    form = BatchForm(request.POST)
    if not form.is_valid():
        return _batch_list(request, 400, form)
    try:
        batch = services.batch_create(
            actor=request.user,
            payments=list(form.cleaned_data["payments"]),
            execution_date=form.cleaned_data["execution_date"],
        )
    except (ApplicationError, PermissionDenied) as error:
        return _batch_list(request, error_status(error), form, error=error_message(error))
    messages.success(request, _("The batch is created; export it to make the transfer file."))
    return redirect("payments:batch", batch.pk)


def _batch(request: HttpRequest, batch: PaymentBatch, status: int = 200, **extra: Any) -> HttpResponse:
    payments = list(batch.payments.select_related("project").order_by("pk"))
    total = sum((p.amount for p in payments), services.ZERO)
    context = {
        "batch": batch,
        "payments": payments,
        "total": total,
        "may_execute": check(request.user, "payment.execute").allowed,
        "paid_forms": {
            p.pk: PaidForm(initial={"lock_version": p.lock_version}, prefix=f"p{p.pk}") for p in payments
        },
        **extra,
    }
    context["payment_rows"] = [(p, context["paid_forms"][p.pk]) for p in payments]
    return render(request, "payments/batch.html", context, status=status)


@login_required
@require_GET
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _batch(request, batch_or_404(request, pk, "batch.view"))


@login_required
@require_POST
def batch_export(request: HttpRequest, pk: int) -> HttpResponse:
    batch = batch_or_404(request, pk)
    form = LockForm(request.POST)
    if not form.is_valid():
        return _batch(request, batch, 400, error=_("The form was incomplete; reload the page."))
    if not confirmed(request):
        return confirm_page(
            request,
            title=_("Export the batch to the bank"),
            what=[
                _("Batch %(reference)s: %(count)s payments, executed on %(date)s.")
                % {
                    "reference": batch.reference,
                    "count": batch.payments.count(),
                    "date": batch.execution_date,
                }
            ],
            undo=_("Once exported, the batch and its transfer file can never change."),
            yes=_("Yes, export the batch"),
            back=f"/payments/batches/{batch.pk}/",
            fields=["lock_version"],
        )
    try:
        services.batch_export(actor=request.user, batch=batch, expected_lock_version=_lock(request, form))
    except (ApplicationError, PermissionDenied) as error:
        return _batch(request, batch, error_status(error), error=error_message(error))
    messages.success(request, _("The batch is exported: download its SEPA file for the bank."))
    return redirect("payments:batch", batch.pk)


@login_required
@require_GET
def batch_xml(request: HttpRequest, pk: int) -> HttpResponse:
    batch = batch_or_404(request, pk)
    if batch.xml is None:
        raise Http404(_("The batch is not exported yet."))
    response = HttpResponse(bytes(batch.xml), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{batch.reference}.xml"'
    return response


@login_required
@require_GET
def batch_csv(request: HttpRequest, pk: int) -> HttpResponse:
    batch = batch_or_404(request, pk, "batch.view")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{batch.reference}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        csv_row(
            [
                "batch",
                "end_to_end_id",
                "project",
                "kind",
                "creditor",
                "iban",
                "bic",
                "amount",
                "remittance",
                "execution_date",
                "status",
                "paid_on",
            ]
        )
    )
    for p in batch.payments.select_related("project").order_by("pk"):
        writer.writerow(
            csv_row(
                [
                    batch.reference,
                    f"AMIS{p.pk}",
                    p.project.reference,
                    p.kind,
                    p.creditor_name,
                    p.iban,
                    p.bic,
                    str(p.amount),
                    p.remittance,
                    batch.execution_date.isoformat(),
                    p.status,
                    p.paid_on.isoformat() if p.paid_on else "",
                ]
            )
        )
    return response


@login_required
@require_POST
def payment_paid(request: HttpRequest, pk: int) -> HttpResponse:
    """The bank's date of a payment of an exported batch, or of the return of a cancelled payment
    (which has no batch: the answer is the batches page, with the cancellations to record)."""
    require(request.user, "payment.execute")
    payment = Payment.objects.select_related("batch").filter(pk=pk).first()
    if payment is None or (payment.batch is None and payment.kind != Payment.Kind.CANCELLATION):
        raise Http404(_("No such payment."))
    if payment.batch is None:
        return _record_return(request, payment, ReturnForm(request.POST, prefix=f"p{payment.pk}"))
    form = PaidForm(request.POST, prefix=f"p{payment.pk}")
    if not form.is_valid():
        return _batch(
            request, payment.batch, 400, error=" ".join(str(e) for es in form.errors.values() for e in es)
        )
    try:
        services.payment_record_paid(
            actor=request.user,
            payment=payment,
            expected_lock_version=_lock(request, form),
            paid_on=form.cleaned_data["paid_on"],
        )
    except (ApplicationError, PermissionDenied) as error:
        return _batch(request, payment.batch, error_status(error), error=error_message(error))
    messages.success(request, _("The payment is recorded as paid."))
    return redirect("payments:batch", payment.batch.pk)


def _record_return(request: HttpRequest, payment: Payment, form: ReturnForm) -> HttpResponse:
    if not form.is_valid():
        return _batch_list(request, 400, error=" ".join(str(e) for es in form.errors.values() for e in es))
    try:
        services.payment_record_paid(
            actor=request.user,
            payment=payment,
            expected_lock_version=_lock(request, form),
            paid_on=form.cleaned_data["paid_on"],
        )
    except (ApplicationError, PermissionDenied) as error:
        return _batch_list(request, error_status(error), error=error_message(error))
    messages.success(request, _("The return of the cancelled payment is recorded."))
    return redirect("payments:batches")
