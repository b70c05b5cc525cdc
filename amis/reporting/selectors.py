"""Reads of reports and expenditure, each in a fixed number of queries (bench/ measures the project's
financial picture with 100,000 lines)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from amis.core.money import ZERO, cents
from amis.projects import rules as project_rules
from amis.projects import selectors as project_selectors
from amis.projects.models import Project
from amis.projects.scope import projects_for
from amis.projects.selectors import version_budget, version_in_force
from amis.reporting import rules
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
    return {row["category"]: cents(row["total"] or ZERO) for row in rows}


def financial_picture(project: Project) -> project_rules.FinancialPicture:
    """The project's financial picture (`projects.selectors.financial_picture`), whose declared
    column this app registers (`apps.py`): budget of the version in force, declared, and the columns
    of later stages, per cost category; every total the sum of its rows."""
    return project_selectors.financial_picture(project)


def line_context(report: Report) -> rules.LineContext:
    """What every line of this report is checked against (`rules.check_line`): the eligibility period
    and categories of the agreement version in force (the report's own once submitted), its
    simplified cost options, and what is left of each category's budget after the lines declared so
    far in the project (submitted reports and this one)."""
    version = report.agreement_version or version_in_force(report.project)
    if version is None:
        return rules.LineContext(
            eligible_start=report.period_start, eligible_end=report.period_end, categories=frozenset()
        )
    budget = version_budget(version)
    used = (
        ExpenditureLine.objects.filter(report__project_id=report.project_id)
        .filter(Q(report__status__in=DECLARED_STATUSES) | Q(report=report))
        .values("category")
        .annotate(total=Sum("amount_declared"))
        .order_by()
    )
    spent = {row["category"]: row["total"] or ZERO for row in used}
    options = {
        str(o["code"]): rules.SimplifiedCostTerms(
            kind=str(o["kind"]), category=str(o["category"]), amount=Decimal(str(o["amount"]))
        )
        for o in version.terms.get("simplified_costs", [])
        if o.get("kind") in (rules.UNIT, rules.LUMP_SUM) and o.get("amount") is not None
    }
    return rules.LineContext(
        eligible_start=version.eligible_start,
        eligible_end=version.eligible_end,
        categories=frozenset(c for c in budget if c != "indirect"),
        simplified_costs=options,
        remaining={c: budget[c] - spent.get(c, ZERO) for c in budget},
    )


def same_invoices(
    project: Project, keys: list[tuple[str, str]], exclude_report: Report | None = None
) -> list[ExpenditureLine]:
    """Lines of this project or of another project of the same beneficiary with one of these
    (supplier key, invoice number) pairs, for flagging the same invoice declared twice (the caller
    compares date or amount). One query per 500 pairs."""
    found: list[ExpenditureLine] = []
    wanted = sorted({(s, n) for s, n in keys if s and n})
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        pairs = set(chunk)
        # the index (supplier_key, invoice_number) answers the two IN lists; the exact pairs are kept here
        qs = ExpenditureLine.objects.filter(
            report__project__organisation_id=project.organisation_id,
            supplier_key__in={s for s, _n in chunk},
            invoice_number__in={n for _s, n in chunk},
        )
        if exclude_report is not None:
            qs = qs.exclude(report=exclude_report)
        found.extend(
            line
            for line in qs.select_related("report__project")
            if (line.supplier_key, line.invoice_number) in pairs
        )
    return found


def reports_for(user: Any) -> QuerySet[Report]:
    """The reports of the projects this person may see (`projects.scope.projects_for`)."""
    return Report.objects.filter(project__in=projects_for(user).values("pk")).select_related("project")


def report_summary(report: Report) -> list[dict[str, Any]]:
    """The live financial summary beside the form, per cost category: the budget of the version
    (the report's once submitted, else the one in force), declared before (other submitted or
    accepted reports of the project), this report, remaining — with a total row. Two grouped queries."""
    version = report.agreement_version or version_in_force(report.project)
    budget = version_budget(version) if version is not None else {}
    before: dict[str, Decimal] = {}
    this: dict[str, Decimal] = {}
    rows = (
        ExpenditureLine.objects.filter(report__project_id=report.project_id)
        .filter(Q(report__status__in=DECLARED_STATUSES) | Q(report=report))
        .values("report_id", "category")
        .annotate(total=Sum("amount_declared"))
        .order_by()
    )
    for row in rows:
        target = this if row["report_id"] == report.pk else before
        target[row["category"]] = target.get(row["category"], ZERO) + (row["total"] or ZERO)
    categories = list(budget) + sorted((set(before) | set(this)) - set(budget))
    table: list[dict[str, Any]] = []
    for category in categories:
        b, d, t = budget.get(category, ZERO), before.get(category, ZERO), this.get(category, ZERO)
        table.append({"category": category, "budget": b, "before": d, "this": t, "remaining": b - d - t})
    total: dict[str, Decimal] = {
        key: sum((Decimal(r[key]) for r in table), ZERO) for key in ("budget", "before", "this", "remaining")
    }
    return [*table, {"category": "", "total": True, **total}]


def report_lines(report: Report) -> QuerySet[ExpenditureLine]:
    """The lines of a report in order, with what their page row shows (the document, the other line of
    a duplicate with its project and report): paginate it, never list 100,000."""
    return (
        ExpenditureLine.objects.filter(report=report)
        .select_related("document", "duplicate_of__report__project")
        .order_by("position")
    )


def line_counts(report: Report) -> dict[str, int]:
    from django.db.models import Count

    return ExpenditureLine.objects.filter(report=report).aggregate(
        lines=Count("pk"),
        duplicates=Count("pk", filter=Q(duplicate_of__isnull=False)),
        unjustified=Count("pk", filter=Q(duplicate_of__isnull=False, duplicate_justification="")),
    )


def overdue(user: Any, today: dt.date | None = None) -> QuerySet[Report]:
    """Reports past their due date and not submitted, in the reader's scope, the oldest first."""
    day = today or timezone.localdate()
    return (
        reports_for(user)
        .filter(status__in=(Report.Status.OPEN, Report.Status.RETURNED), due_date__lt=day)
        .select_related("project__organisation")
        .order_by("due_date", "pk")
    )


def received(user: Any) -> QuerySet[Report]:
    """Reports submitted and waiting for the authority, in the reader's scope, the first submitted first."""
    return (
        reports_for(user)
        .filter(status=Report.Status.SUBMITTED)
        .select_related("project__organisation")
        .order_by("submitted_at", "pk")
    )


def indicator_rows(report: Report, terms: dict[str, Any]) -> list[dict[str, Any]]:
    """The agreement's indicators with their target, this report's achieved value and breakdowns."""
    from amis.reporting.indicators import breakdowns

    achieved = {i.code: i for i in report.indicators.all()}
    rows = []
    for item in terms.get("indicators", []):
        code = str(item.get("code"))
        found = achieved.get(code)
        rows.append(
            {
                "code": code,
                "target": item.get("target"),
                "value": found.value if found else None,
                "comment": found.comment if found else "",
                "breakdowns": [
                    {"key": key, "label": label, "value": (found.breakdown.get(key) if found else None)}
                    for key, label in breakdowns(code)
                ],
            }
        )
    return rows


def report_terms(report: Report) -> dict[str, Any]:
    """The terms of the agreement version the report uses: its own once submitted, else the one in force."""
    version = report.agreement_version or version_in_force(report.project)
    return version.terms if version is not None else {}


def invoice_candidates(report: Report) -> QuerySet[ExpenditureLine, tuple[Any, ...]]:
    """(pk, report id, supplier key, invoice number, invoice date, amount declared, duplicate of) of
    every line of the beneficiary (all its projects) whose supplier and invoice number also appear on
    a line of this report, this report's own lines included: one query (a semi-join on the invoice index), for
    flagging the same invoice declared twice in a report of any size."""
    same = ExpenditureLine.objects.filter(
        report_id=report.pk, supplier_key=OuterRef("supplier_key"), invoice_number=OuterRef("invoice_number")
    )
    return (
        ExpenditureLine.objects.filter(report__project__organisation_id=report.project.organisation_id)
        .exclude(invoice_number="")
        .exclude(supplier_key="")
        .filter(Exists(same))
        .values_list(
            "pk",
            "report_id",
            "supplier_key",
            "invoice_number",
            "invoice_date",
            "amount_declared",
            "duplicate_of_id",
        )
    )
