"""Reads of annual reports: the reports a reader sees, one report with its parts, and the generated
parts — the tables computed from AMIS data for the report's financial or accounting year.

The figures are those of the programme dashboard (`amis.dashboard`): the same sources, the same
definitions (`dashboard.rules`), the plan of the same adopted version, grouped the same way (a call
under its specific objective and its group, `dashboard.selectors.group_of`), summed with the same
grouped queries (`grouped_sums`) — each source narrowed to the year by its own record's date:

- a call by the day it opens (`opens_at`); a project by the day the Monitoring Committee approved
  its application (the meeting's date; the project's creation when no decision is recorded);
- declared: each report's latest submission (`submitted_at`); verified: completed verifications
  (`completed_at`); corrections: the day they were recorded; paid: the bank's date (`paid_on`);
- indicators: the values of accepted reports by the end of the period they report on.

"Cumulative" is everything dated up to the last day of the year, so for a year ending after every
record the cumulative columns equal the dashboard's figures (tests/test_selectors.py proves it).
One grouped query per source and window: the cost does not grow with the number of projects.

Readers: the responsible authority, the audit authority and the Monitoring Committee read every
programme's reports (`annual_report.view`); a delegated authority officer does not read them — the
report is the programme's, written by the responsible authority (docs/annual-reports.md).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, DateField, Exists, F, OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import translation

from amis.accounts.permissions import check
from amis.annual_reports import rules
from amis.annual_reports.models import AnnualReport, NarrativePart, ReportEvent
from amis.calls.models import Call
from amis.core.money import cents
from amis.dashboard import rules as dashboard_rules
from amis.dashboard import selectors as dashboard
from amis.payments.models import Payment
from amis.programme import selectors as programme_selectors
from amis.programme.models import Indicator, Programme, SpecialCaseType
from amis.projects.models import Project
from amis.reporting.models import IndicatorAchievement, Report, ReportSubmission
from amis.selection.models import CommitteeDecision
from amis.verification.models import FinancialCorrection, Verification

ZERO = Decimal("0.00")
LANGUAGES = ("en", "nl", "fr", "de")
MONEY = ("in_calls", "grants", "declared", "verified", "eu_verified", "corrected", "paid")
COUNTS = ("calls", "projects")


# -- who reads what ---------------------------------------------------------------------------------


def programmes_for(user: Any) -> QuerySet[Programme]:
    """The programmes whose annual reports this person reads (none without `annual_report.view`)."""
    qs = Programme.objects.select_related("period", "fund").order_by("cci")
    return qs if check(user, "annual_report.view").allowed else qs.none()


def programme_for(user: Any, cci: str) -> Programme | None:
    return programmes_for(user).filter(cci=cci).first()


def reports_for(user: Any, programme: Programme | None = None) -> QuerySet[AnnualReport]:
    qs = AnnualReport.objects.filter(programme__in=programmes_for(user)).select_related(
        "programme__period", "decided_by", "frozen_by"
    )
    if programme is not None:
        qs = qs.filter(programme=programme)
    return qs.order_by("programme__cci", "-year")


def report_for(user: Any, cci: str, year: int) -> AnnualReport | None:
    return (
        reports_for(user)
        .filter(programme__cci=cci, year=year)
        .prefetch_related(
            Prefetch("parts", queryset=NarrativePart.objects.select_related("updated_by").order_by("pk")),
            Prefetch("events", queryset=ReportEvent.objects.select_related("actor").order_by("at", "pk")),
        )
        .first()
    )


def objectives_of(programme: Programme) -> list[str]:
    """The codes of the specific objectives of the version the report's plan comes from."""
    version = programme_selectors.adopted_version(programme)
    if version is None:
        return []
    return list(version.specific_objectives.order_by("position").values_list("code", flat=True))


# -- the generated parts ----------------------------------------------------------------------------


def _names(value: Any) -> Any:
    """A name as JSON: a language map stays a map of strings; anything else a string."""
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    return "" if value is None else str(value)


