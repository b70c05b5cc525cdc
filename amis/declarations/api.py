"""Declarations in the REST API (/api/v1/declarations): payment applications (list, draft, page,
hold back, reintroduce, submit), receipts from the Commission, the accounts of a year with their
reconciliation, and the decommitment risk — for the authorities' own systems. The same services and
checks as the pages: 400 for a broken rule (nothing saved), 403 with the reason (role, four eyes),
404 outside the caller's scope, 409 when the record changed meanwhile."""

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
from amis.declarations import rules, selectors, services
from amis.declarations.models import AnnualAccounts, PaymentApplication, PaymentApplicationItem
from amis.programme.models import Programme

router = Router(tags=["declarations"])


class ApplicationIn(Schema):
    year: int


class HoldIn(Schema):
    lock_version: int
    reason: str


class ReintroduceIn(Schema):
    lock_version: int
    item: int


class SubmitIn(Schema):
    lock_version: int
    submitted_on: dt.date


class LockIn(Schema):
    lock_version: int


class ReceiptIn(Schema):
    kind: str
    received_on: dt.date
    amount: Decimal
    reference: str = ""


def _programme(request: HttpRequest, cci: str, action: str) -> Programme:
    require(request.user, action)
    programme = selectors.programmes_for(request.user).filter(cci=cci).first()
    if programme is None:
        raise Http404(f"No programme {cci}.")
    return programme


def _application(request: HttpRequest, pk: int, action: str) -> PaymentApplication:
    require(request.user, action)
    application = selectors.applications_for(request.user).filter(pk=pk).first()
    if application is None:
        raise Http404(f"No payment application {pk}.")
    return application


def _item_out(i: PaymentApplicationItem) -> dict[str, Any]:
    return {
        "id": i.pk,
        "project": i.project.reference,
        "call": i.call.code,
        "call_id": i.call_id,
        "verification": i.verification_id,
        "specific_objective": i.specific_objective,
        "eligible": str(i.eligible),
        "public": str(i.public),
        "eu": str(i.eu),
        "held_back": i.held_back,
        "held_stage": i.held_stage,
        "held_reason": i.held_reason,
        "held_at": i.held_at.isoformat() if i.held_at else None,
        "reintroduces": i.reintroduces_id,
    }


def _application_out(request: HttpRequest, a: PaymentApplication, with_items: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": a.pk,
        "programme": a.programme.cci,
        "year": a.year,
        "sequence": a.sequence,
        "status": a.status,
        "submitted_on": a.submitted_on.isoformat() if a.submitted_on else None,
        "lock_version": a.lock_version,
    }
    if with_items:
        items = selectors.application_items(request.user, a)
        rows, total = selectors.so_totals(items)
        out["objectives"] = [
            {"specific_objective": r.specific_objective, **r.amounts.as_dict(), "items": r.items}
            for r in rows
        ]
        out["total"] = total.as_dict()
        out["items"] = [_item_out(i) for i in items]
    return out


@router.get(
    "/{cci}/applications",
    auth=AUTHENTICATED,
    summary="The programme's payment applications to the Commission, newest first",
    description=roles_text("declaration.view"),
)
def list_applications(request: HttpRequest, cci: str) -> list[dict[str, Any]]:
    programme = _programme(request, cci, "declaration.view")
    return [
        _application_out(request, a, with_items=False)
        for a in selectors.applications_for(request.user).filter(programme=programme)
    ]


@router.post(
    "/{cci}/applications",
    response={201: dict[str, Any]},
    auth=AUTHENTICATED,
    summary="Draft the next payment application of a year: an item per completed verification not declared",
    description=roles_text("declaration.prepare"),
    openapi_extra=json_body_doc(ApplicationIn),
)
def create_application(request: HttpRequest, cci: str) -> Status:
    programme = _programme(request, cci, "declaration.prepare")
    data = body(request, ApplicationIn)
    application = services.application_create(actor=request.user, programme=programme, year=data.year)
    return Status(201, _application_out(request, application))


