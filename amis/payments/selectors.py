"""Reads of payments: only those of the projects the reader may see (`projects.scope`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from amis.core.money import ZERO
from amis.payments import services
from amis.payments.models import Payment, PaymentBatch, Recovery
from amis.projects.models import Project
from amis.projects.scope import projects_for
from amis.projects.selectors import version_in_force

# what AMIS's working says, line by line, in words (payments.rules.payable and prefinancing)
WORKING_LABELS: dict[str, Any] = {
    "eu_verified_total": _("EU share of the expenditure verified so far, less corrections"),
    "capped_at_max_grant": _("capped at the maximum grant"),
    "already_paid": _("already paid (pre-financing and earlier payments)"),
    "nothing_to_pay": _("nothing more to pay now"),
    "due_back": _("due back from the beneficiary (a recovery order)"),
    "recoveries_offset": _("open recoveries offset against this payment"),
    "payable": _("payable now"),
    "max_grant": _("maximum grant of the agreement"),
    "prefinancing_share": _("share paid as pre-financing"),
    "cancelled_payment": _("amount of the payment cancelled"),
    "cancellation": _("cancelled: taken back from what was paid"),
}


def payments_for(user: Any) -> QuerySet[Payment]:
    return (
        Payment.objects.filter(project__in=projects_for(user).values("pk"))
        .select_related("project__organisation", "report", "batch")
        .order_by("-proposed_at", "-pk")
    )


def batches() -> QuerySet[PaymentBatch]:
    return PaymentBatch.objects.select_related("created_by", "exported_by").order_by("-created_at", "-pk")


def working_rows(payment: Payment) -> list[dict[str, Any]]:
    rows = []
    for label, value in payment.working:
        rows.append({"label": str(WORKING_LABELS.get(label, label)), "value": Decimal(value), "key": label})
    return rows


def project_totals(project: Project) -> dict[str, Decimal]:
    """EU share verified, paid (recorded by the bank), open recoveries and what remains of the grant."""
    version = version_in_force(project)
    paid_total = services.paid_net(project)
    grant = version.max_grant if version is not None else ZERO
    return {
        "max_grant": grant,
        "eu_verified": services.eu_verified_total(project),
        "paid": paid_total,
        "open_recoveries": services.open_recoveries(project),
        "remaining": grant - services.paid_so_far(project),
    }


def recoveries(project: Project) -> list[Recovery]:
    return list(Recovery.objects.filter(project=project).order_by("due_date", "pk"))


def recoveries_for(user: Any) -> QuerySet[Recovery]:
    """The recoveries of the projects this person may see, the soonest due first."""
    return (
        Recovery.objects.filter(project__in=projects_for(user).values("pk"))
        .select_related("project", "debtor", "finding", "irregularity")
        .order_by("status", "due_date", "pk")
    )
