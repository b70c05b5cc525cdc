"""Writes to programmes. Every function runs in one transaction and writes its audit entry in it."""

from __future__ import annotations

import copy
import datetime as dt
import functools
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from amis.accounts.permissions import require
from amis.accounts.services import duty_record, ensure_duty_allowed
from amis.accounts.sod import Duty
from amis.core import audit
from amis.core.errors import ApplicationError, StaleObjectError
from amis.core.transactions import atomic, lock_for_update
from amis.programme.exchange.schema import error_locations, format_version, schema_errors
from amis.programme.models import (
    Action,
    AllocationLine,
    AnnualCommitment,
    AnnualCommitmentRow,
    Appropriation,
    Authority,
    BeneficiaryType,
    EnablingCondition,
    Fund,
    FundTransfer,
    Indicator,
    InterventionAllocation,
    MemberState,
    NationalObjective,
    NonCostFinancing,
    Pledge,
    Programme,
    ProgrammeText,
    ProgrammeVersion,
    ProgrammingPeriod,
    SimplifiedCostOption,
    SpecialCaseAmount,
    SpecialCaseType,
    SpecificAction,
    SpecificActionParticipation,
    SpecificObjective,
    ThematicFacilityLine,
    TimetableEntry,
)
from amis.programme.rules.findings import Finding, Severity
from amis.programme.rules.money import CENT, MONEY_LIMIT, parse_money, parse_required_money
from amis.programme.rules.validate import validate_document
from amis.programme.selectors import (
    common_indicator_catalogue,
    intervention_catalogue,
    version_catalogue,
    version_document,
    version_intervention_catalogue,
)


class ProgrammeFileError(ApplicationError):
    """The file cannot be imported; `problems` lists (path, message) for every bad field."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        lines = "\n".join(f"  {path}: {message}" for path, message in problems)
        super().__init__(
            ngettext(
                "The programme file was not imported (%(count)s problem):",
                "The programme file was not imported (%(count)s problems):",
                len(problems),
            )
            % {"count": len(problems)}
            + f"\n{lines}",
            code="bad_file",
            extra={"problems": [{"path": p, "message": m} for p, m in problems]},
        )
        self.problems = problems


# Rule errors that refuse a file whatever its status: the file contradicts itself.
ALWAYS_BLOCKING = ("STRUCT.", "TOTAL.", "CCI.")
# A version the Member State has submitted or the Commission has adopted must pass every rule.
FINAL_STATUSES = ("submitted", "adopted")


def document_findings(
    doc: dict[str, Any],
    catalogue: Mapping[tuple[str, str], str] | None = None,
    interventions: Mapping[str, frozenset[str]] | None = None,
) -> list[Finding]:
    """The findings of the submission check (`rules.validate`), also for a file that breaks the schema:
    the rules then run over what they can read, so format problems and rule findings show together."""
    readable = (KeyError, TypeError, ValueError, AttributeError, ArithmeticError)
    try:
        return validate_document(doc, catalogue, interventions)
    except readable:
        locations = error_locations(doc)
        if not locations:
            raise
    # The rules read over the fields the schema refused (they are reported already): blank them.
    blanked = copy.deepcopy(doc)
    for location in locations:
        parent: Any = blanked
        for part in location[:-1]:
            parent = parent[part]
        if location and isinstance(parent, dict):
            parent[location[-1]] = None
    try:
        return validate_document(blanked, catalogue, interventions)
    except readable:
        return []  # a part the rules need is too malformed to read; the schema errors say which


def check_document(
    doc: dict[str, Any],
    catalogue: Mapping[tuple[str, str], str] | None = None,
    interventions: Mapping[str, frozenset[str]] | None = None,
) -> list[tuple[str, str]]:
    """Everything that makes a file unimportable: the schema, and the rule errors that block its
    status (references, control totals and the CCI always; every rule error for a submitted or
    adopted version). Each problem is (JSON path or rule code, message)."""
    problems = schema_errors(doc)
    status = (doc.get("version") or {}).get("status") if isinstance(doc.get("version"), dict) else None
    for finding in document_findings(doc, catalogue, interventions):
        if finding.severity != Severity.ERROR:
            continue
        if status in FINAL_STATUSES or finding.code.startswith(ALWAYS_BLOCKING):
            problems.append((finding.code, f"{finding.message} ({finding.reference})"))
    return problems


DECISION_REFERENCE_MAX = ProgrammeVersion._meta.get_field("decision_reference").max_length or 60


def _storable_amount(value: Decimal) -> bool:
    """Zero or more, whole cents, and within NUMERIC(15, 2): 13 digits before the point."""
    return value.is_finite() and value >= 0 and value < MONEY_LIMIT and value == value.quantize(CENT)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _unknown(what: str, code: str) -> str:
    """The problem of a fund, period or member state code AMIS does not know, in the reader's language."""
    unknown = {
        "fund": _("'%(code)s' is not a fund known to AMIS."),
        "period": _("'%(code)s' is not a period known to AMIS."),
        "member_state": _("'%(code)s' is not a member state known to AMIS."),
    }
    return unknown[what] % {"code": code}


