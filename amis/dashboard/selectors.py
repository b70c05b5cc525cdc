"""Reads of the programme dashboard (issue 17 §1): the money of every call and project in the
reader's scope from a handful of grouped queries, added up by `rules` into the rows of the
programme's specific objectives and their groups (national objectives and specific actions in
2014-2020, types of action in 2021-2027, as the calls link them).

One query per source, grouped by call or by project — never a query per row — so the page costs
the same at 20 projects and at 20,000 (bench: `dashboard_programme`). The same filters feed every
level, so a row is always the sum of the rows it drills down to.

Scope: the responsible authority, the audit authority, the accounting unit and the monitoring
committee read the whole programme; a delegated authority officer the calls of the part delegated
to them (`calls.selectors.managed_calls_filter`, the rule of every other page).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear

from amis.accounts.models import RoleAssignment
from amis.accounts.permissions import active_roles
from amis.accounts.roles import Role
from amis.calls.models import Call
from amis.calls.selectors import managed_calls_filter
from amis.core.money import cents
from amis.dashboard import rules
from amis.dashboard.models import CallFigures, CallIndicator, CallPaidInYear, FiguresState
from amis.dashboard.rules import ZERO, Figures
from amis.declarations.models import PaymentApplication, PaymentApplicationItem
from amis.payments.models import Payment, Recovery
from amis.programme.models import Programme, ProgrammeVersion
from amis.programme.selectors import adopted_version, annual_commitments, plan_source
from amis.projects.models import Project
from amis.projects.scope import projects_for
from amis.reporting.models import ReportSubmission
from amis.verification.models import FinancialCorrection, Verification

WHOLE_PROGRAMME = frozenset(
    {Role.RA_MANAGER, Role.RA_OFFICER, Role.AUDITOR, Role.ACCOUNTING_OFFICER, Role.MC_MEMBER}
)


@dataclass(frozen=True)
class Filters:
    """What the reader narrowed the dashboard to (all optional)."""

    call: str = ""  # a call's code
    authority: int | None = None  # the managing (delegated) authority's organisation id
    beneficiary_kind: str = ""  # organisations.Organisation.Kind


@dataclass
class Row:
    """A row of the dashboard: a specific objective, a group in it, a call or a project."""

    key: str
    label: Any  # a name in four languages (dict) or a plain text
    figures: Figures
    planned: Decimal | None = None
    url: str = ""
    children: list[Row] = field(default_factory=list)

    @property
    def absorption(self) -> Decimal | None:
        return rules.share(self.figures.paid, self.planned)

    @property
    def cells(self) -> list[Decimal]:
        """The money figures in the dashboard's column order (`rules.MONEY`)."""
        return [getattr(self.figures, key) for key in rules.MONEY]


def calls_in_scope(user: Any, programme: Programme, filters: Filters | None = None) -> QuerySet[Call]:
    """The programme's calls (drafts excluded) this person may see on the dashboard, narrowed."""
    filters = filters or Filters()
    calls = Call.objects.filter(programme=programme).exclude(status=Call.Status.DRAFT)
    roles = set(active_roles(user))
    if not roles & WHOLE_PROGRAMME:
        scope = managed_calls_filter(user)
        calls = calls.filter(scope if scope is not None else Q())
    if filters.call:
        calls = calls.filter(code=filters.call)
    if filters.authority:
        calls = calls.filter(managing_organisation_id=filters.authority)
    return calls


def call_in_scope(user: Any, code: str) -> Call | None:
    """The published call of this code if it is in the reader's part of its programme."""
    call = (
        Call.objects.filter(code=code).exclude(status=Call.Status.DRAFT).select_related("programme").first()
    )
    if call is None or not calls_in_scope(user, call.programme).filter(pk=call.pk).exists():
        return None
    return call


def may_read(user: Any, programme: Programme) -> bool:
    """Whether the dashboard shows this programme to this person at all (a delegated authority
    officer: a delegation in it)."""
    roles = set(active_roles(user))
    if roles & WHOLE_PROGRAMME:
        return True
    if Role.DA_OFFICER in roles:
        return RoleAssignment.objects.filter(
            Q(programme=programme) | Q(programme__isnull=True),
            user_id=int(user.pk),
            role=Role.DA_OFFICER,
            revoked_at__isnull=True,
        ).exists()
    return False


