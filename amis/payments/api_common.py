"""What the payments API modules share: a payment as the API shows it, and the payment looked up
within the caller's scope (404 outside it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Schema

from amis.payments import selectors
from amis.payments.models import Payment


class PaymentOut(Schema):
    id: int
    project: str
    kind: str
    report: int | None
    amount: str
    offset: str
    status: str
    working: list[list[str]]
    claim_date: str | None
    due_date: str | None
    creditor_name: str
    iban: str
    bic: str
    remittance: str
    batch: int | None
    paid_on: str | None
    rejection_reason: str
    lock_version: int


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def payment_out(p: Payment) -> dict[str, Any]:
    return {
        "id": p.pk,
        "project": p.project.reference,
        "kind": p.kind,
        "report": p.report_id,
        "amount": str(p.amount),
        "offset": str(p.offset),
        "status": p.status,
        "working": [[str(a), str(b)] for a, b in p.working],
        "claim_date": _iso(p.claim_date),
        "due_date": _iso(p.due_date),
        "creditor_name": p.creditor_name,
        "iban": p.iban,
        "bic": p.bic,
        "remittance": p.remittance,
        "batch": p.batch_id,
        "paid_on": _iso(p.paid_on),
        "rejection_reason": p.rejection_reason,
        "lock_version": p.lock_version,
    }


def payment_in_scope(request: HttpRequest, payment_id: int) -> Payment:
    payment = selectors.payments_for(request.user).filter(pk=payment_id).first()
    if payment is None:
        raise Http404(f"No payment {payment_id}.")
    return payment