def _reference(model: Any, code: str, what: str) -> Any:
    obj = model.objects.filter(code=code).first()
    if obj is None:
        raise ProgrammeFileError([(f"$.programme.{what}", _unknown(what, code))])
    return obj


@atomic
def programme_import(
    *, document: dict[str, Any], actor: Any = None, actor_label: str = ""
) -> ProgrammeVersion:
    """Create the programme (if new) and the version the document describes; all or nothing.

    The file goes through the same rules as a submission (`document_findings`); a draft may be
    imported with rule errors (`amis programme validate` lists them), a submitted or adopted version
    may not."""
    meta: dict[str, Any] = document["programme"] if isinstance(document.get("programme"), dict) else {}
    problems = [
        (f"$.programme.{what}", _unknown(what, meta[what]))
        for what, model in (("fund", Fund), ("period", ProgrammingPeriod), ("member_state", MemberState))
        if isinstance(meta.get(what), str) and not model.objects.filter(code=meta[what]).exists()
    ]
    catalogue = common_indicator_catalogue(str(meta.get("fund", "")), str(meta.get("period", "")))
    interventions = intervention_catalogue(str(meta.get("fund", "")), str(meta.get("period", "")))
    problems += check_document(document, catalogue, interventions)
    if problems:
        raise ProgrammeFileError(problems)
    fund = _reference(Fund, meta["fund"], "fund")
    period = _reference(ProgrammingPeriod, meta["period"], "period")
    member_state = _reference(MemberState, meta["member_state"], "member_state")
    programme = lock_for_update(Programme.objects).filter(cci=meta["cci"]).first()
    if programme is None:
        programme = Programme.objects.create(
            cci=meta["cci"],
            member_state=member_state,
            fund=fund,
            period=period,
            title=meta["title"],
            languages=meta["languages"],
        )
        audit.record(
            actor=actor,
            actor_label=actor_label,
            action="create",
            obj=programme,
            after={"cci": programme.cci, "fund": fund.code, "period": period.code},
        )
    elif (programme.fund_id, programme.period_id, programme.member_state_id) != (
        fund.pk,
        period.pk,
        member_state.pk,
    ):
        raise ProgrammeFileError(
            [
                (
                    "$.programme",
                    _("Programme %(cci)s already exists with another fund, period or member state.")
                    % {"cci": programme.cci},
                )
            ]
        )
    number = document["version"]["number"]
    if programme.versions.filter(number=number).exists():
        raise ProgrammeFileError(
            [
                (
                    "$.version.number",
                    _("Programme %(cci)s already has version %(number)s. Give the file a new version number.")
                    % {"cci": programme.cci, "number": number},
                )
            ]
        )
    version = _create_version(programme, document)
    audit.record(
        actor=actor,
        actor_label=actor_label,
        action="import",
        obj=version,
        after={"number": version.number, "status": version.status},
    )
    return version