def grouped_sums(
    queryset: Any, key: str | tuple[str, ...], sums: dict[str, Any]
) -> dict[Any, dict[str, Any]]:
    """{key: {name: sum}} in one grouped query (a tuple of fields keys by a tuple of values); money
    back to the cent (SQLite sums decimals as floats; PostgreSQL's NUMERIC is exact); a `Count`
    stays a count."""
    keys = (key,) if isinstance(key, str) else key
    aggregates = {name: (e if isinstance(e, Count) else Sum(e)) for name, e in sums.items()}
    rows = queryset.order_by().values(*keys).annotate(**aggregates)
    out: dict[Any, dict[str, Any]] = {}
    for row in rows:
        found = row[keys[0]] if isinstance(key, str) else tuple(row[k] for k in keys)
        out[found] = {
            name: (int(row[name]) if isinstance(sums[name], Count)
                   else cents(Decimal(str(row[name]))) if row[name] is not None else ZERO)
            for name in sums
        }  # fmt: skip
    return out


def figures_by(
    by: str, calls: QuerySet[Call], beneficiary_kind: str = "", project_ids: list[int] | None = None
) -> dict[Any, Figures]:
    """The figures of each call (`by="call"`), each project (`"project"`) or each call and
    beneficiary type (`"call_kind"`, keyed `(call id, kind)`: what the summary stores), for these
    calls, computed from the source tables."""
    assert by in ("call", "project", "call_kind")
    projects = Project.objects.filter(application__call__in=calls)
    if beneficiary_kind:
        projects = projects.filter(organisation__kind=beneficiary_kind)
    if project_ids is not None:
        projects = projects.filter(pk__in=project_ids)

    def key(path: str) -> str | tuple[str, str]:  # `path`: the project as seen from the source
        if by == "call_kind":
            return (f"{path}application__call_id", f"{path}organisation__kind")
        return f"{path}application__call_id" if by == "call" else f"{path}id"

    def scoped(queryset: Any, path: str) -> Any:
        """The source's rows of these projects: joined on the call (no nested IN over projects),
        narrowed further only when the reader narrowed the projects."""
        queryset = queryset.filter(**{f"{path}application__call__in": calls})
        if beneficiary_kind:
            queryset = queryset.filter(**{f"{path}organisation__kind": beneficiary_kind})
        if project_ids is not None:
            queryset = queryset.filter(**{f"{path}id__in": project_ids})
        return queryset

    latest = ReportSubmission.objects.filter(report=OuterRef("report"), round__gt=OuterRef("round"))
    completed = Verification.objects.filter(status=Verification.Status.COMPLETED)
    # one grouped query per source table, several sums in one pass where a table gives several figures
    sources = [
        grouped_sums(projects, key(""), {"grants": F("eu_contribution"), "projects": Count("pk")}),
        grouped_sums(
            scoped(ReportSubmission.objects.filter(~Exists(latest)), "report__project__"),
            key("report__project__"),
            {"declared": F("declared")},
        ),
        grouped_sums(
            scoped(completed, "report__project__"),
            key("report__project__"),
            {"verified": F("verified"), "eu_verified": F("eu_share")},
        ),
        grouped_sums(
            scoped(FinancialCorrection.objects, "project__"), key("project__"), {"corrected": F("eu_amount")}
        ),
        grouped_sums(
            scoped(Payment.objects.filter(status=Payment.Status.PAID), "project__"),
            key("project__"),
            {"paid": F("amount") + F("offset")},
        ),
        grouped_sums(
            scoped(Recovery.objects, "project__"),
            key("project__"),
            {"recovered": F("received") + F("offset")},
        ),
        grouped_sums(
            scoped(
                PaymentApplicationItem.objects.filter(
                    application__status=PaymentApplication.Status.SUBMITTED, held_back=False
                ),
                "project__",
            ),
            key("project__"),
            {"to_commission": F("eu")},
        ),
    ]
    counts = {pk: int(values["projects"]) for pk, values in sources[0].items()}
    out: dict[Any, Figures] = {}
    if by == "call":
        for pk, budget in calls.values_list("pk", "budget"):
            out[pk] = Figures(in_calls=budget, calls=1, projects=int(counts.get(pk, 0)))
    else:
        for pk, count in counts.items():
            out[pk] = Figures(projects=count)
    for source in sources:
        for pk, values in source.items():
            if pk in out:
                for name, amount in values.items():
                    if name != "projects":
                        setattr(out[pk], name, getattr(out[pk], name) + amount)
    return out


