"""The accounting unit's batches: approved payments (never a cancellation: it is not a transfer)
gathered for one transfer file, exported once as SEPA pain.001.001.03 validated against its XSD;
the batch never changes after. `services` re-exports these for the existing callers."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from amis.core import audit
from amis.core.errors import ApplicationError, StaleObjectError
from amis.core.money import ZERO
from amis.core.transactions import atomic, lock_for_update
from amis.organisations.models import Organisation
from amis.payments.models import Payment, PaymentBatch


@atomic
def batch_create(*, actor: Any, payments: list[Payment], execution_date: dt.date) -> PaymentBatch:
    """Gather approved payments not in a batch yet, for one transfer file."""
    from amis.accounts.permissions import require

    require(actor, "payment.execute")
    if not payments:
        raise ApplicationError(_("Choose the approved payments to put in the batch."))
    locked = list(lock_for_update(Payment.objects.filter(pk__in=[p.pk for p in payments])).order_by("pk"))
    if any(p.kind == Payment.Kind.CANCELLATION for p in locked):
        raise ApplicationError(
            _("A cancellation is not a transfer: it never goes into a batch; record the bank's return.")
        )
    bad = [
        p.pk for p in locked if p.status != Payment.Status.APPROVED or p.batch_id is not None or p.amount <= 0
    ]
    if bad or len(locked) != len(payments):
        raise ApplicationError(_("Only approved payments, not yet in a batch, go into a batch."))
    batch = PaymentBatch.objects.create(
        reference=f"AMIS-{timezone.now():%Y%m%d%H%M%S}-{locked[0].pk}",
        execution_date=execution_date,
        created_by=actor,
    )
    Payment.objects.filter(pk__in=[p.pk for p in locked]).update(
        batch=batch, lock_version=F("lock_version") + 1
    )
    audit.record(actor=actor, action="create", obj=batch, after={"payments": [p.pk for p in locked]})
    return batch


def _debtor() -> Organisation:
    unit = (
        Organisation.objects.filter(kind=Organisation.Kind.ACCOUNTING_UNIT)
        .exclude(iban="")
        .order_by("pk")
        .first()
    )
    if unit is None:
        raise ApplicationError(_("The accounting unit has no bank account to pay from."))
    return unit


def sepa_xml(batch: PaymentBatch, payments: list[Payment], debtor: Organisation) -> bytes:
    """The SEPA credit transfer file (pain.001.001.03), validated against the official XSD that
    ships with sepaxml: an invalid file is refused, never exported."""
    from sepaxml import SepaTransfer

    config = {
        "name": debtor.name[:70],
        "IBAN": debtor.iban,
        "BIC": debtor.bic,
        "batch": True,
        "currency": "EUR",
    }
    sepa = SepaTransfer(config, clean=True)
    for payment in payments:
        entry: dict[str, Any] = {
            "name": payment.creditor_name,
            "IBAN": payment.iban,
            "amount": int((payment.amount * 100).to_integral_value()),
            "execution_date": batch.execution_date,
            "description": payment.remittance,
            "endtoend_id": f"AMIS{payment.pk}",
        }
        if payment.bic:
            entry["BIC"] = payment.bic
        sepa.add_payment(entry)
    return bytes(sepa.export(validate=True))


@atomic
def batch_export(*, actor: Any, batch: PaymentBatch, expected_lock_version: int) -> PaymentBatch:
    """Produce and keep the transfer file; the batch never changes after."""
    from amis.accounts.permissions import require

    require(actor, "payment.execute")
    current = lock_for_update(PaymentBatch.objects).get(pk=batch.pk)
    if current.lock_version != expected_lock_version:
        raise StaleObjectError(str(current))
    if current.status != PaymentBatch.Status.OPEN:
        raise ApplicationError(_("This batch is exported; it can no longer change."))
    payments = list(Payment.objects.filter(batch=current).order_by("pk"))
    try:
        xml = sepa_xml(current, payments, _debtor())
    except ApplicationError:
        raise
    except Exception as error:  # sepaxml raises plain exceptions for bad data
        raise ApplicationError(
            _("The transfer file could not be made: %(error)s") % {"error": error}
        ) from error
    current.xml = xml
    current.xml_sha256 = hashlib.sha256(xml).hexdigest()
    current.control_sum = sum((p.amount for p in payments), ZERO)
    current.transactions = len(payments)
    current.status = PaymentBatch.Status.EXPORTED
    current.exported_by = actor
    current.exported_at = timezone.now()
    current.lock_version += 1
    current.save()
    audit.record(
        actor=actor,
        action="export",
        obj=current,
        after={
            "control_sum": str(current.control_sum),
            "transactions": len(payments),
            "sha256": current.xml_sha256,
        },
    )
    return current