def _create_version(programme: Programme, doc: dict[str, Any]) -> ProgrammeVersion:
    meta = doc["version"]
    special = doc.get("special_cases") or {}
    version = ProgrammeVersion.objects.create(
        programme=programme,
        number=meta["number"],
        status=meta["status"],
        decision_reference=meta.get("decision_reference") or "",
        decision_date=_date(meta.get("decision_date")),
        note=meta.get("note", ""),
        technical_assistance=parse_money(doc.get("technical_assistance")),
        management_and_control_system=doc.get("management_and_control_system", {}),
        pledging_periods=special.get("pledging_periods", []),
        special_cases_justification=special.get("justification", {}),
        file_format=format_version(doc),
    )
    Authority.objects.bulk_create(
        Authority(
            version=version,
            position=i,
            kind=a["kind"],
            name=a["name"],
            person_responsible=a.get("person_responsible", ""),
            address=a.get("address", ""),
            email=a.get("email", ""),
            designation_date=_date(a.get("designation_date")),
            delegated_activities=a.get("delegated_activities", ""),
        )
        for i, a in enumerate(doc.get("authorities", []))
    )
    ProgrammeText.objects.bulk_create(
        ProgrammeText(version=version, section=section, language=lang, body=body)
        for section, by_lang in doc.get("texts", {}).items()
        for lang, body in by_lang.items()
    )
    BeneficiaryType.objects.bulk_create(
        BeneficiaryType(version=version, position=i, code=b["code"], name=b["name"])
        for i, b in enumerate(doc.get("beneficiary_types", []))
    )
    for i, so_doc in enumerate(doc["specific_objectives"]):
        so = SpecificObjective.objects.create(
            version=version,
            position=i,
            code=so_doc["code"],
            name=so_doc["name"],
            strategy=so_doc.get("strategy", {}),
        )
        for j, no_doc in enumerate(so_doc.get("national_objectives", [])):
            no = NationalObjective.objects.create(
                specific_objective=so,
                position=j,
                code=no_doc["code"],
                name=no_doc["name"],
                text=no_doc.get("text", {}),
                amount=parse_money(no_doc.get("amount")),
            )
            Action.objects.bulk_create(
                Action(
                    national_objective=no,
                    number=a["number"],
                    title=a["title"],
                    scope=a.get("scope", ""),
                    example_actions=a.get("example_actions", {}),
                    desired_outcomes=a.get("desired_outcomes", {}),
                )
                for a in no_doc.get("actions", [])
            )
        for j, sa_doc in enumerate(so_doc.get("specific_actions", [])):
            sa = SpecificAction.objects.create(
                specific_objective=so,
                position=j,
                code=sa_doc["code"],
                name=sa_doc["name"],
                text=sa_doc.get("text", {}),
                amount=parse_money(sa_doc.get("amount")),
            )
            SpecificActionParticipation.objects.bulk_create(
                SpecificActionParticipation(
                    specific_action=sa,
                    position=k,
                    name=p["name"],
                    role=p["role"],
                    lead_member_state=p.get("lead_member_state", ""),
                    description=p.get("description", {}),
                )
                for k, p in enumerate(sa_doc.get("participations", []))
            )
        Indicator.objects.bulk_create(
            Indicator(
                specific_objective=so,
                position=j,
                code=ind["code"],
                kind=ind.get("kind", "common"),
                name=ind["name"],
                unit=ind["unit"],
                indicator_type=ind.get("type", ""),
                baseline=Decimal(ind["baseline"]),
                reference_year=ind.get("reference_year"),
                milestone=Decimal(ind["milestone"]) if ind.get("milestone") is not None else None,
                target=Decimal(ind["target"]),
                source=ind.get("source", {}),
            )
            for j, ind in enumerate(so_doc.get("indicators", []))
        )
        InterventionAllocation.objects.bulk_create(
            InterventionAllocation(
                specific_objective=so,
                position=j,
                dimension=entry["dimension"],
                code=entry["code"],
                amount=parse_required_money(entry["amount"]),
            )
            for j, entry in enumerate(so_doc.get("interventions", []))
        )
    TimetableEntry.objects.bulk_create(
        TimetableEntry(
            version=version,
            position=i,
            specific_objective=row["specific_objective"],
            objective=row["objective"],
            main_action=row["main_action"],
            action_number=row.get("action"),
            name=row["name"],
            planning_start=row["planning_start"],
            implementation_start=row["implementation_start"],
            closing_start=row["closing_start"],
        )
        for i, row in enumerate(doc.get("timetable", []))
    )
    for i, sc_doc in enumerate(special.get("types", [])):
        sc = SpecialCaseType.objects.create(
            version=version,
            position=i,
            code=sc_doc["code"],
            name=sc_doc["name"],
            category=sc_doc["category"],
            legal_basis=sc_doc.get("legal_basis", ""),
        )
        SpecialCaseAmount.objects.bulk_create(
            SpecialCaseAmount(special_case=sc, year=int(year), amount=parse_required_money(amount))
            for year, amount in sc_doc.get("annual_amounts", {}).items()
        )
        Pledge.objects.bulk_create(
            Pledge(
                special_case=sc,
                position=j,
                name=p["name"],
                group=p.get("group", "other"),
                from_country=p.get("from_country") or "",
                to_country=p.get("to_country") or "",
                lump_sum=parse_required_money(p["lump_sum"]),
                persons=p["persons"],
            )
            for j, p in enumerate(sc_doc.get("pledges", []))
        )
    for i, row_doc in enumerate(doc.get("annual_commitments", [])):
        row = AnnualCommitmentRow.objects.create(
            version=version, position=i, code=row_doc["code"], name=row_doc["name"]
        )
        AnnualCommitment.objects.bulk_create(
            AnnualCommitment(row=row, year=int(year), amount=parse_required_money(amount))
            for year, amount in row_doc["amounts"].items()
        )
    _create_annex_v_parts(version, doc)
    return version