def paid_by_year(calls: QuerySet[Call], beneficiary_kind: str = "") -> dict[tuple[int, str, int], Decimal]:
    """{(call id, beneficiary kind, calendar year): paid} by the bank's dates, from the payments."""
    payments = Payment.objects.filter(
        project__application__call__in=calls, status=Payment.Status.PAID, paid_on__isnull=False
    )
    if beneficiary_kind:
        payments = payments.filter(project__organisation__kind=beneficiary_kind)
    grouped = grouped_sums(
        payments.annotate(year=ExtractYear("paid_on")),
        ("project__application__call_id", "project__organisation__kind", "year"),
        {"paid": F("amount") + F("offset")},
    )
    return {k: v["paid"] for k, v in grouped.items()}


SUMMED = ("grants", "declared", "verified", "eu_verified", "corrected", "paid", "recovered", "to_commission")


def summary_by_call(calls: QuerySet[Call], beneficiary_kind: str = "") -> dict[int, Figures]:
    """Each call's figures from the stored summary (`models.CallFigures`, one row per call and
    beneficiary type): the same figures as `figures_by("call", ...)` at the summary's time."""
    rows = CallFigures.objects.filter(call__in=calls)
    if beneficiary_kind:
        rows = rows.filter(beneficiary_kind=beneficiary_kind)
    sums = {name: Sum(name) for name in (*SUMMED, "projects")}
    stored: dict[int, dict[str, Any]] = {
        row["call_id"]: dict(row) for row in rows.order_by().values("call_id").annotate(**sums)
    }
    out: dict[int, Figures] = {}
    for pk, budget in calls.values_list("pk", "budget"):
        figures = Figures(in_calls=budget, calls=1)
        for name, value in stored.get(pk, {}).items():
            if name == "projects":
                figures.projects = int(value or 0)
            elif name != "call_id":
                setattr(figures, name, cents(Decimal(str(value or 0))))
        out[pk] = figures
    return out


def summary_paid_by_year(calls: QuerySet[Call], beneficiary_kind: str = "") -> dict[int, Decimal]:
    rows = CallPaidInYear.objects.filter(call__in=calls)
    if beneficiary_kind:
        rows = rows.filter(beneficiary_kind=beneficiary_kind)
    return {
        year: cents(Decimal(str(total or 0)))
        for year, total in rows.order_by().values_list("year").annotate(total=Sum("paid"))
    }


def plan_rows(
    version: ProgrammeVersion | None, source: Any
) -> tuple[dict[str, tuple[Any, Decimal]], dict[tuple[str, str], Decimal]]:
    """({SO code: (name, planned)}, {(SO code, group key): planned}) of the version's plan."""
    if version is None or source is None:
        return {}, {}
    objectives: dict[str, tuple[Any, Decimal]] = {}
    groups: dict[tuple[str, str], Decimal] = {}
    if version.file_format == 2:
        data = source
        if data is None:
            return {}, {}
        names = {so["code"]: so.get("name") or {} for so in data["document"]["specific_objectives"]}
        for row in data["allocations"]:
            so, kind = row.specific_objective, row.type_of_action
            groups[(so, kind)] = groups.get((so, kind), ZERO) + row.eu_contribution
        for code, name in names.items():
            objectives[code] = (name, sum((v for (s, _k), v in groups.items() if s == code), ZERO))
        return objectives, groups
    plan = source
    for so in plan.specific_objectives:
        objectives[so.code] = (so.name, so.total)
        for line in so.national_objectives:
            groups[(so.code, line.code)] = line.amount or ZERO
        for line in so.specific_actions:
            groups[(so.code, line.code)] = line.amount or ZERO
    return objectives, groups


def group_of(call: Call) -> str:
    """The group of the objective a call belongs to: its type of action (2021-2027), else its
    national objectives and specific action joined ("2.1" or "2.1, 2.2, SA1")."""
    if call.type_of_action:
        return str(call.type_of_action)
    parts = [str(n) for n in call.national_objectives or []]
    if call.specific_action:
        parts.append(call.specific_action)
    return ", ".join(parts)


@dataclass
class Dashboard:
    programme: Programme
    version: ProgrammeVersion | None
    objectives: list[Row]
    total: Row
    years: list[dict[str, Any]]
    as_of: dt.datetime
    indicators: list[dict[str, Any]] = field(default_factory=list)
    behind: bool = False  # changes made since `as_of` are being added (at most a minute)
    decommitment: list[dict[str, Any]] = field(default_factory=list)

    @property
    def decommitment_warnings(self) -> list[dict[str, Any]]:
        """The years whose deadline is near and not covered yet (what can still be acted on)."""
        return [y for y in self.decommitment if y["level"] == "warning" and y["gap"] > 0]


