"""Programme endpoints. A national programme is public information (Reg. 514/2014 Art. 53), so reads
need no login; writes arrive with the roles of the organisations issue."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Router, Schema

from amis.accounts.api_auth import PUBLIC
from amis.accounts.permissions import check, roles_text
from amis.programme import selectors
from amis.programme.exchange.xlsx import workbook_bytes
from amis.programme.rules.validate import validate_document
from amis.programme.rules.versions import diff, needs_new_decision

router = Router(tags=["programmes"])


class ProgrammeOut(Schema):
    cci: str
    member_state: str
    fund: str
    period: str
    title: dict[str, str]
    languages: list[str]
    latest_version: int | None


class VersionOut(Schema):
    number: int
    status: str
    decision_reference: str | None
    decision_date: str | None
    note: str
    lock_version: int


class AmountLine(Schema):
    code: str
    name: dict[str, str]
    total: str
    programmed: bool


class ObjectiveTotals(Schema):
    code: str
    name: dict[str, str]
    total: str
    national_objectives_total: str
    specific_actions_total: str
    share_of_basic_allocation: str | None
    national_objectives: list[AmountLine]
    specific_actions: list[AmountLine]


class FinancingPlanOut(Schema):
    cci: str
    version: int
    total: str
    specific_objectives: list[ObjectiveTotals]
    technical_assistance: str
    special_cases: str
    basic_allocation: str
    years: list[int]
    table2: dict[str, Any]
    table3: dict[str, Any]
    annex_v: dict[str, Any] | None = None  # format 2 (2021-2027): appropriations, allocations, shares


class FindingOut(Schema):
    severity: str
    code: str
    message: str
    reference: str


class IndicatorOut(Schema):
    specific_objective: str
    code: str
    kind: str
    name: dict[str, str]
    unit: str
    baseline: str
    target: str
    source: dict[str, str] = {}
    type: str | None = None  # 2021-2027: output or result
    reference_year: int | None = None
    milestone: str | None = None  # 2024


class ChangeOut(Schema):
    path: str
    before: Any
    after: Any
    needs_decision: bool
    reason: str


class DiffOut(Schema):
    cci: str
    from_version: int
    to_version: int
    needs_new_decision: bool
    changes: list[ChangeOut]


def _adopted_only(request: HttpRequest) -> bool:
    """As on the pages: draft and submitted versions are for the authorities (a session or a token
    of a person holding `programme.view_drafts`); everyone else reads adopted versions only."""
    return not check(request.user, "programme.view_drafts").allowed


def _programme_out(p: Any, adopted_only: bool = False) -> dict[str, Any]:
    versions = sorted(v.number for v in p.versions.all() if not adopted_only or v.status == "adopted")
    return {
        "cci": p.cci,
        "member_state": p.member_state.code,
        "fund": p.fund.code,
        "period": p.period.code,
        "title": p.title,
        "languages": p.languages,
        "latest_version": versions[-1] if versions else None,
    }


def _version(request: HttpRequest, cci: str, number: int | None = None) -> Any:
    version = selectors.version_get(cci, number, adopted_only=_adopted_only(request))
    if version is None:
        raise Http404(f"No version {number} of programme {cci}." if number else f"No programme {cci}.")
    return version


def _version_out(v: Any) -> dict[str, Any]:
    return {
        "number": v.number,
        "status": v.status,
        "decision_reference": v.decision_reference,
        "decision_date": v.decision_date.isoformat() if v.decision_date else None,
        "note": v.note,
        "lock_version": v.lock_version,
    }


@router.get(
    "",
    auth=PUBLIC,
    response=list[ProgrammeOut],
    summary="List programmes",
    description=roles_text("programme.view"),
)
def list_programmes(request: HttpRequest) -> list[dict[str, Any]]:
    adopted_only = _adopted_only(request)
    return [_programme_out(p, adopted_only) for p in selectors.programme_list().prefetch_related("versions")]


@router.get(
    "/{cci}",
    auth=PUBLIC,
    response=ProgrammeOut,
    summary="One programme",
    description=roles_text("programme.view"),
)
def get_programme(request: HttpRequest, cci: str) -> dict[str, Any]:
    programme = selectors.programme_get(cci)
    if programme is None:
        raise Http404(f"No programme {cci}.")
    return _programme_out(programme, _adopted_only(request))


@router.get(
    "/{cci}/versions",
    auth=PUBLIC,
    response=list[VersionOut],
    summary="Versions of a programme",
    description=roles_text("programme.view"),
)
def list_versions(request: HttpRequest, cci: str) -> list[dict[str, Any]]:
    programme = selectors.programme_get(cci)
    if programme is None:
        raise Http404(f"No programme {cci}.")
    return [_version_out(v) for v in selectors.version_list(programme, adopted_only=_adopted_only(request))]


@router.get(
    "/{cci}/versions/{number}",
    auth=PUBLIC,
    summary="A version as an amis-programme/1 document",
    description=roles_text("programme.view"),
)
def get_version_document(request: HttpRequest, cci: str, number: int) -> dict[str, Any]:
    return selectors.version_document(_version(request, cci, number))


@router.get(
    "/{cci}/versions/{number}/financing-plan",
    auth=PUBLIC,
    response=FinancingPlanOut,
    summary="Tables 1-3 with totals",
)
def get_financing_plan(request: HttpRequest, cci: str, number: int) -> dict[str, Any]:
    return selectors.financing_plan_data(_version(request, cci, number))


@router.get(
    "/{cci}/versions/{number}/indicators",
    auth=PUBLIC,
    response=list[IndicatorOut],
    summary="Indicators per SO",
    description=roles_text("programme.view"),
)
def get_indicators(request: HttpRequest, cci: str, number: int) -> list[dict[str, Any]]:
    doc = selectors.version_document(_version(request, cci, number), with_control_totals=False)
    return [
        {"specific_objective": so["code"], **ind}
        for so in doc["specific_objectives"]
        for ind in so.get("indicators", [])
    ]


@router.get(
    "/{cci}/versions/{number}/validation",
    auth=PUBLIC,
    response=list[FindingOut],
    summary="Validation findings",
    description=roles_text("programme.view"),
)
def get_validation(request: HttpRequest, cci: str, number: int) -> list[dict[str, str]]:
    v = _version(request, cci, number)
    findings = validate_document(
        selectors.version_document(v),
        selectors.version_catalogue(v),
        selectors.version_intervention_catalogue(v),
    )
    return [f.as_dict() for f in findings]


@router.get(
    "/{cci}/versions/{number}/tables.xlsx",
    auth=PUBLIC,
    summary="Excel workbook of the tables",
    description=roles_text("programme.export"),
)
def get_workbook(request: HttpRequest, cci: str, number: int) -> HttpResponse:
    data = workbook_bytes(selectors.version_document(_version(request, cci, number)))
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{cci}-v{number}.xlsx"'
    return response


@router.get(
    "/{cci}/diff",
    auth=PUBLIC,
    response=DiffOut,
    summary="Changes between two versions",
    description=roles_text("programme.view"),
)
def get_diff(request: HttpRequest, cci: str, v1: int, v2: int) -> dict[str, Any]:
    old, new = _version(request, cci, v1), _version(request, cci, v2)
    changes = diff(
        selectors.version_document(old),
        selectors.version_document(new),
        selectors.initial_document(old.programme, old.number),
    )
    return {
        "cci": cci,
        "from_version": v1,
        "to_version": v2,
        "needs_new_decision": needs_new_decision(changes),
        "changes": [c.as_dict() for c in changes],
    }