def _create_annex_v_parts(version: ProgrammeVersion, doc: dict[str, Any]) -> None:
    """The parts of format 2 (2021-2027 template, Regulation (EU) 2021/1060 Annex V). Totals and
    co-financing rates a file declares are checked by the rules and not stored."""
    Appropriation.objects.bulk_create(
        Appropriation(
            version=version, allocation_type=kind, year=int(year), amount=parse_required_money(amount)
        )
        for kind, amounts in (doc.get("appropriations") or {}).items()
        for year, amount in (amounts or {}).items()
    )
    AllocationLine.objects.bulk_create(
        AllocationLine(
            version=version,
            position=i,
            specific_objective=line["specific_objective"],
            type_of_action=line["type_of_action"],
            basis=line["basis"],
            eu_contribution=parse_required_money(line["eu_contribution"]),
            national_public=parse_required_money(line["national_public"]),
            national_private=parse_required_money(line["national_private"]),
        )
        for i, line in enumerate(doc.get("allocations") or [])
    )
    FundTransfer.objects.bulk_create(
        FundTransfer(
            version=version,
            position=i,
            direction=t["direction"],
            counterpart=t["counterpart"],
            year=t.get("year"),
            amount=parse_required_money(t["amount"]),
        )
        for i, t in enumerate(doc.get("fund_transfers") or [])
    )
    ThematicFacilityLine.objects.bulk_create(
        ThematicFacilityLine(
            version=version,
            position=i,
            specific_objective=t["specific_objective"],
            modality=t["modality"],
            intervention_code=t.get("intervention_code", ""),
            eu_contribution=parse_required_money(t["eu_contribution"]),
            description=t.get("description", {}),
        )
        for i, t in enumerate(doc.get("thematic_facility") or [])
    )
    SimplifiedCostOption.objects.bulk_create(
        SimplifiedCostOption(
            version=version,
            position=i,
            specific_objective=c["specific_objective"],
            kind=c["kind"],
            operation=c["operation"],
            indicator=c.get("indicator", {}),
            unit=c.get("unit", ""),
            amount=parse_money(c.get("amount")),
            rate=Decimal(c["rate"]) if c.get("rate") is not None else None,
            share=Decimal(c["share"]) if c.get("share") is not None else None,
        )
        for i, c in enumerate(doc.get("simplified_costs") or [])
    )
    NonCostFinancing.objects.bulk_create(
        NonCostFinancing(
            version=version,
            position=i,
            specific_objective=f["specific_objective"],
            operation=f["operation"],
            conditions=f.get("conditions", {}),
            amount=parse_required_money(f["amount"]),
        )
        for i, f in enumerate(doc.get("financing_not_linked_to_costs") or [])
    )
    EnablingCondition.objects.bulk_create(
        EnablingCondition(
            version=version,
            position=i,
            code=c["code"],
            name=c["name"],
            fulfilled=c["fulfilled"],
            criteria=c.get("criteria", {}),
            justification=c.get("justification", {}),
        )
        for i, c in enumerate(doc.get("enabling_conditions") or [])
    )


def _check_lock(version: ProgrammeVersion, expected_lock_version: int) -> ProgrammeVersion:
    current = lock_for_update(ProgrammeVersion.objects).get(pk=version.pk)
    if current.lock_version != expected_lock_version:
        raise StaleObjectError(f"Version {current.number} of {version.programme.cci}")
    return current