def indicator_figures(
    calls: QuerySet[Call], beneficiary_kind: str = ""
) -> dict[tuple[int, str, str], dict[str, Any]]:
    """Per (call id, beneficiary kind, indicator code): what the projects achieved in their accepted
    (verified) reports — the value, how many projects, the sum of each breakdown — and how many
    projects planned the indicator (their application's planned indicators) yet left it out of
    every report they submitted."""
    from amis.reporting.models import IndicatorAchievement, Report

    keys = ("report__project__application__call_id", "report__project__organisation__kind", "code")
    submitted = IndicatorAchievement.objects.filter(
        report__project__application__call__in=calls,
        report__status__in=(Report.Status.SUBMITTED, Report.Status.RETURNED, Report.Status.ACCEPTED),
    )
    if beneficiary_kind:
        submitted = submitted.filter(report__project__organisation__kind=beneficiary_kind)
    accepted = submitted.filter(report__status=Report.Status.ACCEPTED)
    out: dict[tuple[int, str, str], dict[str, Any]] = {}

    def row(key: tuple[int, str, str]) -> dict[str, Any]:
        return out.setdefault(key, {"achieved": ZERO, "projects": 0, "breakdown": {}, "not_reporting": 0})

    for call, kind, code, total, projects in (
        accepted.order_by()
        .values_list(*keys)
        .annotate(total=Sum("value"), n=Count("report__project", distinct=True))
    ):
        found = row((call, kind, code))
        found["achieved"], found["projects"] = cents(Decimal(str(total or 0))), int(projects)
    for call, kind, code, breakdown in accepted.order_by().values_list(*keys, "breakdown").iterator(2000):
        parts = row((call, kind, code))["breakdown"]
        for part, value in (breakdown or {}).items():
            parts[part] = str(Decimal(parts.get(part, "0")) + Decimal(str(value)))
    reported = set(submitted.order_by().values_list("report__project_id", "code").distinct())
    reporting = Project.objects.filter(
        application__call__in=calls,
        reports__status__in=(Report.Status.SUBMITTED, Report.Status.RETURNED, Report.Status.ACCEPTED),
    )
    if beneficiary_kind:
        reporting = reporting.filter(organisation__kind=beneficiary_kind)
    for pk, call, kind, planned in (
        reporting.order_by()
        .values_list("pk", "application__call_id", "organisation__kind", "application__planned_indicators")
        .distinct()
        .iterator(2000)
    ):
        for code in planned or {}:
            if (pk, code) not in reported:
                row((call, kind, code))["not_reporting"] += 1
    return out


def summary_indicator_figures(
    calls: QuerySet[Call], beneficiary_kind: str = ""
) -> dict[tuple[int, str, str], dict[str, Any]]:
    """`indicator_figures` as the stored summary holds them."""
    rows = CallIndicator.objects.filter(call__in=calls)
    if beneficiary_kind:
        rows = rows.filter(beneficiary_kind=beneficiary_kind)
    return {
        (r.call_id, r.beneficiary_kind, r.code): {
            "achieved": r.achieved,
            "projects": r.projects,
            "breakdown": r.breakdown,
            "not_reporting": r.not_reporting,
        }
        for r in rows.order_by()
    }


def indicators(
    version: ProgrammeVersion | None,
    calls: QuerySet[Call],
    per_call: dict[tuple[int, str, str], dict[str, Any]],
) -> list[dict[str, Any]]:
    """Each indicator of the plan with what the projects of these calls achieved (`per_call`, from
    `indicator_figures` or the summary), in the calls of its specific objective — against the
    baseline, the milestone and the target (2021-2027: milestone 2024, target 2029; CPR Art. 16 and
    Annex V); with the breakdowns and the projects that planned it but do not report it."""
    if version is None:
        return []
    from amis.programme.models import Indicator

    objective = dict(calls.values_list("pk", "specific_objective"))
    by_code: dict[tuple[str, str], dict[str, Any]] = {}
    for (call, _kind, code), figures in per_call.items():
        if call not in objective:
            continue
        found = by_code.setdefault(
            (objective[call], code), {"achieved": ZERO, "projects": 0, "breakdown": {}, "not_reporting": 0}
        )
        found["achieved"] += figures["achieved"]
        found["projects"] += figures["projects"]
        found["not_reporting"] += figures["not_reporting"]
        for part, value in figures["breakdown"].items():
            found["breakdown"][part] = str(Decimal(found["breakdown"].get(part, "0")) + Decimal(value))
    out = []
    for ind in (
        Indicator.objects.filter(specific_objective__version=version)
        .select_related("specific_objective")
        .order_by("specific_objective__position", "position")
    ):
        figures = by_code.get((ind.specific_objective.code, ind.code), {})
        value = figures.get("achieved", ZERO)
        out.append(
            {
                "specific_objective": ind.specific_objective.code,
                "code": ind.code,
                "name": ind.name,
                "unit": ind.unit,
                "baseline": ind.baseline,
                "milestone": ind.milestone,
                "target": ind.target,
                "achieved": value,
                "projects": figures.get("projects", 0),
                "of_target": rules.share(value, ind.target),
                "breakdown": {k: Decimal(v) for k, v in sorted(figures.get("breakdown", {}).items())},
                "not_reporting": figures.get("not_reporting", 0),
            }
        )
    return out


