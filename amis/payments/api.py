"""Payments in the REST API: the list (status filter), a proposal for a project, approval and
rejection, batches (create, export once), the SEPA file, the bank's date. The same services and
checks as the pages: 400 for a broken rule, 403 with the reason (role, scope, four eyes), 409 when
the payment or batch changed meanwhile. A payment outside the caller's scope answers 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Router, Schema, Status

from amis.accounts.api_auth import AUTHENTICATED
from amis.accounts.permissions import require, roles_text
from amis.core.api_input import body, json_body_doc
from amis.core.errors import ApplicationError
from amis.payments import selectors, services
from amis.payments.api_common import PaymentOut, payment_in_scope, payment_out
from amis.payments.api_recoveries import router as recoveries_router
from amis.payments.models import Payment, PaymentBatch
from amis.projects.scope import projects_for
from amis.reporting.models import Report

router = Router(tags=["payments"])
router.add_router("", recoveries_router)  # cancellations, recoveries and the closure
STATUSES: dict[str, dict[str, Any]] = {
    "proposed": {"status": Payment.Status.PROPOSED},
    "approved": {"status": Payment.Status.APPROVED, "batch__isnull": True},
    "in_batch": {"status": Payment.Status.APPROVED, "batch__isnull": False},
    "paid": {"status": Payment.Status.PAID},
    "rejected": {"status": Payment.Status.REJECTED},
}


class BatchOut(Schema):
    id: int
    reference: str
    status: str
    execution_date: str
    payments: list[int]
    control_sum: str | None
    transactions: int
    xml_sha256: str
    lock_version: int


class ProposeIn(Schema):
    kind: str
    report: int | None = None


class LockIn(Schema):
    lock_version: int


class RejectIn(Schema):
    lock_version: int
    reason: str


class BatchIn(Schema):
    execution_date: dt.date
    payments: list[int]


class PaidIn(Schema):
    lock_version: int
    paid_on: dt.date


def _batch_out(b: PaymentBatch) -> dict[str, Any]:
    return {
        "id": b.pk,
        "reference": b.reference,
        "status": b.status,
        "execution_date": b.execution_date.isoformat(),
        "payments": sorted(b.payments.values_list("pk", flat=True)),
        "control_sum": str(b.control_sum) if b.control_sum is not None else None,
        "transactions": b.transactions,
        "xml_sha256": b.xml_sha256,
        "lock_version": b.lock_version,
    }


def _batch(batch_id: int) -> PaymentBatch:
    batch = PaymentBatch.objects.filter(pk=batch_id).first()
    if batch is None:
        raise Http404(f"No batch {batch_id}.")
    return batch


@router.get(
    "/payments",
    response=list[PaymentOut],
    auth=AUTHENTICATED,
    summary="Payments to beneficiaries, newest first",
    description=roles_text("payment.view")
    + " `status`: proposed, approved (not in a batch yet), in_batch, paid or rejected.",
)
def list_payments(request: HttpRequest, status: str = "") -> list[dict[str, Any]]:
    require(request.user, "payment.view")
    payments = selectors.payments_for(request.user)
    if status:
        if status not in STATUSES:
            raise ApplicationError(f"status is one of {', '.join(STATUSES)}.", code="bad_request")
        payments = payments.filter(**STATUSES[status])
    return [payment_out(p) for p in payments[:500]]


@router.post(
    "/projects/{reference}/payments",
    response={201: PaymentOut},
    auth=AUTHENTICATED,
    summary="Propose a payment: prefinancing, interim (a verified report) or balance (the final report)",
    description=roles_text("payment.propose") + " AMIS computes the amount and gives its working.",
    openapi_extra=json_body_doc(ProposeIn),
)
def propose(request: HttpRequest, reference: str) -> Status:
    require(request.user, "payment.propose")
    project = projects_for(request.user).filter(reference=reference).first()
    if project is None:
        raise Http404(f"No project {reference}.")
    data = body(request, ProposeIn)
    report = None
    if data.report is not None:
        report = Report.objects.filter(project=project, pk=data.report).first()
        if report is None:
            raise ApplicationError(f"No report {data.report} in project {reference}.", code="bad_request")
    payment = services.payment_propose(actor=request.user, project=project, kind=data.kind, report=report)
    return Status(201, payment_out(payment))


@router.post(
    "/payments/{payment_id}/approve",
    response=PaymentOut,
    auth=AUTHENTICATED,
    summary="Approve a proposed payment (never the proposer, never the report's verifier)",
    description=roles_text("payment.approve"),
    openapi_extra=json_body_doc(LockIn),
)
def approve(request: HttpRequest, payment_id: int) -> dict[str, Any]:
    require(request.user, "payment.approve")
    payment = payment_in_scope(request, payment_id)
    data = body(request, LockIn)
    return payment_out(
        services.payment_approve(actor=request.user, payment=payment, expected_lock_version=data.lock_version)
    )


@router.post(
    "/payments/{payment_id}/reject",
    response=PaymentOut,
    auth=AUTHENTICATED,
    summary="Reject a proposed payment, with the reason",
    description=roles_text("payment.approve"),
    openapi_extra=json_body_doc(RejectIn),
)
def reject(request: HttpRequest, payment_id: int) -> dict[str, Any]:
    require(request.user, "payment.approve")
    payment = payment_in_scope(request, payment_id)
    data = body(request, RejectIn)
    return payment_out(
        services.payment_reject(
            actor=request.user, payment=payment, expected_lock_version=data.lock_version, reason=data.reason
        )
    )


@router.post(
    "/payments/batches",
    response={201: BatchOut},
    auth=AUTHENTICATED,
    summary="Gather approved payments (not in a batch yet) into a batch for the bank",
    description=roles_text("payment.execute") + " `execution_date` ISO (YYYY-MM-DD).",
    openapi_extra=json_body_doc(BatchIn),
)
def create_batch(request: HttpRequest) -> Status:
    require(request.user, "payment.execute")
    data = body(request, BatchIn)
    payments = list(Payment.objects.filter(pk__in=data.payments))
    if len(payments) != len(set(data.payments)):
        raise ApplicationError("Some of these payments do not exist.", code="bad_request")
    batch = services.batch_create(actor=request.user, payments=payments, execution_date=data.execution_date)
    return Status(201, _batch_out(batch))


@router.post(
    "/payments/batches/{batch_id}/export",
    response=BatchOut,
    auth=AUTHENTICATED,
    summary="Export the batch: the SEPA pain.001.001.03 file, validated; the batch never changes after",
    description=roles_text("payment.execute"),
    openapi_extra=json_body_doc(LockIn),
)
def export_batch(request: HttpRequest, batch_id: int) -> dict[str, Any]:
    require(request.user, "payment.execute")
    batch = _batch(batch_id)
    data = body(request, LockIn)
    return _batch_out(
        services.batch_export(actor=request.user, batch=batch, expected_lock_version=data.lock_version)
    )


@router.get(
    "/payments/batches/{batch_id}/sepa.xml",
    auth=AUTHENTICATED,
    summary="The SEPA credit transfer file of an exported batch",
    description=roles_text("payment.execute"),
    response={200: None},
)
def sepa_file(request: HttpRequest, batch_id: int) -> HttpResponse:
    require(request.user, "payment.execute")
    batch = _batch(batch_id)
    if batch.xml is None:
        raise Http404(f"Batch {batch_id} is not exported yet.")
    response = HttpResponse(bytes(batch.xml), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{batch.reference}.xml"'
    return response


@router.post(
    "/payments/{payment_id}/paid",
    response=PaymentOut,
    auth=AUTHENTICATED,
    summary="Record a payment of an exported batch as paid, with the bank's date",
    description=roles_text("payment.execute") + " `paid_on` ISO (YYYY-MM-DD), not in the future.",
    openapi_extra=json_body_doc(PaidIn),
)
def record_paid(request: HttpRequest, payment_id: int) -> dict[str, Any]:
    require(request.user, "payment.execute")
    payment = Payment.objects.filter(pk=payment_id).first()
    if payment is None:
        raise Http404(f"No payment {payment_id}.")
    data = body(request, PaidIn)
    return payment_out(
        services.payment_record_paid(
            actor=request.user, payment=payment, expected_lock_version=data.lock_version, paid_on=data.paid_on
        )
    )