def _label_in_languages(label: Any) -> dict[str, str]:
    out = {}
    for language in LANGUAGES:
        with translation.override(language):
            out[language] = str(label)
    return out


def _window(qs: Any, field: str, start: dt.date | None, end: dt.date) -> Any:
    if start is not None:
        qs = qs.filter(**{f"{field}__gte": start})
    return qs.filter(**{f"{field}__lte": end})


def _selected_on() -> Any:
    """The day the committee approved the project's application (the project's creation else)."""
    decided = CommitteeDecision.objects.filter(
        application=OuterRef("application"), decision=CommitteeDecision.Decision.APPROVE
    ).order_by("-meeting__date")
    return Coalesce(
        Subquery(decided.values("meeting__date")[:1], output_field=DateField()),
        TruncDate("created_at"),
        output_field=DateField(),
    )


def per_call(calls: QuerySet[Call], start: dt.date | None, end: dt.date) -> dict[int, dict[str, Any]]:
    """Each call's money dated in [start, end] (start None: from the beginning), by source."""
    key = "application__call_id"
    projects = _window(
        Project.objects.filter(application__call__in=calls).annotate(selected_on=_selected_on()),
        "selected_on",
        start,
        end,
    )
    latest = ReportSubmission.objects.filter(report=OuterRef("report"), round__gt=OuterRef("round"))
    completed = Verification.objects.filter(status=Verification.Status.COMPLETED)
    sources = [
        dashboard.grouped_sums(projects, key, {"grants": F("eu_contribution"), "projects": Count("pk")}),
        dashboard.grouped_sums(
            _window(
                ReportSubmission.objects.filter(
                    ~Exists(latest), report__project__application__call__in=calls
                ),
                "submitted_at__date",
                start,
                end,
            ),
            f"report__project__{key}",
            {"declared": F("declared")},
        ),
        dashboard.grouped_sums(
            _window(
                completed.filter(report__project__application__call__in=calls),
                "completed_at__date",
                start,
                end,
            ),
            f"report__project__{key}",
            {"verified": F("verified"), "eu_verified": F("eu_share")},
        ),
        dashboard.grouped_sums(
            _window(
                FinancialCorrection.objects.filter(project__application__call__in=calls),
                "created_at__date",
                start,
                end,
            ),
            f"project__{key}",
            {"corrected": F("eu_amount")},
        ),
        dashboard.grouped_sums(
            _window(
                Payment.objects.filter(status=Payment.Status.PAID, project__application__call__in=calls),
                "paid_on",
                start,
                end,
            ),
            f"project__{key}",
            {"paid": F("amount") + F("offset")},
        ),
    ]
    out: dict[int, dict[str, Any]] = {}
    for call in calls:
        opens = call.opens_at.date()
        launched = (start is None or opens >= start) and opens <= end
        out[call.pk] = {
            **{name: ZERO for name in MONEY},
            "in_calls": call.budget if launched else ZERO,
            "calls": 1 if launched else 0,
            "projects": 0,
        }
    for source in sources:
        for pk, values in source.items():
            if pk in out:
                for name, amount in values.items():
                    out[pk][name] = out[pk][name] + amount
    return out


def _add(into: dict[str, Any], values: dict[str, Any]) -> None:
    for name in (*MONEY, *COUNTS):
        into[name] = into.get(name, 0 if name in COUNTS else ZERO) + values.get(name, 0)


def _empty() -> dict[str, Any]:
    return {**{name: ZERO for name in MONEY}, **{name: 0 for name in COUNTS}}


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(cents(value))


def _share(part: Decimal, whole: Decimal | None) -> str | None:
    found = dashboard_rules.share(part, whole)
    return None if found is None else str(found)


