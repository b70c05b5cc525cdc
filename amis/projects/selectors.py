"""Reads of projects and agreements, each in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
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


# What the stages after this one add to a project's financial picture: `amis.reporting` the declared
# amounts, verification the verified and corrected ones, payments the paid and recovered ones (already
# per category: `rules.allocate_paid`). Dependencies point one
# way (docs/architecture.md), so the project page cannot import them: each registers, in its
# `AppConfig.ready()`, a function project -> {column: {cost category: amount}}.
PictureSource = Callable[[Project], Mapping[str, Mapping[str, Decimal]]]
_picture_sources: dict[str, PictureSource] = {}
PICTURE_COLUMNS = ("declared", "verified", "paid", "corrected", "recovered")


def register_picture_source(name: str, source: PictureSource) -> None:
    """Add (or, under the same name, replace) what a later stage puts in the financial picture."""
    _picture_sources[name] = source


def unregister_picture_source(name: str) -> None:
    _picture_sources.pop(name, None)


def financial_picture(project: Project) -> rules.FinancialPicture:
    """The budget of the version in force (after transfers, with its indirect costs) and the columns
    the later stages registered, per cost category; every total is the sum of its rows."""
    version = version_in_force(project)
    budget = version_budget(version) if version is not None else {}
    columns: dict[str, dict[str, Decimal]] = {c: {} for c in PICTURE_COLUMNS}
    for source in _picture_sources.values():
        for column, amounts in source(project).items():
            if column not in columns:
                continue
            merged = columns[column]
            for category, amount in amounts.items():
                merged[category] = merged.get(category, ZERO) + amount
    return rules.financial_picture(
        budget,
        columns["declared"],
        columns["verified"],
        columns["paid"],
        columns["corrected"],
        columns["recovered"],
    )


__all__ = [
    "Q",
    "financial_picture",
    "register_picture_source",
    "transfers_of",
    "unregister_picture_source",
    "version_budget",
    "version_in_force",
]
