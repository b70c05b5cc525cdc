"""Reads. The canonical document of a version is built from a fixed number of queries (no N+1)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from amis.programme.models import (
    Action,
    AllocationLine,
    AnnualCommitmentRow,
    CommonIndicator,
    Indicator,
    InterventionAllocation,
    InterventionCode,
    InterventionDimension,
    NationalObjective,
    Pledge,
    Programme,
    ProgrammeVersion,
    SpecialCaseType,
    SpecificAction,
    SpecificObjective,
)
from amis.programme.rules.annex_v import (
    ALLOCATION_TYPES,
    AllocationRow,
    objective_code,
    percent,
    tables_from_document,
)
from amis.programme.rules.financing import FinancingPlan, plan_from_document
from amis.programme.rules.money import format_money

FORMAT = "amis-programme/1"
FORMAT_2 = "amis-programme/2"
ZERO = Decimal("0.00")


def programme_list() -> QuerySet[Programme]:
    return (
        Programme.objects.select_related("member_state", "fund", "period")
        .annotate(version_count=Count("versions"))
        .order_by("cci")
    )


def programme_get(cci: str) -> Programme | None:
    return Programme.objects.select_related("member_state", "fund", "period").filter(cci=cci).first()


def version_list(programme: Programme, *, adopted_only: bool = False) -> QuerySet[ProgrammeVersion]:
    """The versions, newest first; `adopted_only` for readers who may not see drafts (the public)."""
    versions = programme.versions.order_by("-number")
    return versions.filter(status=ProgrammeVersion.Status.ADOPTED) if adopted_only else versions


def version_get(
    cci: str, number: int | None = None, *, adopted_only: bool = False
) -> ProgrammeVersion | None:
    """A given version, or the latest one when `number` is None; with `adopted_only` (the public:
    `programme.view_drafts` not held) only adopted versions exist, the latest adopted by default."""
    qs = ProgrammeVersion.objects.select_related(
        "programme", "programme__fund", "programme__period", "programme__member_state"
    ).filter(programme__cci=cci)
    if adopted_only:
        qs = qs.filter(status=ProgrammeVersion.Status.ADOPTED)
    if number is not None:
        return qs.filter(number=number).first()
    return qs.order_by("-number").first()


def _date(value: Any) -> str | None:
    return value.isoformat() if value else None


def _drop_empty(data: dict[str, Any], *keys: str) -> dict[str, Any]:
    for key in keys:
        if data.get(key) in ({}, [], "", None):
            data.pop(key, None)
    return data


def _action(action: Action) -> dict[str, Any]:
    return _drop_empty(
        {
            "number": action.number,
            "title": action.title,
            "scope": action.scope,
            "example_actions": action.example_actions,
            "desired_outcomes": action.desired_outcomes,
        },
        "scope",
        "example_actions",
        "desired_outcomes",
    )


def _indicator(ind: Indicator) -> dict[str, Any]:
    return _drop_empty(
        {
            "code": ind.code,
            "kind": ind.kind,
            "name": ind.name,
            "unit": ind.unit,
            "type": ind.indicator_type,
            "baseline": str(ind.baseline),
            "reference_year": ind.reference_year,
            "milestone": None if ind.milestone is None else str(ind.milestone),
            "target": str(ind.target),
            "source": ind.source,
        },
        "type",
        "reference_year",
        "milestone",
        "source",
    )


def _pledge(p: Pledge) -> dict[str, Any]:
    data: dict[str, Any] = {"name": p.name}
    if p.group != Pledge.Group.OTHER:
        data["group"] = p.group
    if p.from_country:
        data["from_country"] = p.from_country
    if p.to_country:
        data["to_country"] = p.to_country
    data.update(lump_sum=format_money(p.lump_sum), persons=p.persons)
    return data


def version_document(version: ProgrammeVersion, *, with_control_totals: bool = True) -> dict[str, Any]:
    """The version as a canonical amis-programme/1 document (what export writes and rules read)."""
    programme = version.programme
    objectives = (
        SpecificObjective.objects.filter(version=version)
        .prefetch_related(
            Prefetch(
                "national_objectives",
                queryset=NationalObjective.objects.prefetch_related(
                    Prefetch("actions", queryset=Action.objects.order_by("number"))
                ),
            ),
            Prefetch("specific_actions", queryset=SpecificAction.objects.prefetch_related("participations")),
            Prefetch("indicators", queryset=Indicator.objects.all()),
            Prefetch("interventions", queryset=InterventionAllocation.objects.all()),
        )
        .order_by("position")
    )
    texts: dict[str, dict[str, str]] = defaultdict(dict)
    for text in version.texts.all():
        texts[text.section][text.language] = text.body
    special_types = SpecialCaseType.objects.filter(version=version).prefetch_related(
        "annual_amounts", Prefetch("pledges", queryset=Pledge.objects.order_by("position"))
    )
    rows = AnnualCommitmentRow.objects.filter(version=version).prefetch_related("amounts")

    doc: dict[str, Any] = {
        "format": FORMAT_2 if version.file_format == 2 else FORMAT,
        "programme": {
            "cci": programme.cci,
            "member_state": programme.member_state.code,
            "fund": programme.fund.code,
            "period": programme.period.code,
            "title": programme.title,
            "languages": programme.languages,
        },
        "version": _drop_empty(
            {
                "number": version.number,
                "status": version.status,
                "decision_reference": version.decision_reference or None,
                "decision_date": _date(version.decision_date),
                "note": version.note,
            },
            "note",
        ),
        "authorities": [
            {
                "kind": a.kind,
                "name": a.name,
                "person_responsible": a.person_responsible,
                "address": a.address,
                "email": a.email,
                "designation_date": _date(a.designation_date),
                "delegated_activities": a.delegated_activities,
            }
            for a in version.authorities.order_by("position")
        ],
        "management_and_control_system": version.management_and_control_system,
        "texts": dict(sorted(texts.items())),
        "beneficiary_types": [
            {"code": b.code, "name": b.name} for b in version.beneficiary_types.order_by("position")
        ],
        "specific_objectives": [
            _drop_empty(
                {
                    "code": so.code,
                    "name": so.name,
                    "strategy": so.strategy,
                    "national_objectives": [
                        _drop_empty(
                            {
                                "code": no.code,
                                "name": no.name,
                                "text": no.text,
                                "amount": format_money(no.amount),
                                "actions": [_action(action) for action in no.actions.all()],
                            },
                            "text",
                            "actions",
                        )
                        for no in so.national_objectives.all()
                    ],
                    "specific_actions": [
                        _drop_empty(
                            {
                                "code": sa.code,
                                "name": sa.name,
                                "text": sa.text,
                                "amount": format_money(sa.amount),
                                "participations": [
                                    _drop_empty(
                                        {
                                            "name": p.name,
                                            "role": p.role,
                                            "lead_member_state": p.lead_member_state,
                                            "description": p.description,
                                        },
                                        "lead_member_state",
                                        "description",
                                    )
                                    for p in sa.participations.all()
                                ],
                            },
                            "text",
                            "participations",
                        )
                        for sa in so.specific_actions.all()
                    ],
                    "indicators": [_indicator(ind) for ind in so.indicators.all()],
                    "interventions": [
                        {"dimension": i.dimension, "code": i.code, "amount": format_money(i.amount)}
                        for i in so.interventions.all()
                    ],
                },
                "strategy",
                "interventions",
            )
            for so in objectives
        ],
        "timetable": [
            {
                "specific_objective": row.specific_objective,
                "objective": row.objective,
                "main_action": row.main_action,
                "action": row.action_number,
                "name": row.name,
                "planning_start": row.planning_start,
                "implementation_start": row.implementation_start,
                "closing_start": row.closing_start,
            }
            for row in version.timetable.order_by("position")
        ],
        "technical_assistance": format_money(version.technical_assistance),
        "special_cases": {
            "justification": version.special_cases_justification,
            "pledging_periods": version.pledging_periods,
            "types": [
                _drop_empty(
                    {
                        "code": sc.code,
                        "name": sc.name,
                        "category": sc.category,
                        "legal_basis": sc.legal_basis,
                        "annual_amounts": {
                            str(a.year): format_money(a.amount) for a in sc.annual_amounts.all()
                        },
                        "pledges": [_pledge(p) for p in sc.pledges.all()],
                    },
                    "legal_basis",
                )
                for sc in special_types
            ],
        },
        "annual_commitments": [
            {
                "code": row.code,
                "name": row.name,
                "amounts": {str(a.year): format_money(a.amount) for a in row.amounts.all()},
            }
            for row in rows
        ],
    }
    if version.file_format == 2:
        doc.update(_annex_v_parts(version))
    if with_control_totals:
        totals = plan_from_document(doc).totals()
        if version.file_format == 2:
            totals.update(tables_from_document(doc).totals())
        doc["control_totals"] = {key: format_money(value) for key, value in totals.items()}
    return doc


def _allocation(line: AllocationLine) -> dict[str, Any]:
    row = AllocationRow(
        line.specific_objective,
        line.type_of_action,
        line.basis,
        line.eu_contribution,
        line.national_public,
        line.national_private,
    )
    return {
        "specific_objective": line.specific_objective,
        "type_of_action": line.type_of_action,
        "basis": line.basis,
        "eu_contribution": format_money(line.eu_contribution),
        "national_public": format_money(line.national_public),
        "national_private": format_money(line.national_private),
        "total": format_money(row.total),
        "co_financing_rate": str(row.rate),
    }


def _percent(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _annex_v_parts(version: ProgrammeVersion) -> dict[str, Any]:
    """The format-2 parts (2021-2027 template, Regulation (EU) 2021/1060 Annex V); empty parts are left
    out. Totals and rates are computed here, never read from storage."""
    appropriations: dict[str, dict[str, str | None]] = {}
    by_type = defaultdict(list)
    for a in version.appropriations.all():
        by_type[a.allocation_type].append(a)
    for kind in ALLOCATION_TYPES:
        if by_type.get(kind):
            appropriations[kind] = {
                str(a.year): format_money(a.amount) for a in sorted(by_type[kind], key=lambda a: a.year)
            }
    parts: dict[str, Any] = {
        "appropriations": appropriations,
        "allocations": [_allocation(line) for line in version.allocation_lines.order_by("position")],
        "fund_transfers": [
            _drop_empty(
                {
                    "direction": t.direction,
                    "counterpart": t.counterpart,
                    "year": t.year,
                    "amount": format_money(t.amount),
                },
                "year",
            )
            for t in version.fund_transfers.order_by("position")
        ],
        "thematic_facility": [
            _drop_empty(
                {
                    "specific_objective": t.specific_objective,
                    "modality": t.modality,
                    "intervention_code": t.intervention_code,
                    "eu_contribution": format_money(t.eu_contribution),
                    "description": t.description,
                },
                "intervention_code",
                "description",
            )
            for t in version.thematic_facility.order_by("position")
        ],
        "simplified_costs": [
            _drop_empty(
                {
                    "specific_objective": c.specific_objective,
                    "kind": c.kind,
                    "operation": c.operation,
                    "indicator": c.indicator,
                    "unit": c.unit,
                    "amount": format_money(c.amount),
                    "rate": _percent(c.rate),
                    "share": _percent(c.share),
                },
                "indicator",
                "unit",
                "amount",
                "rate",
                "share",
            )
            for c in version.simplified_costs.order_by("position")
        ],
        "financing_not_linked_to_costs": [
            _drop_empty(
                {
                    "specific_objective": f.specific_objective,
                    "operation": f.operation,
                    "conditions": f.conditions,
                    "amount": format_money(f.amount),
                },
                "conditions",
            )
            for f in version.non_cost_financing.order_by("position")
        ],
        "enabling_conditions": [
            _drop_empty(
                {
                    "code": c.code,
                    "name": c.name,
                    "fulfilled": c.fulfilled,
                    "criteria": c.criteria,
                    "justification": c.justification,
                },
                "criteria",
                "justification",
            )
            for c in version.enabling_conditions.order_by("position")
        ],
    }
    return _drop_empty(parts, *parts)


def annex_v_data(version: ProgrammeVersion) -> dict[str, Any] | None:
    """The 2021-2027 financing tables with every total and rate, for the pages; None for format 1."""
    if version.file_format != 2:
        return None
    doc = version_document(version, with_control_totals=False)
    tables = tables_from_document(doc)
    return {
        "appropriation_rows": [
            {
                "type": kind,
                "amounts": [tables.appropriations[kind].get(y) for y in tables.years],
                "total": tables.appropriation_total(kind),
            }
            for kind in ALLOCATION_TYPES
            if kind in tables.appropriations
        ],
        "years": tables.years,
        "appropriations_per_year": [tables.appropriations_in_year(y) for y in tables.years],
        "appropriations_total": tables.appropriations_total,
        "allocations": tables.allocations,
        "allocations_eu": tables.eu_total,
        "allocations_public": tables.national_public_total,
        "allocations_private": tables.national_private_total,
        "allocations_total": tables.total,
        "initial_allocation": tables.initial_allocation,
        "objective_shares": [
            {
                "code": code,
                "eu": tables.objective_eu(code),
                "share": percent(tables.objective_eu(code), tables.initial_allocation),
            }
            for code in tables.objectives
        ],
        "document": doc,
    }


def version_financing_plan(version: ProgrammeVersion) -> FinancingPlan:
    return plan_from_document(version_document(version, with_control_totals=False))


def financing_plan_data(version: ProgrammeVersion) -> dict[str, Any]:
    """Tables 1-3 with every total, amounts as decimal strings (the CLI's and the API's shape); a
    format-2 version adds `annex_v`, the 2021-2027 financing tables."""
    data = _tables_1_to_3(version)
    if version.file_format == 2:
        data["annex_v"] = _annex_v_plan(version)
    return data


def _annex_v_plan(version: ProgrammeVersion) -> dict[str, Any]:
    tables = tables_from_document(version_document(version, with_control_totals=False))
    money = format_money
    return {
        "appropriations": {
            kind: {str(y): money(a) for y, a in sorted(tables.appropriations[kind].items())}
            for kind in ALLOCATION_TYPES
            if kind in tables.appropriations
        },
        "appropriations_per_year": {str(y): money(tables.appropriations_in_year(y)) for y in tables.years},
        "appropriations_total": money(tables.appropriations_total),
        "initial_allocation": money(tables.initial_allocation),
        "allocations": [
            {
                "specific_objective": row.specific_objective,
                "type_of_action": row.type_of_action,
                "basis": row.basis,
                "eu_contribution": money(row.eu_contribution),
                "national_public": money(row.national_public),
                "national_private": money(row.national_private),
                "total": money(row.total),
                "co_financing_rate": str(row.rate),
            }
            for row in tables.allocations
        ],
        "eu_contribution": money(tables.eu_total),
        "national_public": money(tables.national_public_total),
        "national_private": money(tables.national_private_total),
        "total": money(tables.total),
        "share_of_initial_allocation": {
            code: str(percent(tables.objective_eu(code), tables.initial_allocation))
            for code in tables.objectives
        },
    }


def _tables_1_to_3(version: ProgrammeVersion) -> dict[str, Any]:
    plan = version_financing_plan(version)
    money = format_money
    return {
        "cci": version.programme.cci,
        "version": version.number,
        "total": money(plan.total),
        "specific_objectives": [
            {
                "code": so.code,
                "name": so.name,
                "total": money(so.total),
                "national_objectives_total": money(so.national_total),
                "specific_actions_total": money(so.specific_action_total),
                "share_of_basic_allocation": (
                    f"{(so.total / plan.basic_allocation * 100):.2f}" if plan.basic_allocation else None
                ),
                "national_objectives": [
                    {
                        "code": line.code,
                        "name": line.name,
                        "total": money(line.amount or ZERO),
                        "programmed": line.amount is not None,
                    }
                    for line in so.national_objectives
                ],
                "specific_actions": [
                    {
                        "code": line.code,
                        "name": line.name,
                        "total": money(line.amount or ZERO),
                        "programmed": line.amount is not None,
                    }
                    for line in so.specific_actions
                ],
            }
            for so in plan.specific_objectives
        ],
        "technical_assistance": money(plan.technical_assistance or ZERO),
        "special_cases": money(plan.special_cases_total),
        "basic_allocation": money(plan.basic_allocation),
        "years": plan.years,
        "table2": {
            "rows": [
                {
                    "code": sc.code,
                    "name": sc.name,
                    "amounts": {str(y): money(sc.annual.get(y)) for y in plan.years if y in sc.annual},
                    "total": money(sc.total),
                    "persons": sc.persons,
                    "pledged": money(sc.pledged),
                }
                for sc in plan.special_cases
            ],
            "per_year": {str(y): money(plan.special_cases_in_year(y)) for y in plan.years},
            "total": money(plan.special_cases_total),
        },
        "table3": {
            "rows": [
                {
                    "code": row.code,
                    "name": row.name,
                    "amounts": {str(y): money(row.annual.get(y)) for y in plan.years if y in row.annual},
                    "total": money(row.total),
                }
                for row in plan.commitments
            ],
            "per_year": {str(y): money(plan.commitments_in_year(y)) for y in plan.years},
            "total": money(plan.commitments_total),
        },
    }


def common_indicator_catalogue(fund: str, period: str) -> dict[tuple[str, str], str]:
    """{(specific objective, code): unit} of the fund and period's common indicators."""
    return {
        (row.specific_objective, row.code): row.unit
        for row in CommonIndicator.objects.filter(fund__code=fund, period__code=period)
    }


