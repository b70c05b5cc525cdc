"""Cancellations, recoveries and the closure in the REST API (on the payments router): cancel a paid
payment, list recovery orders (the projects the caller may see), order one from a project, record
money received, write one off, close a project. The same services as the pages: 400 for a broken rule
or a bad body, 403 with the reason (role, scope, segregation of duties), 409 when changed meanwhile,
404 outside the caller's scope."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from amis.accounts.api_auth import AUTHENTICATED
from amis.accounts.permissions import require, roles_text
from amis.core.api_input import body, json_body_doc
from amis.core.errors import ApplicationError
from amis.payments import closure, selectors, services
from amis.payments.api_common import PaymentOut, payment_in_scope, payment_out
from amis.payments.models import ProjectClosure, Recovery
from amis.payments.recoveries import recovery_order, recovery_receive, recovery_write_off
from amis.projects.models import Project
from amis.projects.scope import projects_for
from amis.verification.models import Finding, Irregularity

router = Router(tags=["payments"])


class RecoveryOut(Schema):
    id: int
    project: str
    debtor: str
    amount_due: str
    received: str
    offset: str
    written_off: str
    outstanding: str
    due_date: str
    status: str
    reason: str
    write_off_reason: str
    finding: int | None
    irregularity: int | None
    lock_version: int


class ClosureOut(Schema):
    project: str
    closed_on: str
    figures: dict[str, str]


class CancelIn(Schema):
    lock_version: int
    reason: str


class OrderIn(Schema):
    amount: Decimal
    due_date: dt.date
    reason: str
    finding: int | None = None
    irregularity: int | None = None


class ReceiveIn(Schema):
    lock_version: int
    amount: Decimal
    received_on: dt.date


class WriteOffIn(Schema):
    lock_version: int
    reason: str


def _recovery_out(r: Recovery) -> dict[str, Any]:
    return {
        "id": r.pk,
        "project": r.project.reference,
        "debtor": r.debtor.name,
        "amount_due": str(r.amount_due),
        "received": str(r.received),
        "offset": str(r.offset),
        "written_off": str(r.written_off),
        "outstanding": str(r.outstanding),
        "due_date": r.due_date.isoformat(),
        "status": r.status,
        "reason": r.reason,
        "write_off_reason": r.write_off_reason,
        "finding": r.finding_id,
        "irregularity": r.irregularity_id,
        "lock_version": r.lock_version,
    }


def _closure_out(c: ProjectClosure) -> dict[str, Any]:
    return {"project": c.project.reference, "closed_on": c.closed_on.isoformat(), "figures": c.figures}


def _recovery(request: HttpRequest, recovery_id: int) -> Recovery:
    recovery = selectors.recoveries_for(request.user).filter(pk=recovery_id).first()
    if recovery is None:
        raise Http404(f"No recovery {recovery_id}.")
    return recovery


def _project(request: HttpRequest, reference: str) -> Project:
    project = projects_for(request.user).filter(reference=reference).first()
    if project is None:
        raise Http404(f"No project {reference}.")
    return project


@router.post(
    "/payments/{payment_id}/cancel",
    response={201: PaymentOut},
    auth=AUTHENTICATED,
    summary="Cancel a paid payment (or one sent to the bank): a new entry of the opposite amount",
    description=roles_text("payment.propose")
    + " Once per payment; another person approves it, the accounting unit records the bank's return "
    "(POST /payments/{id}/paid).",
    openapi_extra=json_body_doc(CancelIn),
)
def cancel(request: HttpRequest, payment_id: int) -> Status:
    require(request.user, "payment.propose")
    payment = payment_in_scope(request, payment_id)
    data = body(request, CancelIn)
    cancellation = services.payment_cancel(
        actor=request.user, payment=payment, reason=data.reason, expected_lock_version=data.lock_version
    )
    return Status(201, payment_out(cancellation))


@router.get(
    "/payments/recoveries",
    response=list[RecoveryOut],
    auth=AUTHENTICATED,
    summary="Recovery orders of the projects the caller may see",
    description=roles_text("recovery.view") + " `status`: open, recovered or written_off.",
)
def list_recoveries(request: HttpRequest, status: str = "") -> list[dict[str, Any]]:
    require(request.user, "recovery.view")
    recoveries = selectors.recoveries_for(request.user)
    if status:
        if status not in Recovery.Status.values:
            raise ApplicationError(
                f"status is one of {', '.join(Recovery.Status.values)}.", code="bad_request"
            )
        recoveries = recoveries.filter(status=status)
    return [_recovery_out(r) for r in recoveries[:500]]


@router.post(
    "/projects/{reference}/recoveries",
    response={201: RecoveryOut},
    auth=AUTHENTICATED,
    summary="Order the beneficiary to pay back an amount, with the finding or irregularity it comes from",
    description=roles_text("payment.propose")
    + " `amount` a decimal string in euro, `due_date` ISO (YYYY-MM-DD), not in the past.",
    openapi_extra=json_body_doc(OrderIn),
)
def order(request: HttpRequest, reference: str) -> Status:
    require(request.user, "payment.propose")
    project = _project(request, reference)
    data = body(request, OrderIn)
    finding = irregularity = None
    if data.finding is not None:
        finding = Finding.objects.filter(project=project, pk=data.finding).first()
        if finding is None:
            raise ApplicationError(f"No finding {data.finding} in project {reference}.", code="bad_request")
    if data.irregularity is not None:
        irregularity = Irregularity.objects.filter(project=project, pk=data.irregularity).first()
        if irregularity is None:
            raise ApplicationError(
                f"No irregularity {data.irregularity} in project {reference}.", code="bad_request"
            )
    recovery = recovery_order(
        actor=request.user,
        project=project,
        amount=data.amount,
        due_date=data.due_date,
        reason=data.reason,
        finding=finding,
        irregularity=irregularity,
    )
    return Status(201, _recovery_out(recovery))


@router.post(
    "/payments/recoveries/{recovery_id}/receive",
    response=RecoveryOut,
    auth=AUTHENTICATED,
    summary="Record money received against a recovery order, with the bank's date",
    description=roles_text("payment.execute") + " Never more than outstanding; `received_on` ISO.",
    openapi_extra=json_body_doc(ReceiveIn),
)
def receive(request: HttpRequest, recovery_id: int) -> dict[str, Any]:
    require(request.user, "payment.execute")
    recovery = _recovery(request, recovery_id)
    data = body(request, ReceiveIn)
    return _recovery_out(
        recovery_receive(
            actor=request.user,
            recovery=recovery,
            amount=data.amount,
            received_on=data.received_on,
            expected_lock_version=data.lock_version,
        )
    )


@router.post(
    "/payments/recoveries/{recovery_id}/write-off",
    response=RecoveryOut,
    auth=AUTHENTICATED,
    summary="Write off what is outstanding, with the reason (never by who ordered the recovery)",
    description=roles_text("payment.approve"),
    openapi_extra=json_body_doc(WriteOffIn),
)
def write_off(request: HttpRequest, recovery_id: int) -> dict[str, Any]:
    require(request.user, "payment.approve")
    recovery = _recovery(request, recovery_id)
    data = body(request, WriteOffIn)
    return _recovery_out(
        recovery_write_off(
            actor=request.user, recovery=recovery, reason=data.reason, expected_lock_version=data.lock_version
        )
    )


@router.post(
    "/projects/{reference}/close",
    response={201: ClosureOut},
    auth=AUTHENTICATED,
    summary="Close the project for payments; its figures are kept as they are",
    description=roles_text("payment.approve")
    + " Refused (400, with `blockers`) until the final report is verified, the balance paid, nothing "
    "waits for approval or the bank, and no recovery or finding is open.",
)
def close(request: HttpRequest, reference: str) -> Status:
    require(request.user, "payment.approve")
    project = _project(request, reference)
    return Status(201, _closure_out(closure.project_close(actor=request.user, project=project)))
