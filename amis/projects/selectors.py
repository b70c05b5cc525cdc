"""Reads of projects and agreements, each in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Q, Sum

from amis.core.money import ZERO, cents
from amis.projects import rules
from amis.projects.models import AgreementVersion, BudgetTransfer, Project


def version_in_force(project: Project, on: dt.date | None = None) -> AgreementVersion | None:
    """The signed version with the highest number in force on `on` (today's in force if None: the
    latest signed one)."""
    qs = AgreementVersion.objects.filter(agreement__project=project, status=AgreementVersion.Status.SIGNED)
    if on is not None:
        qs = qs.filter(in_force_from__lte=on)
    return qs.order_by("-number").first()


def version_budget(version: AgreementVersion) -> dict[str, Decimal]:
    """The version's budget per cost category after the transfers made under it, with the flat-rate
    indirect costs as the category `indirect` (the rate of the direct costs, computed)."""
    rows = version.budget_lines.values("category").annotate(total=Sum("amount")).order_by("category")
    direct = {row["category"]: row["total"] or ZERO for row in rows}
    moved = BudgetTransfer.objects.filter(version=version).values_list(
        "from_category", "to_category", "amount"
    )
    budget = rules.current_budget(direct, list(moved))
    rate = Decimal(str(version.terms.get("indirect_rate", "0")))
    if rate > 0:
        budget["indirect"] = cents(sum(direct.values(), ZERO) * rate)
    return budget


def transfers_of(version: AgreementVersion) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """(received, given) per category by the transfers under this version."""
    received: dict[str, Decimal] = {}
    given: dict[str, Decimal] = {}
    for source, target, amount in BudgetTransfer.objects.filter(version=version).values_list(
        "from_category", "to_category", "amount"
    ):
        given[source] = given.get(source, ZERO) + amount
        received[target] = received.get(target, ZERO) + amount
    return received, given


__all__ = ["Q", "version_budget", "version_in_force", "transfers_of"]