def intervention_catalogue(fund: str, period: str) -> dict[str, frozenset[str]]:
    """{dimension: codes} of the fund and period's types of intervention (an empty set where the
    reference data has no code list yet); {} when the fund and period have none. A code that belongs
    to one specific objective is given as `objective_code(objective, code)` ("SO1:001")."""
    codes: dict[str, set[str]] = {
        d.code: set() for d in InterventionDimension.objects.filter(fund__code=fund, period__code=period)
    }
    for row in InterventionCode.objects.filter(
        dimension__fund__code=fund, dimension__period__code=period
    ).select_related("dimension"):
        codes[row.dimension.code].add(
            objective_code(row.specific_objective, row.code) if row.specific_objective else row.code
        )
    return {dimension: frozenset(values) for dimension, values in codes.items()}


def intervention_labels(version: ProgrammeVersion) -> dict[tuple[str, str], str]:
    """{(dimension, code): label} of the version's fund and period, for the pages; a code that belongs
    to one specific objective is keyed `objective_code(objective, code)`."""
    programme = version.programme
    return {
        (
            row.dimension.code,
            objective_code(row.specific_objective, row.code) if row.specific_objective else row.code,
        ): row.label
        for row in InterventionCode.objects.filter(
            dimension__fund_id=programme.fund_id, dimension__period_id=programme.period_id
        ).select_related("dimension")
    }


