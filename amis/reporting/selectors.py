"""Reads of reports and expenditure, each in a fixed number of queries (bench/ measures the project's
financial picture with 100,000 lines)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from amis.core.money import ZERO
from amis.projects import rules as project_rules
from amis.projects.models import Project
from amis.projects.selectors import version_budget, version_in_force
from amis.reporting.models import ExpenditureLine, Report

# reports whose lines count as declared: submitted (and not returned since), or accepted
DECLARED_STATUSES = (Report.Status.SUBMITTED, Report.Status.ACCEPTED)


def declared_by_category(project: Project) -> dict[str, Decimal]:
    """What the beneficiary declared in its submitted reports, per cost category (one grouped query)."""
    rows = (
        ExpenditureLine.objects.filter(report__project=project, report__status__in=DECLARED_STATUSES)
        .values("category")
        .annotate(total=Sum("amount_declared"))
        .order_by()
    )
    return {row["category"]: row["total"] or ZERO for row in rows}


def financial_picture(project: Project) -> project_rules.FinancialPicture:
    """Budget (version in force, after transfers), declared, verified, paid, corrected and remaining per
    cost category; every total is the sum of its rows (verification and payments fill their columns
    in the stages after this one)."""
    version = version_in_force(project)
    budget = version_budget(version) if version is not None else {}
    return project_rules.financial_picture(budget, declared_by_category(project))
