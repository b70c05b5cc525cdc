"""Writes of payments: propose (with AMIS's working), approve (another person, never the verifier),
record as paid; batching and the SEPA export live in `batches.py` (re-exported here).

A paid payment is cancelled by a new entry (`payment_cancel`: kind cancellation, minus the amount,
`cancels` the original), proposed, approved by another person and recorded by the accounting unit
with the bank's date of the return; it never goes into a batch. It counts against what was paid
only once recorded (`paid_so_far`), so nothing is paid again on a cancellation not yet confirmed.

Locking order (docs/architecture.md): the payment (or batch), then the recoveries it offsets, the
audit head last. Proposals lock the project row first, so two officers cannot propose the same
money twice.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from amis.accounts.services import SegregationOfDutiesError, duty_record, ensure_duty_allowed
from amis.accounts.sod import Duty
from amis.core import audit
from amis.core.errors import ApplicationError, StaleObjectError
from amis.core.money import ZERO
from amis.core.transactions import atomic, lock_for_update
from amis.payments import rules
from amis.payments.batches import batch_create, batch_export, sepa_xml
from amis.payments.models import Payment, PaymentBatch, Recovery
from amis.projects.models import Project
from amis.projects.scope import require_project
from amis.projects.selectors import version_in_force
from amis.reporting.models import Report
from amis.verification.models import FinancialCorrection, Verification

__all__ = [
    "COUNTED",
    "ZERO",
    "batch_create",
    "batch_export",
    "cancellable",
    "ensure_open",
    "eu_verified_total",
    "open_recoveries",
    "paid_net",
    "paid_so_far",
    "payment_approve",
    "payment_cancel",
    "payment_propose",
    "payment_record_paid",
    "payment_reject",
    "sepa_xml",
    "standing",
]
COUNTED = (Payment.Status.PROPOSED, Payment.Status.APPROVED, Payment.Status.PAID)
SAME_PERSON = "You proposed this payment; another person must approve it (four eyes)."
# what counts against the grant: payments proposed, approved or paid, and cancellations only once the
# bank's return is recorded (a cancellation still proposed or approved frees nothing yet)
SETTLED = (Q(status__in=COUNTED) & ~Q(kind=Payment.Kind.CANCELLATION)) | Q(
    kind=Payment.Kind.CANCELLATION, status=Payment.Status.PAID
)


def standing(payments: QuerySet[Payment]) -> QuerySet[Payment]:
    """Payments proposed, approved or paid that no recorded cancellation has undone."""
    return (
        payments.filter(status__in=COUNTED)
        .exclude(kind=Payment.Kind.CANCELLATION)
        .exclude(cancelled_by__status=Payment.Status.PAID)
    )


def paid_so_far(project: Project) -> Decimal:
    """Settled with the beneficiary so far: amounts and offsets of payments not rejected, net of the
    cancellations recorded (an undone payment's offset stays: the recoveries it cleared stay cleared)."""
    row = Payment.objects.filter(SETTLED, project=project).aggregate(a=Sum("amount"), o=Sum("offset"))
    return (row["a"] or ZERO) + (row["o"] or ZERO)


def paid_net(project: Project) -> Decimal:
    """What the beneficiary has actually received: payments recorded as paid (with their offsets),
    less the recorded returns of those (a return of a transfer never recorded as paid is left out:
    that money never arrived)."""
    row = (
        Payment.objects.filter(project=project, status=Payment.Status.PAID)
        .exclude(Q(kind=Payment.Kind.CANCELLATION) & ~Q(cancels__status=Payment.Status.PAID))
        .aggregate(a=Sum("amount"), o=Sum("offset"))
    )
    return (row["a"] or ZERO) + (row["o"] or ZERO)


def ensure_open(project: Project) -> None:
    from amis.payments.models import ProjectClosure

    if ProjectClosure.objects.filter(project=project).exists():
        raise ApplicationError(_("The project is closed; nothing more is paid or recovered."))


def eu_verified_total(project: Project) -> Decimal:
    """The EU share of the verified expenditure, less the EU share of the corrections made since."""
    row = Verification.objects.filter(
        report__project=project, status=Verification.Status.COMPLETED
    ).aggregate(s=Sum("eu_share"))
    corrected = FinancialCorrection.objects.filter(project=project).aggregate(s=Sum("eu_amount"))
    return (row["s"] or ZERO) - (corrected["s"] or ZERO)


def open_recoveries(project: Project) -> Decimal:
    row = Recovery.objects.filter(project=project, status=Recovery.Status.OPEN).aggregate(
        s=Sum(F("amount_due") - F("received") - F("offset"))
    )
    return row["s"] or ZERO


def _creditor(project: Project) -> dict[str, str]:
    org = project.organisation
    if not org.iban:
        raise ApplicationError(_("The beneficiary has no confirmed bank account."))
    return {"creditor_name": org.name[:140], "iban": org.iban, "bic": org.bic}


@atomic
def payment_propose(*, actor: Any, project: Project, kind: str, report: Report | None = None) -> Payment:
    """Propose the pre-financing (on signature), an interim payment (a verified interim report) or the
    balance (the verified final report), with the amount AMIS computes and its working."""
    current = lock_for_update(
        Project.objects.select_related("organisation", "application__call__programme__period")
    ).get(pk=project.pk)
    require_project(actor, current, "payment.propose")
    ensure_open(current)
    version = version_in_force(current)
    if version is None:
        raise ApplicationError(_("A project is paid once its grant agreement is signed."))
    values: dict[str, Any] = _creditor(current)
    verification = None
    if kind == Payment.Kind.PREFINANCING:
        if standing(Payment.objects.filter(project=current, kind=kind)).exists():
            raise ApplicationError(_("The pre-financing of this project is already proposed or paid."))
        if standing(Payment.objects.filter(project=current)).exists():
            # a pre-financing cancelled after the claims began: the next payment makes up for it
            raise ApplicationError(
                _("Interim payments have begun; the next payment makes up for the cancelled pre-financing.")
            )
        amount = rules.prefinancing(version.max_grant, version.prefinancing_share)
        working = [
            ["max_grant", str(version.max_grant)],
            ["prefinancing_share", str(version.prefinancing_share)],
            ["payable", str(amount)],
        ]
        offset = ZERO
        values["remittance"] = f"{current.reference} pre-financing"
        due_back = ZERO
    elif kind in (Payment.Kind.INTERIM, Payment.Kind.BALANCE):
        if report is None or report.project_id != current.pk:
            raise ApplicationError(_("Name the verified report this payment is for."))
        if (kind == Payment.Kind.BALANCE) != (report.kind == Report.Kind.FINAL):
            raise ApplicationError(
                _("The balance follows the final report; interim payments the interim reports.")
            )
        verification = (
            Verification.objects.filter(report=report, status=Verification.Status.COMPLETED)
            .order_by("-round")
            .first()
        )
        if verification is None:
            raise ApplicationError(_("The report is paid once its verification is completed."))
        if standing(Payment.objects.filter(report=report)).exists():
            raise ApplicationError(_("A payment for this report is already proposed or made."))
        result = rules.payable(
            rules.PayableInput(
                max_grant=version.max_grant,
                eu_verified_total=eu_verified_total(current),
                paid_so_far=paid_so_far(current),
                open_recoveries=open_recoveries(current),
                final=kind == Payment.Kind.BALANCE,
            )
        )
        amount, offset, due_back = result.amount, result.offset, result.due_back
        working = [[label, str(value)] for label, value in result.working]
        values["remittance"] = f"{current.reference} report {report.number}"
        values["claim_date"] = report.submitted_at.date() if report.submitted_at else None
        if values["claim_date"] and str(current.application.call.programme.period) == "2021-2027":
            values["due_date"] = rules.payment_due_date(values["claim_date"])
    else:
        raise ApplicationError(_("Unknown kind of payment."))
    if paid_so_far(current) + amount + offset > version.max_grant:
        raise ApplicationError(_("This payment would take what is paid above the maximum grant."))
    payment = Payment.objects.create(
        project=current,
        kind=kind,
        report=report,
        verification=verification,
        amount=amount,
        offset=offset,
        working=working,
        proposed_by=actor,
        **values,
    )
    audit.record(
        actor=actor,
        action="create",
        obj=payment,
        after={"kind": kind, "amount": str(amount), "offset": str(offset)},
    )
    if due_back > 0:
        recovery = Recovery.objects.create(
            project=current,
            debtor=current.organisation,
            amount_due=due_back,
            due_date=timezone.localdate() + dt.timedelta(days=60),
            reason=_("The balance is below what was paid."),
            origin=f"balance {current.reference}",
            created_by=actor,
        )
        audit.record(actor=actor, action="create", obj=recovery, after={"amount_due": str(due_back)})
    return payment


def _locked(payment: Payment, expected_lock_version: int) -> Payment:
    current = lock_for_update(Payment.objects.select_related("project__application__call", "report")).get(
        pk=payment.pk
    )
    if current.lock_version != expected_lock_version:
        raise StaleObjectError(str(current))
    return current


@atomic
def payment_approve(*, actor: Any, payment: Payment, expected_lock_version: int) -> Payment:
    """The authorising officer approves: never the proposer, never the report's verifier."""
    current = _locked(payment, expected_lock_version)
    require_project(actor, current.project, "payment.approve")
    if current.status != Payment.Status.PROPOSED:
        raise ApplicationError(_("Only a proposed payment is approved."))
    if current.proposed_by_id == actor.pk:
        audit.record_security_event(
            user=actor, event="permission_refused", obj=current, detail={"reason": SAME_PERSON}
        )
        raise SegregationOfDutiesError(SAME_PERSON)
    if current.report is not None:
        ensure_duty_allowed(
            user=actor, duty=Duty.PAY, obj=current.report, organisation=current.project.organisation
        )
    left = current.offset
    for recovery in lock_for_update(
        Recovery.objects.filter(project=current.project, status=Recovery.Status.OPEN).order_by(
            "due_date", "pk"
        )
    ):
        if left <= 0:
            break
        take = min(left, recovery.outstanding)
        recovery.offset += take
        left -= take
        if recovery.outstanding == 0:
            recovery.status = Recovery.Status.RECOVERED
        recovery.lock_version += 1
        recovery.save()
        audit.record(
            actor=actor, action="offset", obj=recovery, after={"offset": str(take), "payment": current.pk}
        )
    current.status = Payment.Status.APPROVED
    current.approved_by = actor
    current.approved_at = timezone.now()
    current.lock_version += 1
    current.save()
    if current.report is not None:
        duty_record(user=actor, duty=Duty.PAY, obj=current.report)
    audit.record(actor=actor, action="approve", obj=current, after={"amount": str(current.amount)})
    return current


@atomic
def payment_reject(*, actor: Any, payment: Payment, expected_lock_version: int, reason: str) -> Payment:
    current = _locked(payment, expected_lock_version)
    require_project(actor, current.project, "payment.approve")
    if current.status != Payment.Status.PROPOSED:
        raise ApplicationError(_("Only a proposed payment is rejected."))
    if not reason.strip():
        raise ApplicationError(_("Say why the payment is rejected."))
    current.status = Payment.Status.REJECTED
    current.rejection_reason = reason.strip()
    current.lock_version += 1
    current.save()
    audit.record(actor=actor, action="reject", obj=current, after={"reason": current.rejection_reason})
    return current


@atomic
def payment_record_paid(
    *, actor: Any, payment: Payment, expected_lock_version: int, paid_on: dt.date
) -> Payment:
    from amis.accounts.permissions import require

    """The bank's date of a transfer of an exported batch, or of the return of a cancelled payment."""
    require(actor, "payment.execute")
    current = _locked(payment, expected_lock_version)
    if current.kind == Payment.Kind.CANCELLATION:
        if current.status != Payment.Status.APPROVED:
            raise ApplicationError(_("A cancellation is recorded once it is approved."))
        original = current.cancels
        if original is not None and original.paid_on is not None and paid_on < original.paid_on:
            raise ApplicationError(_("The return cannot come before the payment it cancels."))
    elif (
        current.status != Payment.Status.APPROVED
        or current.batch is None
        or current.batch.status != PaymentBatch.Status.EXPORTED
    ):
        raise ApplicationError(_("A payment is recorded as paid once its batch is exported."))
    elif Payment.objects.filter(cancels=current).exclude(status=Payment.Status.REJECTED).exists():
        raise ApplicationError(_("This payment is being cancelled; it is no longer recorded as paid."))
    if paid_on > timezone.localdate():
        raise ApplicationError(_("The bank's date cannot be in the future."))
    current.status = Payment.Status.PAID
    current.paid_on = paid_on
    current.recorded_by = actor
    current.lock_version += 1
    current.save()
    audit.record(actor=actor, action="paid", obj=current, after={"paid_on": paid_on.isoformat()})
    return current


def cancellable(payment: Payment) -> bool:
    """Paid, or in a batch already sent to the bank, not a cancellation, and not cancelled yet."""
    if payment.kind == Payment.Kind.CANCELLATION:
        return False
    sent = (
        payment.status == Payment.Status.APPROVED
        and payment.batch is not None
        and payment.batch.status == PaymentBatch.Status.EXPORTED
    )
    if payment.status != Payment.Status.PAID and not sent:
        return False
    return not Payment.objects.filter(cancels=payment).exists()


@atomic
def payment_cancel(*, actor: Any, payment: Payment, reason: str, expected_lock_version: int) -> Payment:
    """A new entry undoing a paid payment (or one sent to the bank): minus its amount, to the same
    creditor, proposed like any payment; another person approves it and the accounting unit records
    the bank's date of the return. Once only (a rejected cancellation is kept, and so is the rule).
    The project row is locked first, as for a proposal, so a closure cannot slip in between."""
    lock_for_update(Project.objects).get(pk=payment.project_id)
    current = _locked(payment, expected_lock_version)
    require_project(actor, current.project, "payment.propose")
    ensure_open(current.project)
    if not reason.strip():
        raise ApplicationError(_("Say why the payment is cancelled."))
    if current.kind == Payment.Kind.CANCELLATION:
        raise ApplicationError(_("A cancellation is not cancelled; propose the payment again."))
    if Payment.objects.filter(cancels=current).exists():
        raise ApplicationError(_("This payment is already cancelled (or its cancellation was rejected)."))
    if not cancellable(current):
        raise ApplicationError(_("Only a paid payment, or one sent to the bank, is cancelled."))
    cancellation = Payment.objects.create(
        project=current.project,
        kind=Payment.Kind.CANCELLATION,
        amount=-current.amount,
        working=[["cancelled_payment", str(current.amount)], ["cancellation", str(-current.amount)]],
        creditor_name=current.creditor_name,
        iban=current.iban,
        bic=current.bic,
        remittance=f"{current.project.reference} cancellation of {current.remittance}"[:140],
        proposed_by=actor,
        cancels=current,
        cancellation_reason=reason.strip(),
    )
    current.lock_version += 1  # the original changed for its readers: it now has a cancellation
    current.save(update_fields=["lock_version"])
    audit.record(
        actor=actor,
        action="cancel",
        obj=cancellation,
        after={"cancels": current.pk, "amount": str(cancellation.amount), "reason": reason.strip()},
    )
    return cancellation