def version_intervention_catalogue(version: ProgrammeVersion) -> dict[str, frozenset[str]]:
    programme = version.programme
    return intervention_catalogue(programme.fund.code, programme.period.code)


def version_catalogue(version: ProgrammeVersion) -> dict[tuple[str, str], str]:
    programme = version.programme
    return common_indicator_catalogue(programme.fund.code, programme.period.code)


def initial_document(programme: Programme, up_to: int) -> dict[str, Any] | None:
    """The first adopted version numbered `up_to` or lower: the "initial allocation" that
    Regulation (EU) 2021/1060 Art. 24(5) measures transfers against. None when there is none."""
    first = (
        programme.versions.filter(status=ProgrammeVersion.Status.ADOPTED, number__lte=up_to)
        .order_by("number")
        .first()
    )
    return version_document(first, with_control_totals=False) if first else None


# -- the plan's commitments per year (read by the dashboard and the declarations) -------------------


def adopted_version(programme: Programme) -> ProgrammeVersion | None:
    """The version the plan figures come from: the latest adopted one, else the latest."""
    versions = list(programme.versions.order_by("-number"))
    adopted = [v for v in versions if v.status == ProgrammeVersion.Status.ADOPTED]
    found = adopted or versions
    return found[0] if found else None


def plan_source(version: ProgrammeVersion | None) -> Any:
    """The version's plan, read once per page (the programme document takes some twenty queries):
    2021-2027 the Annex V data, 2014-2020 the financing plan."""
    if version is None:
        return None
    return annex_v_data(version) if version.file_format == 2 else version_financing_plan(version)


def annual_commitments(version: ProgrammeVersion | None, source: Any = None) -> dict[int, Decimal]:
    """The plan's EU commitments per year: 2014-2020 Table 3 of the financing plan (Implementing
    Reg. (EU) No 802/2014), 2021-2027 the appropriations per year (CPR Annex V, table 1). `source`
    is the version's `plan_source`, when the caller already read it."""
    if version is None:
        return {}
    source = plan_source(version) if source is None else source
    if source is None:
        return {}
    if version.file_format == 2:
        return {
            int(y): Decimal(str(v))
            for y, v in zip(source["years"], source["appropriations_per_year"], strict=True)
        }
    return {int(year): Decimal(str(source.commitments_in_year(year))) for year in source.years}


def programme_commitments(programme: Programme) -> dict[int, Decimal]:
    """`annual_commitments` of the programme's adopted version (else its latest)."""
    return annual_commitments(adopted_version(programme))