@atomic
def version_create_draft(
    *, source: ProgrammeVersion, actor: Any = None, actor_label: str = ""
) -> ProgrammeVersion:
    """Start a new draft version as a copy of `source` (the Commission works on whole versions)."""
    programme = lock_for_update(Programme.objects).get(pk=source.programme_id)
    if programme.versions.filter(status=ProgrammeVersion.Status.DRAFT).exists():
        raise ApplicationError(f"{programme.cci} already has a draft version; finish or submit it first.")
    doc = version_document(source, with_control_totals=False)
    last = programme.versions.order_by("-number").first()
    doc["version"] = {
        "number": (last.number if last else 0) + 1,
        "status": ProgrammeVersion.Status.DRAFT,
        "decision_reference": None,
        "decision_date": None,
        "note": f"Draft started from version {source.number}.",
    }
    version = _create_version(programme, doc)
    duty_record(user=actor, duty=Duty.PREPARE, obj=version)
    audit.record(
        actor=actor,
        actor_label=actor_label,
        action="create",
        obj=version,
        after={"number": version.number, "from_version": source.number},
    )
    return version


@atomic
def version_update_financing_plan(
    *,
    version: ProgrammeVersion,
    expected_lock_version: int,
    amounts: dict[str, Decimal | None],
    technical_assistance: Decimal | None,
    actor: Any = None,
    actor_label: str = "",
) -> ProgrammeVersion:
    """Change Table 1 amounts of a draft. `amounts` maps 'SO1.NO1' / 'SO3.SA5' to the new amount."""
    current = _check_lock(version, expected_lock_version)
    if current.status != ProgrammeVersion.Status.DRAFT:
        raise ApplicationError(f"Version {current.number} is {current.status}; only a draft can be changed.")
    for key, value in list(amounts.items()) + [("technical_assistance", technical_assistance)]:
        if value is not None and not _storable_amount(value):
            raise ApplicationError(
                f"{key}: amounts must be zero or more, with at most two decimals and at most 13 digits "
                "before the point."
            )
    before: dict[str, str | None] = {}
    after: dict[str, str | None] = {}
    lines = {
        f"{line.specific_objective.code}.{line.code}": line
        for model in (NationalObjective, SpecificAction)
        for line in model.objects.select_related("specific_objective").filter(
            specific_objective__version=current
        )
    }
    unknown = sorted(set(amounts) - set(lines))
    if unknown:
        raise ApplicationError(f"Version {current.number} has no line {', '.join(unknown)}.")
    for key, value in amounts.items():
        line = lines[key]
        if line.amount != value:
            before[key], after[key] = _str(line.amount), _str(value)
            line.amount = value
            line.save(update_fields=["amount"])
    if current.technical_assistance != technical_assistance:
        before["technical_assistance"] = _str(current.technical_assistance)
        after["technical_assistance"] = _str(technical_assistance)
        current.technical_assistance = technical_assistance
    current.lock_version += 1
    current.save(update_fields=["technical_assistance", "lock_version", "updated_at"])
    duty_record(user=actor, duty=Duty.PREPARE, obj=current)
    audit.record(
        actor=actor, actor_label=actor_label, action="update", obj=current, before=before, after=after
    )
    return current


CONTRIBUTIONS = ("eu_contribution", "national_public", "national_private")


@atomic
def version_update_allocations(
    *,
    version: ProgrammeVersion,
    expected_lock_version: int,
    contributions: dict[str, dict[str, Decimal]],
    actor: Any = None,
    actor_label: str = "",
) -> ProgrammeVersion:
    """Change the contributions of a format-2 draft's allocation lines. `contributions` maps
    'SO1.regular' to {eu_contribution, national_public, national_private}. Totals and rates stay derived;
    the period's rules (ceilings, shares, appropriations) are reported by validation, as for any draft."""
    current = _check_lock(version, expected_lock_version)
    if current.status != ProgrammeVersion.Status.DRAFT:
        raise ApplicationError(f"Version {current.number} is {current.status}; only a draft can be changed.")
    lines = {
        f"{line.specific_objective}.{line.type_of_action}": line for line in current.allocation_lines.all()
    }
    unknown = sorted(set(contributions) - set(lines))
    if unknown:
        raise ApplicationError(f"Version {current.number} has no allocation line {', '.join(unknown)}.")
    for key, values in contributions.items():
        for field in CONTRIBUTIONS:
            value = values.get(field)
            if value is None or not _storable_amount(value):
                raise ApplicationError(
                    f"{key} {field}: amounts must be zero or more, with at most two decimals and at most "
                    "13 digits before the point."
                )
    before: dict[str, str | None] = {}
    after: dict[str, str | None] = {}
    for key, values in contributions.items():
        line = lines[key]
        changed = []
        for field in CONTRIBUTIONS:
            if getattr(line, field) != values[field]:
                before[f"{key}.{field}"] = _str(getattr(line, field))
                after[f"{key}.{field}"] = _str(values[field])
                setattr(line, field, values[field])
                changed.append(field)
        if changed:
            line.save(update_fields=changed)
    current.lock_version += 1
    current.save(update_fields=["lock_version", "updated_at"])
    duty_record(user=actor, duty=Duty.PREPARE, obj=current)
    audit.record(
        actor=actor, actor_label=actor_label, action="update", obj=current, before=before, after=after
    )
    return current


