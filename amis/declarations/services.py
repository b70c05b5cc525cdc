"""Writes of declarations to the Commission: a payment application drafted with an item per
completed verification not yet declared, items held back (from the draft application, or from the
accounts once the application is submitted) and reintroduced in a later application, the
application submitted by another person and frozen; the Commission's receipts; the annual accounts
drafted and submitted by another person with a frozen snapshot.

Each write is one transaction with its audit entry; refusals are audited (`amis.core.transactions`
keeps the security events of a refused service). Segregation of duties: who prepares an application
or the accounts (drafts, holds back, reintroduces) never submits them (`Duty.PREPARE` /
`Duty.SUBMIT`, as for programme versions).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from amis.accounts.permissions import require
from amis.accounts.services import duty_record, ensure_duty_allowed
from amis.accounts.sod import Duty
from amis.core import audit
from amis.core.errors import ApplicationError, StaleObjectError
from amis.core.money import ZERO, is_whole_cents
from amis.core.transactions import atomic, lock_for_update
from amis.declarations import rules, selectors
from amis.declarations.models import (
    AnnualAccounts,
    CommissionReceipt,
    PaymentApplication,
    PaymentApplicationItem,
)
from amis.programme.models import Programme
from amis.verification.models import Verification


def _check_year(programme: Programme, year: int, today: dt.date) -> None:
    period = programme.period.code
    if period not in rules.PERIODS:
        raise ApplicationError(_("AMIS has no declaration rules for this programming period."))
    if not rules.year_in_period(period, year):
        raise ApplicationError(_("This year has not begun or lies outside the programming period."))
    start, _end = rules.year_bounds(period, year)
    if start > today:
        raise ApplicationError(_("This year has not begun or lies outside the programming period."))


def _item_from(
    application: PaymentApplication,
    verification: Verification,
    paid: Decimal | None = None,
    **extra: Any,
) -> PaymentApplicationItem:
    """An item with the verification's figures; `paid` (2014-2020, `selectors.paid_parts`): the EU
    amount the responsible authority paid for it, with the expenditure and public contribution it
    stands for at the verification's rate."""
    project = verification.report.project
    eligible = Decimal(verification.verified or 0)
    eu = Decimal(verification.eu_share or 0)
    if paid is not None and paid != eu:
        eligible = rules.expenditure_for(paid, rules.Amounts(eligible, ZERO, eu))
        eu = paid
    return PaymentApplicationItem(
        application=application,
        verification=verification,
        project=project,
        call=project.application.call,
        specific_objective=project.application.call.specific_objective,
        eligible=eligible,
        public=rules.public_contribution(
            eligible, eu, project.organisation.kind, project.application.funding
        ),
        eu=eu,
        **extra,
    )


@atomic
def application_create(*, actor: Any, programme: Programme, year: int) -> PaymentApplication:
    """Draft the next payment application of the year with an item per completed verification of
    the programme not declared yet (verified by the year's last day). 2014-2020: the expenditure
    "incurred and paid by the responsible authority" — an item declares what the authority paid
    the beneficiary for it by then, and a verification its payments do not cover yet waits
    (`selectors.paid_parts`). One draft at a time."""
    require(actor, "declaration.prepare")
    lock_for_update(Programme.objects).get(pk=programme.pk)
    today = timezone.localdate()
    _check_year(programme, year, today)
    if PaymentApplication.objects.filter(
        programme=programme, status=PaymentApplication.Status.DRAFT
    ).exists():
        raise ApplicationError(_("A draft payment application of this programme is open; submit it first."))
    later = PaymentApplication.objects.filter(programme=programme, year__gt=year).exists()
    if later:
        raise ApplicationError(_("An application of a later year exists; a year is not reopened."))
    _start, end = rules.year_bounds(programme.period.code, year)
    sequence = (
        PaymentApplication.objects.filter(programme=programme, year=year).aggregate(m=Max("sequence"))["m"]
        or 0
    ) + 1
    application = PaymentApplication.objects.create(
        programme=programme, year=year, sequence=sequence, prepared_by=actor
    )
    until = min(end, today)
    verifications = list(selectors.declarable(programme, until))
    if programme.period.code == "2014-2020":  # what the responsible authority paid (Art. 44)
        paid = selectors.paid_parts(verifications, until)
        items = [_item_from(application, v, paid=paid[v.pk]) for v in verifications if v.pk in paid]
    else:
        items = [_item_from(application, v) for v in verifications]
    PaymentApplicationItem.objects.bulk_create(items)
    duty_record(user=actor, duty=Duty.PREPARE, obj=application)
    audit.record(
        actor=actor,
        action="create",
        obj=application,
        after={"year": year, "sequence": sequence, "items": len(items)},
    )
    return application