def generated_parts(programme: Programme, start: dt.date, end: dt.date) -> dict[str, Any]:
    """The tables of the report for the year [start, end], as JSON (money as decimal strings): the
    implementation per specific objective and group, the financial table, the indicators and the
    special cases."""
    calls = Call.objects.filter(programme=programme).exclude(status=Call.Status.DRAFT).order_by("code")
    call_list = list(calls)
    version = programme_selectors.adopted_version(programme)
    source = programme_selectors.plan_source(version)
    plan_objectives, plan_groups = dashboard.plan_rows(version, source)
    in_year, to_date = per_call(calls, start, end), per_call(calls, None, end)
    group_names = _group_names(version, source)

    objectives: dict[str, dict[str, Any]] = {}
    for code in sorted(set(plan_objectives) | {c.specific_objective for c in call_list}):
        name, planned = plan_objectives.get(code, ({}, None))
        objectives[code] = {
            "name": _names(name),
            "planned": planned,
            "year": _empty(),
            "total": _empty(),
            "groups": {},
        }
    for call in call_list:
        so = objectives[call.specific_objective]
        group = so["groups"].setdefault(dashboard.group_of(call), {"year": _empty(), "total": _empty()})
        for bucket, figures in (("year", in_year[call.pk]), ("total", to_date[call.pk])):
            _add(so[bucket], figures)
            _add(group[bucket], figures)

    implementation, financial = [], []
    total: dict[str, Any] = {"planned": ZERO, "year": _empty(), "total": _empty()}
    for code, so in objectives.items():
        implementation.append(_implementation_row(0, code, so["name"], so["planned"], so))
        for group_key, group in sorted(so["groups"].items()):
            implementation.append(
                _implementation_row(
                    1, group_key, group_names.get(group_key, ""), plan_groups.get((code, group_key)), group
                )
            )
        financial.append(_financial_row(0, code, so["name"], so["planned"], so))
        total["planned"] += so["planned"] or ZERO
        _add(total["year"], so["year"])
        _add(total["total"], so["total"])
    planned_total = total["planned"] if objectives else None
    implementation.append(_implementation_row(-1, "", "", planned_total, total))
    financial.append(_financial_row(-1, "", "", planned_total, total))
    return {
        "programme": programme.cci,
        "version": version.number if version else None,
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "tables": {
            "implementation": implementation,
            "financial": financial,
            "indicators": indicator_rows(version, calls, start, end),
            "special_cases": special_case_rows(version, end.year),
        },
    }


def _implementation_row(
    level: int, code: str, name: Any, planned: Decimal | None, row: dict[str, Any]
) -> dict[str, Any]:
    year, total = row["year"], row["total"]
    return {
        "level": level,
        "code": code,
        "name": name,
        "planned": _money(planned),
        "calls_year": year["calls"],
        "in_calls_year": _money(year["in_calls"]),
        "projects_year": year["projects"],
        "grants_year": _money(year["grants"]),
        "calls_total": total["calls"],
        "in_calls_total": _money(total["in_calls"]),
        "projects_total": total["projects"],
        "grants_total": _money(total["grants"]),
    }


def _financial_row(
    level: int, code: str, name: Any, planned: Decimal | None, row: dict[str, Any]
) -> dict[str, Any]:
    year, total = row["year"], row["total"]
    return {
        "level": level,
        "code": code,
        "name": name,
        "planned": _money(planned),
        "grants_total": _money(total["grants"]),
        "declared_year": _money(year["declared"]),
        "declared_total": _money(total["declared"]),
        "verified_year": _money(year["verified"]),
        "verified_total": _money(total["verified"]),
        "eu_verified_total": _money(total["eu_verified"]),
        "corrected_total": _money(total["corrected"]),
        "paid_year": _money(year["paid"]),
        "paid_total": _money(total["paid"]),
        "absorption": _share(total["paid"], planned),
    }


def _group_names(version: Any, source: Any) -> dict[str, Any]:
    """The names of the groups a call belongs to: national objectives and specific actions
    (2014-2020), types of action (2021-2027) in every language of the pages."""
    names: dict[str, Any] = {}
    if version is None or source is None:
        return names
    if version.file_format == 2:
        for value, label in Call._meta.get_field("type_of_action").choices or []:
            names[str(value)] = _label_in_languages(label)
        return names
    for so in source.specific_objectives:
        for line in [*so.national_objectives, *so.specific_actions]:
            names[line.code] = _names(line.name)
    return names


