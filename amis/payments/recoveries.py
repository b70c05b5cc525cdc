"""Writes of recoveries: the order (a payment officer, with the finding or irregularity it comes from),
the money received (the accounting unit, with the bank's date; partial receipts add up) and the
write-off (an authorising officer with a reason, never the person who ordered it).

Locking order (docs/architecture.md): the project row for an order (two officers cannot order the same
money twice), the recovery for a receipt or a write-off, the audit head last.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from amis.accounts.permissions import require
from amis.accounts.services import SegregationOfDutiesError
from amis.core import audit
from amis.core.errors import ApplicationError, StaleObjectError
from amis.core.money import ZERO, is_whole_cents
from amis.core.transactions import atomic, lock_for_update
from amis.payments.models import Recovery, RecoveryReceipt
from amis.payments.services import ensure_open, paid_net
from amis.projects.models import Project
from amis.projects.scope import require_project
from amis.verification.models import Finding, Irregularity

MAX_AMOUNT = Decimal("10000000000000")  # NUMERIC(15, 2)
SAME_PERSON = "You ordered this recovery; another person must write it off (segregation of duties)."


def _amount(amount: Any) -> Decimal:
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise ApplicationError(_("Give the amount in euro."))
    if amount >= MAX_AMOUNT:
        raise ApplicationError(_("At most %(max)s EUR can be recovered.") % {"max": MAX_AMOUNT})
    if amount <= 0 or not is_whole_cents(amount):
        raise ApplicationError(_("The amount is positive, in whole cents."))
    return amount


def net_paid(project: Project) -> Decimal:
    """What the beneficiary has actually received (`services.paid_net`)."""
    return paid_net(project)


def _still_to_recover(project: Project) -> Decimal:
    row = Recovery.objects.filter(project=project, status=Recovery.Status.OPEN).aggregate(
        s=Sum(F("amount_due") - F("received") - F("offset") - F("written_off"))
    )
    return row["s"] or ZERO


@atomic
def recovery_order(
    *,
    actor: Any,
    project: Project,
    amount: Decimal,
    due_date: dt.date,
    reason: str,
    finding: Finding | None = None,
    irregularity: Irregularity | None = None,
    now: dt.datetime | None = None,
) -> Recovery:
    """Order the beneficiary to pay back `amount` by `due_date`: never more than it was paid, less
    what is already being recovered. `now`: the moment it was ordered, when it is recorded
    afterwards (the demo's history), never in the future; the due date is checked against it."""
    current = lock_for_update(Project.objects.select_related("organisation", "application__call")).get(
        pk=project.pk
    )
    require_project(actor, current, "payment.propose")
    ensure_open(current)
    amount = _amount(amount)
    if now is not None and now > timezone.now():
        raise ApplicationError(_("A recovery cannot be ordered in the future."))
    if due_date < (timezone.localtime(now).date() if now is not None else timezone.localdate()):
        raise ApplicationError(_("The due date cannot be in the past."))
    if not reason.strip():
        raise ApplicationError(_("Say why the amount is recovered."))
    if finding is not None and finding.project_id != current.pk:
        raise ApplicationError(_("The finding is not one of this project's."))
    if irregularity is not None and irregularity.project_id != current.pk:
        raise ApplicationError(_("The irregularity is not one of this project's."))
    if finding is None and irregularity is not None:
        finding = irregularity.finding
    room = net_paid(current) - _still_to_recover(current)
    if amount > room:
        raise ApplicationError(
            _("At most %(room)s EUR can be recovered: what was paid, less what is already being recovered.")
            % {"room": max(room, ZERO)}
        )
    origin = ""
    if irregularity is not None:
        origin = f"irregularity {irregularity.pk}"
    elif finding is not None:
        origin = f"finding {finding.pk}"
    recovery = Recovery.objects.create(
        project=current,
        debtor=current.organisation,
        amount_due=amount,
        due_date=due_date,
        reason=reason.strip(),
        origin=origin,
        finding=finding,
        irregularity=irregularity,
        created_by=actor,
    )
    if now is not None:
        Recovery.objects.filter(pk=recovery.pk).update(created_at=now)
        recovery.created_at = now
    audit.record(
        actor=actor,
        action="create",
        obj=recovery,
        after={
            "amount_due": str(amount),
            "due_date": due_date.isoformat(),
            "finding": finding.pk if finding else None,
            "irregularity": irregularity.pk if irregularity else None,
        },
    )
    return recovery


def _locked(recovery: Recovery, expected_lock_version: int) -> Recovery:
    current = lock_for_update(Recovery.objects.select_related("project__application__call")).get(
        pk=recovery.pk
    )
    if current.lock_version != expected_lock_version:
        raise StaleObjectError(str(current))
    return current


@atomic
def recovery_receive(
    *, actor: Any, recovery: Recovery, amount: Decimal, received_on: dt.date, expected_lock_version: int
) -> Recovery:
    """The accounting unit records money received, with the bank's date; recovered once nothing is
    outstanding, and never more than is outstanding."""
    require(actor, "payment.execute")
    current = _locked(recovery, expected_lock_version)
    if current.status != Recovery.Status.OPEN:
        raise ApplicationError(_("Only an open recovery receives money."))
    amount = _amount(amount)
    if amount > current.outstanding:
        raise ApplicationError(
            _("At most %(outstanding)s EUR is outstanding.") % {"outstanding": current.outstanding}
        )
    if received_on > timezone.localdate():
        raise ApplicationError(_("The bank's date cannot be in the future."))
    receipt = RecoveryReceipt.objects.create(
        recovery=current, amount=amount, received_on=received_on, recorded_by=actor
    )
    current.received += amount
    if current.outstanding == 0:
        current.status = Recovery.Status.RECOVERED
    current.lock_version += 1
    current.save()
    audit.record(
        actor=actor,
        action="receive",
        obj=current,
        after={
            "receipt": receipt.pk,
            "amount": str(amount),
            "received_on": received_on.isoformat(),
            "status": current.status,
        },
    )
    return current


@atomic
def recovery_write_off(
    *, actor: Any, recovery: Recovery, reason: str, expected_lock_version: int
) -> Recovery:
    """An authorising officer writes off what is outstanding, with the reason; never the person who
    ordered the recovery."""
    current = _locked(recovery, expected_lock_version)
    require_project(actor, current.project, "payment.approve")
    if current.status != Recovery.Status.OPEN:
        raise ApplicationError(_("Only an open recovery is written off."))
    if not reason.strip():
        raise ApplicationError(_("Say why the recovery is written off."))
    if current.created_by_id == actor.pk:
        audit.record_security_event(
            user=actor, event="permission_refused", obj=current, detail={"reason": SAME_PERSON}
        )
        raise SegregationOfDutiesError(SAME_PERSON)
    amount = current.outstanding
    current.written_off = amount
    current.write_off_reason = reason.strip()
    current.written_off_by = actor
    current.written_off_at = timezone.now()
    current.status = Recovery.Status.WRITTEN_OFF
    current.lock_version += 1
    current.save()
    audit.record(
        actor=actor,
        action="write_off",
        obj=current,
        after={"written_off": str(amount), "reason": current.write_off_reason},
    )
    return current
