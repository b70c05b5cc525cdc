"""Shared steps of the payments tests: a payment through four eyes, the batch and the bank."""

from __future__ import annotations

import datetime as dt

from amis.payments import services
from amis.payments.models import Payment
from amis.projects.models import Project
from amis.projects.tests.builders import user
from amis.reporting.models import Report

RA_MANAGER = "ra.manager@amis.example"
RA_OFFICER = "ra.officer@amis.example"
ACCOUNTING = "accounting@amis.example"


def approve(payment: Payment) -> Payment:
    return services.payment_approve(
        actor=user(RA_MANAGER), payment=payment, expected_lock_version=payment.lock_version
    )


def to_the_bank(payment: Payment) -> Payment:
    """Approved payment -> an exported batch (not yet recorded as paid)."""
    accountant = user(ACCOUNTING)
    batch = services.batch_create(actor=accountant, payments=[payment], execution_date=dt.date.today())
    services.batch_export(actor=accountant, batch=batch, expected_lock_version=batch.lock_version)
    return Payment.objects.get(pk=payment.pk)


def record(payment: Payment, day: dt.date | None = None) -> Payment:
    return services.payment_record_paid(
        actor=user(ACCOUNTING),
        payment=payment,
        expected_lock_version=payment.lock_version,
        paid_on=day or dt.date.today(),
    )


def paid(project: Project, kind: str = "prefinancing", report: Report | None = None) -> Payment:
    """Proposed by the officer, approved by the manager, batched, exported, recorded as paid."""
    payment = services.payment_propose(actor=user(RA_OFFICER), project=project, kind=kind, report=report)
    payment = approve(payment)
    if payment.amount == 0:
        return payment
    return record(to_the_bank(payment))


def cancelled(payment: Payment, reason: str = "Returned by the bank: account closed") -> Payment:
    """The cancellation proposed, approved and its return recorded."""
    payment.refresh_from_db()
    cancellation = services.payment_cancel(
        actor=user(RA_OFFICER), payment=payment, reason=reason, expected_lock_version=payment.lock_version
    )
    return record(approve(cancellation))
