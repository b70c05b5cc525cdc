"""Reads. The canonical document of a version is built from a fixed number of queries (no N+1)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from amis.programme.models import (
    Action,
    AnnualCommitmentRow,
    CommonIndicator,
    Indicator,
    NationalObjective,
    Pledge,
    Programme,
    ProgrammeVersion,
    SpecialCaseType,
    SpecificAction,
    SpecificObjective,
)
from amis.programme.rules.financing import FinancingPlan, plan_from_document
from amis.programme.rules.money import format_money

FORMAT = "amis-programme/1"
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
            "baseline": str(ind.baseline),
            "target": str(ind.target),
            "source": ind.source,
        },
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
        "format": FORMAT,
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
                },
                "strategy",
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
    if with_control_totals:
        plan = plan_from_document(doc)
        doc["control_totals"] = {key: format_money(value) for key, value in plan.totals().items()}
    return doc


def version_financing_plan(version: ProgrammeVersion) -> FinancingPlan:
    return plan_from_document(version_document(version, with_control_totals=False))


def financing_plan_data(version: ProgrammeVersion) -> dict[str, Any]:
    """Tables 1-3 with every total, amounts as decimal strings (the CLI's and the API's shape)."""
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
