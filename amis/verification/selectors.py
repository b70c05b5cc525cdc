"""Reads of management verifications, in a fixed number of queries whatever the number of lines."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils import translation

from amis.core.money import ZERO
from amis.projects.models import AgreementVersion
from amis.projects.scope import projects_for
from amis.projects.selectors import version_budget, version_in_force
from amis.reporting.models import ExpenditureLine, Report
from amis.verification import rules
from amis.verification.checklist import DEFAULT_ITEMS
from amis.verification.models import (
    ChecklistItem,
    FinancialCorrection,
    Irregularity,
    LineDecision,
    OnTheSpotCheck,
    Verification,
)


@dataclass(frozen=True)
class Item:
    code: str
    text: str


def checklist_for(report: Report) -> list[Item]:
    """The programme's checklist, or the defaults, in the reader's language."""
    language = translation.get_language() or "en"
    programme_id = report.project.application.call.programme_id
    own = list(ChecklistItem.objects.filter(programme_id=programme_id, active=True).order_by("position"))
    if own:
        return [
            Item(i.code, i.text.get(language) or i.text.get("en") or next(iter(i.text.values()), ""))
            for i in own
        ]
    return [Item(code, texts.get(language, texts["en"])) for code, texts in DEFAULT_ITEMS]


def agreement_figures(report: Report) -> tuple[rules.AgreementFigures, AgreementVersion]:
    """The figures of the version the report uses (fixed at submission), else the one in force."""
    version = report.agreement_version or version_in_force(report.project)
    if version is None:
        raise ValueError("a report is verified against a signed agreement")
    budget = version_budget(version)
    budget.pop("indirect", None)
    indirect_rate = Decimal(str(version.terms.get("indirect_rate", "0")))
    return (
        rules.AgreementFigures(
            budget=budget,
            tolerance=version.transfer_tolerance,
            eu_rate=version.eu_rate,
            max_grant=version.max_grant,
            indirect_rate=indirect_rate,
        ),
        version,
    )


def earlier_verified(report: Report) -> tuple[dict[str, Decimal], Decimal]:
    """Verified per category and EU share of the project's completed verifications of other reports."""
    per_category: dict[str, Decimal] = {}
    eu = ZERO
    for by_category, share in (
        Verification.objects.filter(
            report__project_id=report.project_id, status=Verification.Status.COMPLETED
        )
        .exclude(report=report)
        .values_list("verified_by_category", "eu_share")
    ):
        for category, amount in (by_category or {}).items():
            per_category[category] = per_category.get(category, ZERO) + Decimal(amount)
        eu += share or ZERO
    return per_category, eu


def decision_totals(verification: Verification) -> dict[str, Any]:
    """Lines and amounts per decision, and the lines still undecided (two grouped queries)."""
    rows = (
        LineDecision.objects.filter(verification=verification)
        .values("decision")
        .annotate(lines=Count("pk"), declared=Sum("line__amount_declared"), eligible=Sum("eligible"))
        .order_by()
    )
    totals = {row["decision"]: row for row in rows}
    all_lines = ExpenditureLine.objects.filter(report_id=verification.report_id).aggregate(
        lines=Count("pk"), declared=Sum("amount_declared")
    )
    decided = sum(row["lines"] for row in totals.values())
    return {
        "by_decision": totals,
        "lines": all_lines["lines"],
        "undecided": all_lines["lines"] - decided,
        "declared": all_lines["declared"] or ZERO,
    }


def to_verify(user: Any) -> QuerySet[Report]:
    """Submitted reports waiting for their desk check in the reader's scope (the first submitted
    first), with the verification of the current round when one is open."""
    from amis.reporting.selectors import received

    return received(user).select_related("project__organisation")


def open_verifications(reports: list[Report]) -> dict[int, Verification]:
    """The verification of each report's current round, when started (one query)."""
    found = Verification.objects.filter(report__in=reports).select_related("verifier")
    rounds = {r.pk: r.round for r in reports}
    return {v.report_id: v for v in found if rounds.get(v.report_id) == v.round}


def current_verification(report: Report) -> Verification | None:
    """The verification of the report's current round, else the project's latest of this report."""
    return Verification.objects.filter(report=report).select_related("verifier").order_by("-round").first()


def project_verifications(project_id: int) -> list[Verification]:
    return list(
        Verification.objects.filter(report__project_id=project_id)
        .select_related("report", "verifier")
        .order_by("report__number", "round")
    )


def verified_by_category(project: Any) -> dict[str, Decimal]:
    """The financial picture's verified column: completed verifications, per category (one query)."""
    totals: dict[str, Decimal] = {}
    for by_category in Verification.objects.filter(
        report__project_id=project.pk, status=Verification.Status.COMPLETED
    ).values_list("verified_by_category", flat=True):
        for category, amount in (by_category or {}).items():
            totals[category] = totals.get(category, ZERO) + Decimal(amount)
    return totals


def corrected_by_category(project: Any) -> dict[str, Decimal]:
    """The financial picture's corrected column: financial corrections per category (one grouped query)."""
    rows = (
        FinancialCorrection.objects.filter(project_id=project.pk)
        .values("category")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {row["category"]: row["total"] or ZERO for row in rows}


def line_page_decisions(verification: Verification | None, line_ids: list[int]) -> dict[int, LineDecision]:
    if verification is None or not line_ids:
        return {}
    return {
        d.line_id: d for d in LineDecision.objects.filter(verification=verification, line_id__in=line_ids)
    }


def report_categories(report: Report) -> list[str]:
    return list(
        ExpenditureLine.objects.filter(report=report)
        .values_list("category", flat=True)
        .distinct()
        .order_by("category")
    )


def irregularities_for(user: Any, filters: dict[str, str] | None = None) -> QuerySet[Irregularity]:
    """The irregularities of the projects this person may see, filtered by status, type and project
    reference (one query with the project and the finding)."""
    filters = filters or {}
    qs = Irregularity.objects.filter(project__in=projects_for(user).values("pk")).select_related(
        "project", "finding"
    )
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("type"):
        qs = qs.filter(type=filters["type"])
    if filters.get("project"):
        qs = qs.filter(project__reference__icontains=filters["project"].strip())
    return qs.order_by("-detected_on", "-pk")


def recorded_checks(project_id: int) -> list[OnTheSpotCheck]:
    """The project's checks once the visit is recorded (a planned check, possibly unannounced, is not
    shown to the beneficiary)."""
    return list(
        OnTheSpotCheck.objects.filter(project_id=project_id)
        .exclude(status=OnTheSpotCheck.Status.PLANNED)
        .annotate(finding_count=Count("findings"))
        .order_by("-visited_on", "-pk")
    )