def _locked(application: PaymentApplication, expected_lock_version: int) -> PaymentApplication:
    current = lock_for_update(PaymentApplication.objects.select_related("programme__period")).get(
        pk=application.pk
    )
    if current.lock_version != expected_lock_version:
        raise StaleObjectError(str(current))
    return current


def _reason(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ApplicationError(_("Say why the item is held back (the assessment under way)."))
    return text


@atomic
def item_hold_back(
    *, actor: Any, item: PaymentApplicationItem, reason: str, expected_lock_version: int
) -> PaymentApplicationItem:
    """Hold an item back: from its draft application, or, once the application is submitted, from
    the year's accounts while they are not submitted (CPR Art. 98(6)). The application's lock
    version guards both."""
    require(actor, "declaration.prepare")
    application = _locked(item.application, expected_lock_version)
    current = PaymentApplicationItem.objects.select_for_update().get(pk=item.pk)
    text = _reason(reason)
    if current.held_back:
        raise ApplicationError(_("This item is already held back."))
    if application.status == PaymentApplication.Status.DRAFT:
        stage = PaymentApplicationItem.Stage.APPLICATION
    else:
        accounts = AnnualAccounts.objects.filter(
            programme=application.programme, year=application.year
        ).first()
        if accounts is not None and accounts.status == AnnualAccounts.Status.SUBMITTED:
            raise ApplicationError(
                _("The accounts of this year are submitted; nothing is held back from them.")
            )
        stage = PaymentApplicationItem.Stage.ACCOUNTS
    current.held_back = True
    current.held_stage = stage
    current.held_reason = text
    current.held_by = actor
    current.held_at = timezone.now()
    current.save()
    application.lock_version += 1
    application.save(update_fields=["lock_version"])
    duty_record(user=actor, duty=Duty.PREPARE, obj=application)
    audit.record(
        actor=actor,
        action="hold_back",
        obj=current,
        after={"stage": stage, "reason": text, "eu": str(current.eu)},
    )
    return current


@atomic
def item_reintroduce(
    *,
    actor: Any,
    application: PaymentApplication,
    held: PaymentApplicationItem,
    expected_lock_version: int,
) -> PaymentApplicationItem:
    """Put a held-back item into a later draft application: a new item with the verification's
    figures, pointing at the one held back (once)."""
    require(actor, "declaration.prepare")
    current = _locked(application, expected_lock_version)
    if current.status != PaymentApplication.Status.DRAFT:
        raise ApplicationError(_("Items are reintroduced into a draft application only."))
    held = PaymentApplicationItem.objects.select_for_update().select_related("application").get(pk=held.pk)
    if held.application.programme_id != current.programme_id:
        raise ApplicationError(_("The item belongs to another programme."))
    if not held.held_back:
        raise ApplicationError(_("Only a held-back item is reintroduced."))
    if PaymentApplicationItem.objects.filter(reintroduces=held).exists():
        raise ApplicationError(_("This item is already reintroduced."))
    if held.application_id == current.pk or (held.application.year, held.application.sequence) >= (
        current.year,
        current.sequence,
    ):
        raise ApplicationError(
            _("An item is reintroduced in a later application than the one it was held back from.")
        )
    verification = Verification.objects.select_related(
        "report__project__organisation", "report__project__application__call"
    ).get(pk=held.verification_id)
    # the figures held back (2014-2020: what the responsible authority had paid for it)
    item = _item_from(current, verification, paid=held.eu, reintroduces=held)
    item.save()
    current.lock_version += 1
    current.save(update_fields=["lock_version"])
    duty_record(user=actor, duty=Duty.PREPARE, obj=current)
    audit.record(
        actor=actor, action="reintroduce", obj=item, after={"reintroduces": held.pk, "eu": str(item.eu)}
    )
    return item


def application_snapshot(application: PaymentApplication) -> dict[str, Any]:
    items = list(application.items.select_related("project").order_by("specific_objective", "pk"))
    rows, total = selectors.so_totals(items)
    return {
        "objectives": [
            {"specific_objective": r.specific_objective, **r.amounts.as_dict(), "items": r.items}
            for r in rows
        ],
        "total": total.as_dict(),
        "items": [
            {
                "id": i.pk,
                "project": i.project.reference,
                "verification": i.verification_id,
                "specific_objective": i.specific_objective,
                "eligible": str(i.eligible),
                "public": str(i.public),
                "eu": str(i.eu),
                "held_back": i.held_back,
                "reintroduces": i.reintroduces_id,
            }
            for i in items
        ],
    }


@atomic
def application_submit(
    *, actor: Any, application: PaymentApplication, expected_lock_version: int, submitted_on: dt.date
) -> PaymentApplication:
    """Submit to the Commission (recorded with the date it was sent): never by who prepared it;
    the figures are frozen in a snapshot."""
    require(actor, "declaration.submit")
    current = _locked(application, expected_lock_version)
    if current.status != PaymentApplication.Status.DRAFT:
        raise ApplicationError(_("This application is already submitted."))
    ensure_duty_allowed(user=actor, duty=Duty.SUBMIT, obj=current)
    today = timezone.localdate()
    if submitted_on > today:
        raise ApplicationError(_("The date of submission cannot be in the future."))
    start, _end = rules.year_bounds(current.programme.period.code, current.year)
    if submitted_on < start:
        raise ApplicationError(_("An application is submitted once its year has begun."))
    if not current.items.filter(held_back=False).exists():
        raise ApplicationError(_("The application declares nothing; hold back fewer items or wait."))
    current.status = PaymentApplication.Status.SUBMITTED
    current.submitted_by = actor
    current.submitted_at = timezone.now()
    current.submitted_on = submitted_on
    current.snapshot = application_snapshot(current)
    current.lock_version += 1
    current.save()
    duty_record(user=actor, duty=Duty.SUBMIT, obj=current)
    audit.record(
        actor=actor,
        action="submit",
        obj=current,
        after={"submitted_on": submitted_on.isoformat(), "total": current.snapshot["total"]},
    )
    return current


@atomic
def receipt_record(
    *, actor: Any, programme: Programme, kind: str, received_on: dt.date, amount: Decimal, reference: str = ""
) -> CommissionReceipt:
    """Money received from the Commission: pre-financing (514/2014 Art. 35; CPR Art. 90), an interim
    payment or a balance, with the bank's date."""
    require(actor, "declaration.prepare")
    if kind not in CommissionReceipt.Kind.values:
        raise ApplicationError(_("Unknown kind of receipt."))
    if amount is None or amount <= 0 or not is_whole_cents(amount):
        raise ApplicationError(_("The amount is positive, in whole cents."))
    if received_on > timezone.localdate():
        raise ApplicationError(_("The bank's date cannot be in the future."))
    receipt = CommissionReceipt.objects.create(
        programme=programme,
        kind=kind,
        received_on=received_on,
        amount=amount,
        reference=(reference or "").strip()[:100],
        recorded_by=actor,
    )
    audit.record(
        actor=actor,
        action="create",
        obj=receipt,
        after={"kind": kind, "amount": str(amount), "received_on": received_on.isoformat()},
    )
    return receipt


@atomic
def accounts_prepare(*, actor: Any, programme: Programme, year: int) -> AnnualAccounts:
    require(actor, "declaration.prepare")
    lock_for_update(Programme.objects).get(pk=programme.pk)
    _check_year(programme, year, timezone.localdate())
    if AnnualAccounts.objects.filter(programme=programme, year=year).exists():
        raise ApplicationError(_("The accounts of this year are already drafted."))
    record = AnnualAccounts.objects.create(programme=programme, year=year, prepared_by=actor)
    duty_record(user=actor, duty=Duty.PREPARE, obj=record)
    audit.record(actor=actor, action="create", obj=record, after={"year": year})
    return record


@atomic
def accounts_submit(*, actor: Any, accounts: AnnualAccounts, expected_lock_version: int) -> AnnualAccounts:
    """Submit the accounts (never by who drafted them): the year must be over, no application of the
    year may be a draft; the figures, every movement and the reconciliation are frozen."""
    require(actor, "declaration.submit")
    current = lock_for_update(AnnualAccounts.objects.select_related("programme__period")).get(pk=accounts.pk)
    if current.lock_version != expected_lock_version:
        raise StaleObjectError(str(current))
    if current.status != AnnualAccounts.Status.DRAFT:
        raise ApplicationError(_("These accounts are already submitted."))
    ensure_duty_allowed(user=actor, duty=Duty.SUBMIT, obj=current)
    _start, end = rules.year_bounds(current.programme.period.code, current.year)
    if timezone.localdate() <= end:
        raise ApplicationError(_("The accounts are submitted once the year is over."))
    if PaymentApplication.objects.filter(
        programme=current.programme, year=current.year, status=PaymentApplication.Status.DRAFT
    ).exists():
        raise ApplicationError(_("A payment application of this year is still a draft."))
    view = selectors.accounts_view(None, current.programme, current.year)
    document = selectors.accounts_document(view)
    document["movements"] = selectors.snapshot_movements(view.lines)
    current.status = AnnualAccounts.Status.SUBMITTED
    current.submitted_by = actor
    current.submitted_at = timezone.now()
    current.snapshot = document
    current.lock_version += 1
    current.save()
    duty_record(user=actor, duty=Duty.SUBMIT, obj=current)
    audit.record(actor=actor, action="submit", obj=current, after={"total": document["total"]["net"]})
    return current