def programme_dashboard(
    user: Any, programme: Programme, filters: Filters | None = None, state: FiguresState | None = None
) -> Dashboard:
    """The programme's rows in the reader's scope: objectives, their groups, the calls under them —
    from the stored summary as of `state` (`freshness.current`), or computed from the source tables
    when no state is given."""
    from django.utils import timezone

    filters = filters or Filters()
    calls = calls_in_scope(user, programme, filters)
    if state is not None:
        per_call = summary_by_call(calls, filters.beneficiary_kind)
    else:
        per_call = figures_by("call", calls, filters.beneficiary_kind)
    version = adopted_version(programme)
    source = plan_source(version)
    plan_objectives, plan_groups = plan_rows(version, source)
    call_list = list(calls.order_by("specific_objective", "code"))
    groups: dict[str, dict[str, list[Call]]] = {}
    for call in call_list:
        groups.setdefault(call.specific_objective, {}).setdefault(group_of(call), []).append(call)
    # whole-programme readers see every objective of the plan, with or without calls; a delegated
    # officer only the objectives of their calls (the plan of the rest is not theirs to watch)
    whole = bool(set(active_roles(user)) & WHOLE_PROGRAMME) and not (filters.call or filters.authority)
    codes = sorted(set(groups) | (set(plan_objectives) if whole else set()))
    labels = {str(k): str(v) for k, v in Call._meta.get_field("type_of_action").choices or []}
    objectives = []
    for code in codes:
        children = []
        for group, members in sorted(groups.get(code, {}).items()):
            call_rows = [
                Row(c.code, c.title, per_call[c.pk], url=f"/dashboard/calls/{c.code}/") for c in members
            ]
            children.append(
                Row(group, labels.get(group, group), rules.total(r.figures for r in call_rows),
                    plan_groups.get((code, group)), children=call_rows)
            )  # fmt: skip
        name, planned = plan_objectives.get(code, ({}, None))
        if not whole:  # a part of the programme: the plan of the groups it holds, not the objective's
            known = [c.planned for c in children if c.planned is not None]
            planned = sum(known, ZERO) if known else None
        figures = rules.total(c.figures for c in children)
        objectives.append(Row(code, name, figures, planned, children=children))
    planned_total = sum((o.planned or ZERO for o in objectives), ZERO) if objectives else None
    total = Row("total", "", rules.total(o.figures for o in objectives), planned_total)
    committed = annual_commitments(version, source) if whole else {}
    if state is not None:
        years = _years(summary_paid_by_year(calls, filters.beneficiary_kind), committed)
        as_of = state.computed_at or timezone.now()
    else:
        years = _years(_paid_by_year(calls, filters.beneficiary_kind), committed)
        as_of = timezone.now()
    behind = state is not None and state.requested_at is not None
    if state is not None:
        achieved = summary_indicator_figures(calls, filters.beneficiary_kind)
    else:
        achieved = indicator_figures(calls, filters.beneficiary_kind)
    risk = decommitment(programme, committed, total.figures) if whole and not filters.beneficiary_kind else []
    return Dashboard(
        programme,
        version,
        objectives,
        total,
        years,
        as_of,
        indicators(version, calls, achieved),
        behind,
        risk,
    )