@router.get(
    "/applications/{pk}",
    auth=AUTHENTICATED,
    summary="A payment application: per-SO totals (from the items) and its items",
    description=roles_text("declaration.view"),
)
def get_application(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _application_out(request, _application(request, pk, "declaration.view"))


@router.post(
    "/items/{pk}/hold",
    auth=AUTHENTICATED,
    summary="Hold an item back (from its draft application, or from the accounts once submitted)",
    description=roles_text("declaration.prepare") + " `lock_version` is the application's.",
    openapi_extra=json_body_doc(HoldIn),
)
def hold(request: HttpRequest, pk: int) -> dict[str, Any]:
    require(request.user, "declaration.prepare")
    item = selectors.items_for(request.user).filter(pk=pk).first()
    if item is None:
        raise Http404(f"No item {pk}.")
    data = body(request, HoldIn)
    item = services.item_hold_back(
        actor=request.user, item=item, reason=data.reason, expected_lock_version=data.lock_version
    )
    return _item_out(item)


@router.post(
    "/applications/{pk}/reintroduce",
    response={201: dict[str, Any]},
    auth=AUTHENTICATED,
    summary="Reintroduce a held-back item into this draft application (traced to the item held back)",
    description=roles_text("declaration.prepare"),
    openapi_extra=json_body_doc(ReintroduceIn),
)
def reintroduce(request: HttpRequest, pk: int) -> Status:
    application = _application(request, pk, "declaration.prepare")
    data = body(request, ReintroduceIn)
    held = PaymentApplicationItem.objects.filter(
        pk=data.item, application__programme=application.programme
    ).first()
    if held is None:
        raise ApplicationError(f"No item {data.item} in this programme.", code="bad_request")
    item = services.item_reintroduce(
        actor=request.user, application=application, held=held, expected_lock_version=data.lock_version
    )
    return Status(201, _item_out(item))


@router.post(
    "/applications/{pk}/submit",
    auth=AUTHENTICATED,
    summary="Submit the application to the Commission (never by who prepared it); frozen afterwards",
    description=roles_text("declaration.submit"),
    openapi_extra=json_body_doc(SubmitIn),
)
def submit(request: HttpRequest, pk: int) -> dict[str, Any]:
    application = _application(request, pk, "declaration.submit")
    data = body(request, SubmitIn)
    application = services.application_submit(
        actor=request.user,
        application=application,
        expected_lock_version=data.lock_version,
        submitted_on=data.submitted_on,
    )
    return _application_out(request, application)


def _receipt_out(r: Any) -> dict[str, Any]:
    return {
        "id": r.pk,
        "kind": r.kind,
        "received_on": r.received_on.isoformat(),
        "amount": str(r.amount),
        "reference": r.reference,
    }


@router.get(
    "/{cci}/receipts",
    auth=AUTHENTICATED,
    summary="Pre-financing and payments received from the Commission",
    description=roles_text("declaration.view"),
)
def list_receipts(request: HttpRequest, cci: str) -> list[dict[str, Any]]:
    programme = _programme(request, cci, "declaration.view")
    if not selectors.whole_programme(request.user):
        return []
    return [_receipt_out(r) for r in selectors.receipts(programme)]


@router.post(
    "/{cci}/receipts",
    response={201: dict[str, Any]},
    auth=AUTHENTICATED,
    summary="Record money received from the Commission (pre-financing, interim payment, balance)",
    description=roles_text("declaration.prepare"),
    openapi_extra=json_body_doc(ReceiptIn),
)
def create_receipt(request: HttpRequest, cci: str) -> Status:
    programme = _programme(request, cci, "declaration.prepare")
    data = body(request, ReceiptIn)
    receipt = services.receipt_record(
        actor=request.user,
        programme=programme,
        kind=data.kind,
        received_on=data.received_on,
        amount=data.amount,
        reference=data.reference,
    )
    return Status(201, _receipt_out(receipt))


def _accounts_out(request: HttpRequest, programme: Programme, year: int) -> dict[str, Any]:
    if not rules.year_in_period(programme.period.code, year):
        raise ApplicationError(f"No year {year} in the period {programme.period.code}.", code="bad_request")
    view = selectors.accounts_view(request.user, programme, year)
    out = selectors.accounts_document(view)
    out["lock_version"] = view.record.lock_version if view.record else None
    return out


@router.get(
    "/{cci}/accounts/{year}",
    auth=AUTHENTICATED,
    summary="The accounts of a financial (2014-2020) or accounting (2021-2027) year, per SO, reconciled",
    description=roles_text("declaration.view") + " The year is named by the calendar year in which it ends.",
)
def get_accounts(request: HttpRequest, cci: str, year: int) -> dict[str, Any]:
    return _accounts_out(request, _programme(request, cci, "declaration.view"), year)


@router.post(
    "/{cci}/accounts/{year}",
    response={201: dict[str, Any]},
    auth=AUTHENTICATED,
    summary="Draft the accounts of a year",
    description=roles_text("declaration.prepare"),
)
def prepare_accounts(request: HttpRequest, cci: str, year: int) -> Status:
    programme = _programme(request, cci, "declaration.prepare")
    services.accounts_prepare(actor=request.user, programme=programme, year=year)
    return Status(201, _accounts_out(request, programme, year))


@router.post(
    "/{cci}/accounts/{year}/submit",
    auth=AUTHENTICATED,
    summary="Submit the accounts (never by who drafted them); figures and reconciliation frozen",
    description=roles_text("declaration.submit"),
    openapi_extra=json_body_doc(LockIn),
)
def submit_accounts(request: HttpRequest, cci: str, year: int) -> dict[str, Any]:
    programme = _programme(request, cci, "declaration.submit")
    record = AnnualAccounts.objects.filter(programme=programme, year=year).first()
    if record is None:
        raise Http404(f"The accounts {year} are not drafted.")
    data = body(request, LockIn)
    services.accounts_submit(actor=request.user, accounts=record, expected_lock_version=data.lock_version)
    return _accounts_out(request, programme, year)


@router.get(
    "/{cci}/decommitment",
    auth=AUTHENTICATED,
    summary="Decommitment risk per commitment year: to cover, deadline, covered, gap, warning level",
    description=roles_text("declaration.view") + " Whole-programme readers only (a part is not committed).",
)
def decommitment(request: HttpRequest, cci: str) -> list[dict[str, Any]]:
    programme = _programme(request, cci, "declaration.view")
    if not selectors.whole_programme(request.user):
        return []
    return [
        {
            "year": r.year,
            "commitment": str(r.commitment),
            "to_cover": str(r.to_cover),
            "deadline": r.deadline.isoformat() if r.deadline else None,
            "covered": str(r.covered),
            "gap": str(r.gap),
            "level": r.level,
            "article": r.article,
        }
        for r in selectors.decommitment_risk(programme)
    ]