def _str(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


ALLOWED_STATUS = {
    ProgrammeVersion.Status.DRAFT: {ProgrammeVersion.Status.SUBMITTED},
    ProgrammeVersion.Status.SUBMITTED: {ProgrammeVersion.Status.ADOPTED, ProgrammeVersion.Status.DRAFT},
    ProgrammeVersion.Status.ADOPTED: set(),
}


@atomic
def version_change_status(
    *,
    version: ProgrammeVersion,
    expected_lock_version: int,
    status: str,
    decision_reference: str | None = None,
    decision_date: dt.date | None = None,
    actor: Any = None,
    actor_label: str = "",
) -> ProgrammeVersion:
    """draft -> submitted -> adopted (or back to draft when the Commission returns it)."""
    current = _check_lock(version, expected_lock_version)
    if status not in ALLOWED_STATUS[ProgrammeVersion.Status(current.status)]:
        raise ApplicationError(f"A {current.status} version cannot become {status}.")
    if status == ProgrammeVersion.Status.SUBMITTED:
        findings = validate_document(
            version_document(current), version_catalogue(current), version_intervention_catalogue(current)
        )
        errors = [f for f in findings if f.severity == Severity.ERROR]
        if errors:
            raise ApplicationError(
                "The version has validation errors and cannot be submitted: "
                + "; ".join(f.message for f in errors)
            )
    if status == ProgrammeVersion.Status.ADOPTED and not (decision_reference and decision_date):
        raise ApplicationError("Adoption needs the Commission decision reference and date.")
    if len(decision_reference or "") > DECISION_REFERENCE_MAX:
        raise ApplicationError(
            f"The decision reference has at most {DECISION_REFERENCE_MAX} characters, like C(2015) 5432."
        )
    if status != ProgrammeVersion.Status.DRAFT:
        ensure_duty_allowed(user=actor, duty=Duty.SUBMIT, obj=current)
        duty_record(user=actor, duty=Duty.SUBMIT, obj=current)
    before = {"status": current.status}
    current.status = status
    if status == ProgrammeVersion.Status.ADOPTED:
        current.decision_reference, current.decision_date = decision_reference or "", decision_date
    if status == ProgrammeVersion.Status.DRAFT:  # returned: handed for review again when finished
        current.ready_for_review_at, current.ready_for_review_by = None, None
    current.lock_version += 1
    current.save()
    audit.record(
        actor=actor,
        actor_label=actor_label,
        action="transition",
        obj=current,
        before=before,
        after={
            "status": status,
            "decision_reference": decision_reference,
            "decision_date": decision_date.isoformat() if decision_date else None,
        },
    )
    return current


@atomic
def version_ready_for_review(
    *, version: ProgrammeVersion, expected_lock_version: int, actor: Any
) -> ProgrammeVersion:
    """The officer hands a finished draft to the manager: the version says since when and by whom it
    is ready for review, and the responsible authority's managers are e-mailed (by the worker)."""
    require(actor, "programme.edit")
    current = _check_lock(version, expected_lock_version)
    if current.status != ProgrammeVersion.Status.DRAFT:
        raise ApplicationError(
            f"Version {current.number} is {current.status}; only a draft is handed for review."
        )
    if current.ready_for_review_at is not None:
        raise ApplicationError(f"Version {current.number} is already ready for review.")
    current.ready_for_review_at, current.ready_for_review_by = timezone.now(), actor
    current.lock_version += 1
    current.save()
    audit.record(
        actor=actor,
        action="update",
        obj=current,
        after={"ready_for_review": current.ready_for_review_at.isoformat()},
    )
    from amis.programme import tasks  # the task module imports the services' models, not the reverse

    transaction.on_commit(functools.partial(tasks.send_ready_for_review.enqueue, current.pk))
    return current