def decommitment(
    programme: Programme, committed: dict[int, Decimal], total: Figures, today: dt.date | None = None
) -> list[dict[str, Any]]:
    """Per commitment year: what pre-financing and payment applications must cover by when (the
    period's rule: Reg. (EU) 514/2014 Art. 50 as amended, N+2; CPR Art. 105, N+3 —
    `declarations.rules.decommitment`), what covers it so far, the gap, and the forecast gap once
    the EU share verified but not yet declared to the Commission is declared too."""
    from django.utils import timezone

    from amis.declarations import rules as declaration_rules
    from amis.declarations.selectors import covered_by_date

    if not committed:
        return []
    today = today or timezone.localdate()
    pipeline = max(total.eu_verified - total.corrected - total.to_commission, ZERO)
    out = []
    for year in declaration_rules.decommitment(
        programme.period.code,
        {int(y): Decimal(str(v)) for y, v in committed.items()},
        covered_by_date(programme),
        today,
    ):
        future = year.deadline is None or year.deadline >= today
        forecast = max(year.to_cover - year.covered - pipeline, ZERO) if future else year.gap
        out.append({**asdict(year), "forecast_gap": forecast, "future": future})
    return out


def _paid_by_year(calls: QuerySet[Call], beneficiary_kind: str = "") -> dict[int, Decimal]:
    out: dict[int, Decimal] = {}
    for (_call, _kind, year), amount in paid_by_year(calls, beneficiary_kind).items():
        out[year] = out.get(year, ZERO) + amount
    return out


def _years(paid: dict[int, Decimal], committed: dict[int, Decimal]) -> list[dict[str, Any]]:
    """Per calendar year: the plan's commitment (whole-programme readers) and what was paid to
    beneficiaries that year (by the bank's dates), and both cumulated."""
    out, paid_sum, committed_sum = [], ZERO, ZERO
    for year in sorted(set(paid) | set(committed)):
        paid_sum += paid.get(year, ZERO)
        committed_sum += committed.get(year, ZERO)
        out.append(
            {
                "year": year,
                "committed": committed.get(year) if committed else None,
                "paid": paid.get(year, ZERO),
                "committed_to_date": committed_sum if committed else None,
                "paid_to_date": paid_sum,
            }
        )
    return out


def not_reporting(
    user: Any, programme: Programme, code: str, filters: Filters | None = None
) -> list[dict[str, Any]]:
    """The projects in the reader's part that planned this indicator and submitted reports without
    it (the drill-down of the indicator table's "planned, not reported")."""
    from amis.reporting.models import IndicatorAchievement, Report

    filters = filters or Filters()
    calls = calls_in_scope(user, programme, filters)
    done = (Report.Status.SUBMITTED, Report.Status.RETURNED, Report.Status.ACCEPTED)
    projects = Project.objects.filter(
        application__call__in=calls, application__planned_indicators__has_key=code
    ).filter(Exists(Report.objects.filter(project=OuterRef("pk"), status__in=done)))
    projects = projects.exclude(
        Exists(
            IndicatorAchievement.objects.filter(
                report__project=OuterRef("pk"), report__status__in=done, code=code
            )
        )
    )
    if filters.beneficiary_kind:
        projects = projects.filter(organisation__kind=filters.beneficiary_kind)
    projects = projects.annotate(
        submitted=Count("reports", filter=Q(reports__status__in=done))
    ).select_related("organisation", "application__call")
    found = list(projects.order_by("reference"))
    openable = set(projects_for(user).filter(pk__in=[p.pk for p in found]).values_list("pk", flat=True))
    return [
        {
            "reference": p.reference,
            "beneficiary": p.organisation.name,
            "call": p.application.call.code,
            "planned": Decimal(str((p.application.planned_indicators or {}).get(code, "0"))),
            "reports": p.submitted,
            "url": f"/projects/{p.reference}/" if p.pk in openable else "",
        }
        for p in found
    ]


def call_projects(user: Any, call: Call, filters: Filters | None = None) -> tuple[list[Row], Figures]:
    """The projects of one call with their figures, and the call's own figures (their sum, except
    the call's budget, which is the call's)."""
    filters = filters or Filters()
    calls = Call.objects.filter(pk=call.pk)
    per_project = figures_by("project", calls, filters.beneficiary_kind)
    projects = Project.objects.filter(pk__in=per_project).select_related("organisation").order_by("reference")
    # a project links to its page only for those who may open it (the committee reads figures only)
    openable = set(projects_for(user).filter(pk__in=per_project).values_list("pk", flat=True))
    rows = [
        Row(p.reference, p.organisation.name, per_project[p.pk],
            url=f"/projects/{p.reference}/" if p.pk in openable else "")
        for p in projects
    ]  # fmt: skip
    figures = rules.total(r.figures for r in rows)
    figures.in_calls, figures.calls = call.budget, 1
    return rows, figures
