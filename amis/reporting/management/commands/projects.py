"""`amis projects list [--format json] [--call CODE] [--programme CCI]`: every project with its
beneficiary, call, programme, the agreement version in force (and the latest version, which may
be a draft or await signatures), its budget, what was declared and its
reports per status.

The command lives in `amis.reporting`, not in `amis.projects`: it shows what was declared in reports,
and the projects app comes before reporting in the layout (tests/test_layout.py), so it may not read
reporting; reporting may read projects.

It streams: projects are read in batches of `BATCH`, and each batch takes a fixed number of grouped
queries (versions in force, their budget lines and transfers, declared amounts, reports per status),
whatever the number of projects. Amounts are decimal strings, to the cent.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count, QuerySet, Sum

from amis.calls.models import Call
from amis.core.money import ZERO, cents
from amis.programme.models import Programme
from amis.projects import rules
from amis.projects.models import AgreementBudgetLine, AgreementVersion, BudgetTransfer, Project
from amis.reporting.models import ExpenditureLine, Report
from amis.reporting.selectors import DECLARED_STATUSES

BATCH = 500


def _in_force(project_ids: list[int]) -> dict[int, AgreementVersion]:
    """The signed version with the highest number per project (as `selectors.version_in_force`)."""
    found: dict[int, AgreementVersion] = {}
    versions = (
        AgreementVersion.objects.filter(
            agreement__project_id__in=project_ids, status=AgreementVersion.Status.SIGNED
        )
        .select_related("agreement")
        .order_by("agreement__project_id", "-number")
    )
    for version in versions:
        found.setdefault(version.agreement.project_id, version)
    return found


def _latest(project_ids: list[int]) -> dict[int, AgreementVersion]:
    """The latest version of each project's agreement, whatever its status (a draft or an issued
    version awaiting signatures shows where the agreement stands)."""
    found: dict[int, AgreementVersion] = {}
    versions = (
        AgreementVersion.objects.filter(agreement__project_id__in=project_ids)
        .select_related("agreement")
        .only("number", "status", "agreement__project_id", "agreement__reference")
        .order_by("agreement__project_id", "-number")
    )
    for version in versions:
        found.setdefault(version.agreement.project_id, version)
    return found


def _budgets(versions: list[AgreementVersion]) -> dict[int, Decimal]:
    """Each version's budget total as `projects.selectors.version_budget` computes it (direct costs
    after the transfers made under it, plus the flat-rate indirect costs), in two grouped queries."""
    ids = [v.pk for v in versions]
    direct: dict[int, dict[str, Decimal]] = {i: {} for i in ids}
    rows = (
        AgreementBudgetLine.objects.filter(version_id__in=ids)
        .values("version_id", "category")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in rows:
        direct[row["version_id"]][row["category"]] = row["total"] or ZERO
    moved: dict[int, list[tuple[str, str, Decimal]]] = {i: [] for i in ids}
    for version_id, source, target, amount in BudgetTransfer.objects.filter(version_id__in=ids).values_list(
        "version_id", "from_category", "to_category", "amount"
    ):
        moved[version_id].append((source, target, amount))
    totals: dict[int, Decimal] = {}
    for version in versions:
        budget = rules.current_budget(direct[version.pk], moved[version.pk])
        rate = Decimal(str(version.terms.get("indirect_rate", "0")))
        if rate > 0:
            budget["indirect"] = cents(sum(direct[version.pk].values(), ZERO) * rate)
        totals[version.pk] = sum(budget.values(), ZERO)
    return totals


def _declared(project_ids: list[int]) -> dict[int, Decimal]:
    """What each project declared in its submitted or accepted reports (as
    `reporting.selectors.declared_by_category`, summed over the categories)."""
    rows = (
        ExpenditureLine.objects.filter(
            report__project_id__in=project_ids, report__status__in=DECLARED_STATUSES
        )
        .values("report__project_id")
        .annotate(total=Sum("amount_declared"))
        .order_by()
    )
    return {row["report__project_id"]: row["total"] or ZERO for row in rows}


def _reports(project_ids: list[int]) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = {i: {} for i in project_ids}
    rows = (
        Report.objects.filter(project_id__in=project_ids)
        .values("project_id", "status")
        .annotate(n=Count("id"))
        .order_by("project_id", "status")
    )
    for row in rows:
        counts[row["project_id"]][row["status"]] = row["n"]
    return counts


def project_rows(projects: QuerySet[Project]) -> Iterator[dict[str, Any]]:
    """One dictionary per project, in reference order, read in batches of `BATCH`."""
    ids = list(projects.order_by("reference").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        batch = (
            Project.objects.filter(pk__in=chunk)
            .select_related("organisation", "application__call__programme")
            .order_by("reference")
        )
        in_force = _in_force(chunk)
        latest = _latest(chunk)
        budgets = _budgets(list(in_force.values()))
        declared = _declared(chunk)
        reports = _reports(chunk)
        for project in batch:
            version = in_force.get(project.pk)
            last = latest.get(project.pk)
            budget = budgets.get(version.pk, ZERO) if version is not None else ZERO
            spent = declared.get(project.pk, ZERO)
            call = project.application.call
            yield {
                "reference": project.reference,
                "title": project.application.title,
                "beneficiary": project.organisation.name,
                "call": call.code,
                "programme": call.programme.cci,
                "agreement": None
                if version is None
                else {
                    "reference": version.agreement.reference,
                    "version": version.number,
                    "status": version.status,
                    "in_force_from": version.in_force_from.isoformat() if version.in_force_from else None,
                },
                "latest_version": None if last is None else {"number": last.number, "status": last.status},
                "budget": str(cents(budget)),
                "declared": str(cents(spent)),
                "remaining": str(cents(budget - spent)),
                "reports": reports.get(project.pk, {}),
            }


class Command(BaseCommand):
    help = "Projects: their agreement version in force, budget, declared expenditure and reports."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=CommandParser)
        p = sub.add_parser(
            "list", help="Every project with its agreement version, budget, declared and reports per status."
        )
        p.add_argument("--format", dest="fmt", choices=["table", "json"], default="table")
        p.add_argument("--call", help="Only the projects of this call (its code).")
        p.add_argument("--programme", help="Only the projects of this programme (its CCI).")

    def handle(self, *args: Any, **options: Any) -> None:
        projects = Project.objects.all()
        if options.get("call"):
            if not Call.objects.filter(code=options["call"]).exists():
                raise CommandError(f"No call with the code {options['call']!r}.")
            projects = projects.filter(application__call__code=options["call"])
        if options.get("programme"):
            if not Programme.objects.filter(cci=options["programme"]).exists():
                raise CommandError(f"No programme with the CCI {options['programme']!r}.")
            projects = projects.filter(application__call__programme__cci=options["programme"])
        rows = project_rows(projects)
        if options["fmt"] == "json":
            self._json(rows)
        else:
            self._table(rows)

    def _json(self, rows: Iterator[dict[str, Any]]) -> None:
        """A JSON array written row by row, never held whole in memory."""
        self.stdout.write("[", ending="")
        first = True
        for row in rows:
            self.stdout.write(("\n  " if first else ",\n  ") + json.dumps(row, ensure_ascii=False), ending="")
            first = False
        self.stdout.write("\n]" if not first else "]")

    def _table(self, rows: Iterator[dict[str, Any]]) -> None:
        header = (
            f"{'Project':<28} {'Call':<20} {'Beneficiary':<32} {'Version':<16} "
            f"{'Budget':>14} {'Declared':>14}  Reports"
        )
        self.stdout.write(header)
        empty = True
        for r in rows:
            empty = False
            agreement = r["agreement"]
            last = r["latest_version"]
            if agreement:
                version = f"v{agreement['version']} {agreement['in_force_from']}"
            elif last:
                version = f"v{last['number']} {last['status']}"
            else:
                version = "no agreement"
            counts = ", ".join(f"{k} {v}" for k, v in r["reports"].items()) or "none"
            self.stdout.write(
                f"{r['reference']:<28} {r['call']:<20} {r['beneficiary'][:32]:<32} {version:<16} "
                f"{r['budget']:>14} {r['declared']:>14}  {counts}"
            )
        if empty:
            self.stdout.write("No projects.")
