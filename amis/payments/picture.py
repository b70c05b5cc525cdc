"""The financial picture's paid and recovered columns (`projects.selectors.register_picture_source`,
registered in `apps.py`): the project's payments and recoveries, shared over its cost categories by
`projects.rules.allocate_paid`. Four queries, whatever the number of payments or verifications.

- Paid: payments recorded as paid with the bank's date (status paid only), their amount and the
  recoveries they offset (what was settled with the beneficiary), net of cancellations (a
  cancellation is a paid entry of a negative amount).
- Recovered: what came back from the beneficiary on its recoveries, received or offset against a
  later payment.
- The weights: the EU share of each category's verified expenditure (each completed verification's
  EU share spread over its categories as its verified amounts are, so a claim capped at the maximum
  grant weighs what it pays) less the EU share of the corrections of that category.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import F, Sum

from amis.core.money import ZERO
from amis.payments.models import Payment, Recovery
from amis.projects import rules as project_rules
from amis.verification.models import FinancialCorrection, Verification


def eu_earned_by_category(project: Any) -> dict[str, Decimal]:
    """The EU share of the verified expenditure less the EU share of the corrections, per category
    (not rounded: these are weights). Two queries."""
    earned: dict[str, Decimal] = {}
    for verified, eu_share, by_category in Verification.objects.filter(
        report__project_id=project.pk, status=Verification.Status.COMPLETED
    ).values_list("verified", "eu_share", "verified_by_category"):
        if not verified or not eu_share:
            continue
        ratio = Decimal(eu_share) / Decimal(verified)
        for category, amount in (by_category or {}).items():
            earned[category] = earned.get(category, ZERO) + Decimal(amount) * ratio
    for category, eu_amount in (
        FinancialCorrection.objects.filter(project_id=project.pk)
        .values("category")
        .annotate(total=Sum("eu_amount"))
        .order_by()
        .values_list("category", "total")
    ):
        earned[category] = earned.get(category, ZERO) - (eu_amount or ZERO)
    return earned


def paid_total(project: Any) -> Decimal:
    row = Payment.objects.filter(project_id=project.pk, status=Payment.Status.PAID).aggregate(
        a=Sum("amount"), o=Sum("offset")
    )
    return (row["a"] or ZERO) + (row["o"] or ZERO)


def recovered_total(project: Any) -> Decimal:
    row = Recovery.objects.filter(project_id=project.pk).aggregate(s=Sum(F("received") + F("offset")))
    return row["s"] or ZERO


def picture_columns(project: Any) -> dict[str, dict[str, Decimal]]:
    """{"paid": {category: amount}, "recovered": {category: amount}} for the financial picture."""
    paid, recovered = paid_total(project), recovered_total(project)
    if not paid and not recovered:
        return {"paid": {}, "recovered": {}}
    shares = project_rules.allocate_paid(paid, recovered, eu_earned_by_category(project))
    return {
        "paid": {c: a for c, a in shares.paid.items() if a},
        "recovered": {c: a for c, a in shares.recovered.items() if a},
    }