def indicator_rows(version: Any, calls: QuerySet[Call], start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """The plan's indicators (as the dashboard lists them, `dashboard.selectors.indicators`) with
    what the accepted reports achieved in the year and up to its end (by the end of the period each
    report covers)."""
    listed = dashboard.indicators(version, calls, dashboard.indicator_figures(calls))
    if not listed:
        return []
    kinds = {
        (so, code): kind
        for so, code, kind in Indicator.objects.filter(specific_objective__version=version).values_list(
            "specific_objective__code", "code", "kind"
        )
    }

    def achieved(since: dt.date | None) -> dict[tuple[str, str], Decimal]:
        qs = _window(
            IndicatorAchievement.objects.filter(
                report__status=Report.Status.ACCEPTED, report__project__application__call__in=calls
            ),
            "report__period_end",
            since,
            end,
        )
        rows = (
            qs.order_by()
            .values_list("report__project__application__call__specific_objective", "code")
            .annotate(total=Sum("value"))
        )
        return {(so, code): Decimal(str(total or 0)) for so, code, total in rows}

    year, to_date = achieved(start), achieved(None)
    out = []
    for row in listed:
        key = (row["specific_objective"], row["code"])
        value = to_date.get(key, Decimal("0"))
        out.append(
            {
                "level": 0,
                "specific_objective": row["specific_objective"],
                "code": row["code"],
                "name": _names(row["name"]),
                "kind": kinds.get(key, ""),
                "unit": row["unit"],
                **{k: None if row[k] is None else str(row[k]) for k in ("baseline", "milestone", "target")},
                "achieved_year": str(year.get(key, Decimal("0"))),
                "achieved_total": str(value),
                "of_target": _share(value, row["target"]),
            }
        )
    return out


def special_case_rows(version: Any, year: int) -> list[dict[str, Any]]:
    """The special cases of the plan (2014-2020 Table 2: resettlement, transfers, relocation,
    admission) with the year's planned amount and the persons pledged. AMIS records no resettled or
    transferred persons, so `persons_reported` is 0 (the report says none)."""
    if version is None:
        return []
    rows = []
    for case in (
        SpecialCaseType.objects.filter(version=version)
        .prefetch_related("annual_amounts", "pledges")
        .order_by("position")
    ):
        amounts = list(case.annual_amounts.all())
        persons = sum(int(n) for p in case.pledges.all() for n in (p.persons or {}).values())
        rows.append(
            {
                "level": 0,
                "code": case.code,
                "name": _names(case.name),
                "category": case.category,
                "planned_year": _money(sum((a.amount for a in amounts if a.year == year), ZERO)),
                "planned_total": _money(sum((a.amount for a in amounts), ZERO)),
                "persons_pledged": persons,
                "persons_reported": 0,
            }
        )
    return rows


# -- the report as shown ----------------------------------------------------------------------------


def narrative(report: AnnualReport) -> list[dict[str, Any]]:
    """The parts the authority writes, in the model's order, with their current text."""
    period = report.programme.period.code
    stored = {(p.section, p.specific_objective): p for p in report.parts.all()}
    out = []
    for section, code in rules.narrative_keys(period, objectives_of(report.programme)):
        part = stored.get((section, code))
        out.append(
            {
                "section": section,
                "specific_objective": code,
                "text": part.text if part else "",
                "lock_version": part.lock_version if part else 0,
                "updated_by": str(part.updated_by) if part and part.updated_by else "",
                "updated_at": part.updated_at.isoformat() if part and part.updated_at else None,
                "max_length": rules.max_length(period, section),
            }
        )
    return out


def current_content(report: AnnualReport) -> dict[str, Any]:
    """What the report says now: the frozen snapshot once approved, else the tables generated from
    today's data and the narrative as written."""
    if report.status in rules.SNAPSHOTTED and report.snapshot:
        return dict(report.snapshot)
    return {
        "generated": generated_parts(report.programme, report.period_start, report.period_end),
        "narrative": narrative(report),
    }
