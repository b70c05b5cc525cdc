"""The 2021-2027 programme's financing tables and their rules (format 2 of the programme file).

The CPR's programme template (Regulation (EU) 2021/1060, Art. 22 and Annex V) holds, besides the
texts: financial appropriations by year and type of allocation; total allocations by specific
objective and type of action with the basis for calculation (total or public), the EU contribution,
the national public and private contributions, the total and the co-financing rate; the indicative
breakdown of each specific objective's EU resources by type of intervention; output and result
indicators with milestone (2024) and target (2029).

Totals and rates are derived here and never stored (docs/decisions/0003-totals-are-derived.md): a
file may declare them, and a declared value that does not reconcile with its parts to the cent is a
`TOTAL.*` error, which refuses the file whatever its status. The ceilings, the share base, the TA
flat rate and the minimum shares are the period's data (`parameters.PeriodRules`), each finding
citing the article the data gives. Pure Python: no Django.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from amis.core import messages
from amis.core.messages import gettext as _
from amis.programme.rules.findings import Finding, Severity
from amis.programme.rules.money import money_sum, parse_money
from amis.programme.rules.parameters import PeriodRules
from amis.programme.rules.shares import base_name

ZERO = Decimal("0.00")
HUNDREDTH = Decimal("0.01")
TEMPLATE = "Regulation (EU) 2021/1060, Art. 22(3) and Annex V"
APPROPRIATIONS_TABLE = "Regulation (EU) 2021/1060, Annex V, financing table 1 (appropriations by year)"
ALLOCATIONS_TABLE = "Regulation (EU) 2021/1060, Annex V, financing table 2 (total allocations)"
INDICATORS = "Regulation (EU) 2021/1060, Art. 22(3)(d)(ii) and Annex V, indicator tables"
INTERVENTIONS = "Regulation (EU) 2021/1060, Art. 22(3)(d)(viii) and Annex V, types of intervention"

ALLOCATION_TYPES = (
    "initial_allocation",
    "mid_term_review",
    "thematic_facility",
    "transfer_in",
    "transfer_out",
)
# The type of action of an allocation line -> the co_financing entry of period-rules.yaml that caps it.
# Resettlement, humanitarian admission and transfers are paid as lump sums per person (AMIF Art. 19
# and 20), checked against the pledges, not against a co-financing rate.
CEILING_OF = {
    "regular": "standard",
    "specific_actions": "specific_actions",
    "annex_iv": "annex_iv_actions",
    "operating_support": "operating_support",
    "emergency_assistance": "emergency_assistance",
    "technical_assistance": "technical_assistance",
}


def percent(part: Decimal, whole: Decimal) -> Decimal:
    """part / whole as a percentage with two decimals (half up); 0.00 when the whole is zero."""
    if whole <= 0:
        return ZERO
    return (part * 100 / whole).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class AllocationRow:
    specific_objective: str
    type_of_action: str
    basis: str  # "total" or "public"
    eu_contribution: Decimal
    national_public: Decimal
    national_private: Decimal
    declared_total: Decimal | None = None
    declared_rate: Decimal | None = None

    @property
    def total(self) -> Decimal:
        return self.eu_contribution + self.national_public + self.national_private

    @property
    def basis_amount(self) -> Decimal:
        """What the co-financing rate is a share of: the total, or the public part only."""
        return self.total if self.basis == "total" else self.eu_contribution + self.national_public

    @property
    def rate(self) -> Decimal:
        """Co-financing rate in %, EU contribution / basis for calculation."""
        return percent(self.eu_contribution, self.basis_amount)


@dataclass(frozen=True)
class AnnexVTables:
    appropriations: dict[str, dict[int, Decimal]] = field(default_factory=dict)
    allocations: list[AllocationRow] = field(default_factory=list)

    @property
    def present(self) -> bool:
        return bool(self.appropriations or self.allocations)

    def appropriation_total(self, kind: str) -> Decimal:
        return money_sum(list(self.appropriations.get(kind, {}).values()))

    @property
    def years(self) -> list[int]:
        return sorted({year for amounts in self.appropriations.values() for year in amounts})

    def appropriations_in_year(self, year: int) -> Decimal:
        """The year's appropriations: every type of allocation, transfers out taken off."""
        total = ZERO
        for kind, amounts in self.appropriations.items():
            amount = amounts.get(year, ZERO)
            total += -amount if kind == "transfer_out" else amount
        return total

    @property
    def appropriations_total(self) -> Decimal:
        return money_sum([self.appropriations_in_year(year) for year in self.years])

    @property
    def initial_allocation(self) -> Decimal:
        return self.appropriation_total("initial_allocation")

    def objective_eu(self, code: str) -> Decimal:
        return money_sum([row.eu_contribution for row in self.allocations if row.specific_objective == code])

    @property
    def objectives(self) -> list[str]:
        return list(dict.fromkeys(row.specific_objective for row in self.allocations))

    @property
    def eu_total(self) -> Decimal:
        return money_sum([row.eu_contribution for row in self.allocations])

    @property
    def national_public_total(self) -> Decimal:
        return money_sum([row.national_public for row in self.allocations])

    @property
    def national_private_total(self) -> Decimal:
        return money_sum([row.national_private for row in self.allocations])

    @property
    def total(self) -> Decimal:
        return money_sum([row.total for row in self.allocations])

    def totals(self) -> dict[str, Decimal]:
        """Every total under the keys of the file's `control_totals` (format 2)."""
        out: dict[str, Decimal] = {}
        if self.appropriations:
            for kind in ALLOCATION_TYPES:
                if kind in self.appropriations:
                    out[f"appropriations.{kind}"] = self.appropriation_total(kind)
            for year in self.years:
                out[f"appropriations.{year}"] = self.appropriations_in_year(year)
            out["appropriations.total"] = self.appropriations_total
        if self.allocations:
            for code in self.objectives:
                out[f"allocations.{code}"] = self.objective_eu(code)
            out["allocations.eu_contribution"] = self.eu_total
            out["allocations.national_public"] = self.national_public_total
            out["allocations.national_private"] = self.national_private_total
            out["allocations.total"] = self.total
        return out


def _rate(value: Any) -> Decimal | None:
    return Decimal(value) if isinstance(value, str) and value else None


def tables_from_document(doc: dict[str, Any]) -> AnnexVTables:
    appropriations = {
        kind: {int(year): parse_money(amount) or ZERO for year, amount in (amounts or {}).items()}
        for kind, amounts in (doc.get("appropriations") or {}).items()
        if amounts is not None
    }
    allocations = [
        AllocationRow(
            specific_objective=str(line.get("specific_objective")),
            type_of_action=str(line.get("type_of_action")),
            basis=str(line.get("basis", "total")),
            eu_contribution=parse_money(line.get("eu_contribution")) or ZERO,
            national_public=parse_money(line.get("national_public")) or ZERO,
            national_private=parse_money(line.get("national_private")) or ZERO,
            declared_total=parse_money(line.get("total")),
            declared_rate=_rate(line.get("co_financing_rate")),
        )
        for line in doc.get("allocations") or []
    ]
    return AnnexVTables(appropriations, allocations)


def _label(row: AllocationRow, index: int) -> str:
    return _("Allocation line %(line)s (%(objective)s, %(type)s)") % {
        "line": index + 1,
        "objective": row.specific_objective,
        "type": row.type_of_action,
    }


def _basis(row: AllocationRow) -> str:
    """The basis for calculation in the reader's words."""
    return {"total": _("total"), "public": _("public")}.get(row.basis, row.basis)


def _pct(value: Decimal) -> str:
    return messages.figure(value, None)


def check_reconciliation(tables: AnnexVTables) -> list[Finding]:
    """EU + national public + national private = total, and rate = EU / basis, to the cent."""
    findings = []
    for index, row in enumerate(tables.allocations):
        if row.declared_total is not None and row.declared_total != row.total:
            findings.append(
                Finding(
                    Severity.ERROR,
                    "TOTAL.ALLOCATION",
                    _(
                        "%(line)s: the total is given as %(declared)s, but EU %(eu)s + national public "
                        "%(public)s + national private %(private)s = %(total)s."
                    )
                    % {
                        "line": _label(row, index),
                        "declared": messages.amount(row.declared_total),
                        "eu": messages.amount(row.eu_contribution),
                        "public": messages.amount(row.national_public),
                        "private": messages.amount(row.national_private),
                        "total": messages.amount(row.total),
                    },
                    ALLOCATIONS_TABLE,
                )
            )
        if row.declared_rate is not None and row.declared_rate != row.rate:
            findings.append(
                Finding(
                    Severity.ERROR,
                    "TOTAL.RATE",
                    _(
                        "%(line)s: the co-financing rate is given as %(declared)s %%, but EU %(eu)s / "
                        "%(basis)s basis %(basis_amount)s = %(rate)s %%."
                    )
                    % {
                        "line": _label(row, index),
                        "declared": _pct(row.declared_rate),
                        "eu": messages.amount(row.eu_contribution),
                        "basis": _basis(row),
                        "basis_amount": messages.amount(row.basis_amount),
                        "rate": _pct(row.rate),
                    },
                    ALLOCATIONS_TABLE,
                )
            )
    return findings


def check_structure(doc: dict[str, Any], tables: AnnexVTables) -> list[Finding]:
    """Allocation lines name a specific objective of the programme (or TA), once per type of action."""
    known = {so.get("code") for so in doc.get("specific_objectives") or []} | {"TA"}
    findings = []
    seen: set[tuple[str, str]] = set()
    for index, row in enumerate(tables.allocations):
        if row.specific_objective not in known:
            findings.append(
                Finding(
                    Severity.ERROR,
                    "STRUCT.ALLOCATION",
                    _("%(line)s names %(objective)s, which the programme does not have.")
                    % {"line": _label(row, index), "objective": row.specific_objective},
                    ALLOCATIONS_TABLE,
                )
            )
        key = (row.specific_objective, row.type_of_action)
        if key in seen:
            findings.append(
                Finding(
                    Severity.ERROR,
                    "STRUCT.ALLOCATION",
                    _("%(line)s repeats a line: one line per specific objective and type of action.")
                    % {"line": _label(row, index)},
                    ALLOCATIONS_TABLE,
                )
            )
        seen.add(key)
        if row.type_of_action == "technical_assistance" and row.specific_objective != "TA":
            findings.append(
                Finding(
                    Severity.ERROR,
                    "STRUCT.ALLOCATION",
                    _("%(line)s: technical assistance is its own line, under TA.")
                    % {"line": _label(row, index)},
                    ALLOCATIONS_TABLE,
                )
            )
    return findings


def check_appropriations(doc: dict[str, Any], tables: AnnexVTables, period: str) -> list[Finding]:
    findings = []
    years = _period_years(period)
    if years:
        for kind, amounts in tables.appropriations.items():
            for year in sorted(amounts):
                if not years[0] <= year <= years[1]:
                    findings.append(
                        Finding(
                            Severity.ERROR,
                            "APPROP.YEAR",
                            _(
                                "Appropriations '%(kind)s' have an amount for %(year)s, "
                                "outside the period %(period)s."
                            )
                            % {"kind": kind, "year": year, "period": period},
                            APPROPRIATIONS_TABLE,
                        )
                    )
    if tables.appropriations and tables.allocations and tables.appropriations_total != tables.eu_total:
        difference = tables.eu_total - tables.appropriations_total
        findings.append(
            Finding(
                Severity.ERROR,
                "APPROP.ALLOCATIONS",
                (
                    _(
                        "The allocations' EU contribution %(eu)s is %(difference)s more than the "
                        "appropriations by year %(appropriations)s."
                    )
                    if difference > 0
                    else _(
                        "The allocations' EU contribution %(eu)s is %(difference)s less than the "
                        "appropriations by year %(appropriations)s."
                    )
                )
                % {
                    "eu": messages.amount(tables.eu_total),
                    "difference": messages.amount(abs(difference)),
                    "appropriations": messages.amount(tables.appropriations_total),
                },
                APPROPRIATIONS_TABLE,
            )
        )
    return findings


THEMATIC_FACILITY = (
    "Regulation (EU) 2021/1060, Annex V, appendix 3; Regulation (EU) 2021/1147, Art. 11 (not verified)"
)


def check_thematic_facility(doc: dict[str, Any], tables: AnnexVTables) -> list[Finding]:
    """The thematic-facility appendix adds up to the appropriations of type thematic facility."""
    lines = doc.get("thematic_facility") or []
    appropriated = tables.appropriation_total("thematic_facility")
    listed = money_sum([parse_money(line.get("eu_contribution")) for line in lines])
    if not lines and not appropriated:
        return []
    if listed != appropriated:
        return [
            Finding(
                Severity.ERROR,
                "THEMATIC.SUM",
                _(
                    "The thematic-facility appendix lists %(listed)s, but the appropriations of type "
                    "thematic facility come to %(appropriated)s."
                )
                % {"listed": messages.amount(listed), "appropriated": messages.amount(appropriated)},
                THEMATIC_FACILITY,
            )
        ]
    return []


def check_co_financing(tables: AnnexVTables, rules: PeriodRules) -> list[Finding]:
    """The EU contribution of a line may not exceed the ceiling of its type of action times its basis."""
    co = rules.co_financing
    if co is None:
        return []
    findings = []
    for index, row in enumerate(tables.allocations):
        entry = CEILING_OF.get(row.type_of_action)
        cited = rules.citations.get(f"co_financing.{entry}") if entry else None
        if cited is None:
            continue
        ceiling = Decimal(cited.value)
        limit = (row.basis_amount * ceiling).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)
        if row.eu_contribution > limit:
            findings.append(
                Finding(
                    Severity.ERROR,
                    "COFIN.CEILING",
                    _(
                        "%(line)s: the EU contribution %(eu)s is %(rate)s %% of the %(basis)s basis "
                        "%(basis_amount)s, above the ceiling of %(ceiling)s %% (%(limit)s) for this type "
                        "of action."
                    )
                    % {
                        "line": _label(row, index),
                        "eu": messages.amount(row.eu_contribution),
                        "rate": _pct(row.rate),
                        "basis": _basis(row),
                        "basis_amount": messages.amount(row.basis_amount),
                        "ceiling": messages.figure(ceiling * 100, 0),
                        "limit": messages.amount(limit),
                    },
                    cited.reference,
                )
            )
    return findings


def check_technical_assistance(tables: AnnexVTables, rules: PeriodRules) -> list[Finding]:
    """TA at the initiative of the Member State is a flat rate of the rest of the programme's EU
    contribution (Regulation (EU) 2021/1060, Art. 36(5)): its line may not exceed that rate."""
    ceiling = rules.technical_assistance
    ta = money_sum(
        [row.eu_contribution for row in tables.allocations if row.type_of_action == "technical_assistance"]
    )
    if ceiling is None or not tables.allocations or ta == ZERO:
        return []
    rest = tables.eu_total - ta
    limit = (rest * ceiling.rate + ceiling.fixed).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)
    if ta > limit:
        return [
            Finding(
                Severity.ERROR,
                "TA.FLAT_RATE",
                _(
                    "Technical assistance %(ta)s is more than the flat rate of %(rate)s %% of the other "
                    "allocations' EU contribution %(rest)s (%(limit)s)."
                )
                % {
                    "ta": messages.amount(ta),
                    "rate": messages.figure(ceiling.rate * 100, 1),
                    "rest": messages.amount(rest),
                    "limit": messages.amount(limit),
                },
                ceiling.reference,
            )
        ]
    return []


def check_minimum_shares(tables: AnnexVTables, rules: PeriodRules, justification: str) -> list[Finding]:
    """Each specific objective with a minimum receives at least that share of the initial allocation."""
    base = tables.initial_allocation
    if base <= 0 or not rules.minimum_shares:
        return []
    findings = []
    for minimum in rules.minimum_shares:
        amount = tables.objective_eu(minimum.specific_objective)
        if amount >= (base * minimum.share).quantize(HUNDREDTH, rounding=ROUND_HALF_UP):
            continue
        figures = {
            "objective": minimum.specific_objective,
            "amount": messages.amount(amount),
            "share": messages.figure(percent(amount, base), 2),
            "base": base_name(minimum.base),
            "base_amount": messages.amount(base),
            "minimum": messages.figure(minimum.share * 100, 0),
        }
        if justification.strip():
            findings.append(
                Finding(
                    Severity.WARNING,
                    f"SHARE.{minimum.specific_objective}",
                    _(
                        "%(objective)s receives %(amount)s, %(share)s %% of the %(base)s %(base_amount)s, "
                        "below the minimum of %(minimum)s %%; the programme gives a justification for the "
                        "deviation."
                    )
                    % figures,
                    minimum.reference,
                )
            )
        else:
            findings.append(
                Finding(
                    Severity.ERROR,
                    f"SHARE.{minimum.specific_objective}",
                    _(
                        "%(objective)s receives %(amount)s, %(share)s %% of the %(base)s %(base_amount)s, "
                        "below the minimum of %(minimum)s %%. Raise it or give a justification for the "
                        "deviation."
                    )
                    % figures,
                    minimum.reference,
                )
            )
    return findings


def objective_code(objective: str, code: str) -> str:
    """How an intervention catalogue names a code that belongs to one specific objective."""
    return f"{objective}:{code}"


def check_interventions(
    doc: dict[str, Any], tables: AnnexVTables, codes: Mapping[str, frozenset[str]] | None
) -> list[Finding]:
    """Types of intervention name a dimension and code of the fund's reference data, and per dimension
    add up to the specific objective's EU contribution.

    `codes` maps each dimension of the fund and period to its codes; a code that belongs to one specific
    objective (AMIF Annex VI Table 1 numbers the intervention fields from 001 in each) is in the set as
    `objective_code(objective, code)`, and counts only under that objective. A dimension whose code
    list is not loaded (empty set) accepts any code: the reference data says how complete it is."""
    findings = []
    for so in doc.get("specific_objectives") or []:
        entries = so.get("interventions") or []
        per_dimension: dict[str, Decimal] = {}
        for entry in entries:
            dimension, code = str(entry.get("dimension")), str(entry.get("code"))
            per_dimension[dimension] = per_dimension.get(dimension, ZERO) + (
                parse_money(entry.get("amount")) or ZERO
            )
            if codes is None:
                continue
            if dimension not in codes:
                findings.append(
                    Finding(
                        Severity.ERROR,
                        "INTERVENTION.DIMENSION",
                        _(
                            "%(objective)s: '%(dimension)s' is no dimension of the fund's types of "
                            "intervention (%(dimensions)s)."
                        )
                        % {
                            "objective": so.get("code"),
                            "dimension": dimension,
                            "dimensions": ", ".join(sorted(codes)) or _("none loaded"),
                        },
                        INTERVENTIONS,
                    )
                )
            elif codes[dimension] and not (
                code in codes[dimension] or objective_code(str(so.get("code")), code) in codes[dimension]
            ):
                findings.append(
                    Finding(
                        Severity.ERROR,
                        "INTERVENTION.CODE",
                        _("%(objective)s: code %(code)s is not in the fund's list for '%(dimension)s'.")
                        % {"objective": so.get("code"), "code": code, "dimension": dimension},
                        INTERVENTIONS,
                    )
                )
        if not tables.allocations:
            continue
        eu = tables.objective_eu(str(so.get("code")))
        for dimension, amount in per_dimension.items():
            if amount != eu:
                findings.append(
                    Finding(
                        Severity.ERROR,
                        "INTERVENTION.SUM",
                        _(
                            "%(objective)s: the types of intervention of '%(dimension)s' add up to "
                            "%(amount)s, "
                            "but the specific objective's EU contribution is %(eu)s."
                        )
                        % {
                            "objective": so.get("code"),
                            "dimension": dimension,
                            "amount": messages.amount(amount),
                            "eu": messages.amount(eu),
                        },
                        INTERVENTIONS,
                    )
                )
    return findings


def check_indicators(doc: dict[str, Any]) -> list[Finding]:
    """2021-2027 indicators are output (with a 2024 milestone) or result (with a reference year)."""
    findings = []
    for so in doc.get("specific_objectives") or []:
        for ind in so.get("indicators") or []:
            where = {"objective": so.get("code"), "code": ind.get("code")}
            kind = ind.get("type")
            if kind not in ("output", "result"):
                findings.append(
                    Finding(
                        Severity.ERROR,
                        "IND.TYPE",
                        _(
                            "%(objective)s indicator %(code)s is neither an output nor a result indicator "
                            "(type: output or result)."
                        )
                        % where,
                        INDICATORS,
                    )
                )
            elif kind == "output" and ind.get("milestone") is None:
                findings.append(
                    Finding(
                        Severity.ERROR,
                        "IND.MILESTONE",
                        _("%(objective)s indicator %(code)s has no milestone for 2024.") % where,
                        INDICATORS,
                    )
                )
            elif kind == "result" and ind.get("reference_year") is None:
                findings.append(
                    Finding(
                        Severity.ERROR,
                        "IND.REFERENCE_YEAR",
                        _(
                            "%(objective)s indicator %(code)s is a result indicator without the reference "
                            "year of its baseline."
                        )
                        % where,
                        INDICATORS,
                    )
                )
    return findings


def _period_years(period: str) -> tuple[int, int] | None:
    parts = (period or "").split("-")
    if len(parts) == 2 and all(p.isdigit() and len(p) == 4 for p in parts):
        return int(parts[0]), int(parts[1])
    return None


def check_annex_v(
    doc: dict[str, Any],
    rules: PeriodRules,
    codes: Mapping[str, frozenset[str]] | None = None,
    justification: str = "",
) -> list[Finding]:
    """Every rule of the 2021-2027 template over a format-2 document."""
    period = (doc.get("programme") or {}).get("period", "")
    tables = tables_from_document(doc)
    findings = check_structure(doc, tables)
    findings += check_reconciliation(tables)
    findings += check_appropriations(doc, tables, period)
    findings += check_thematic_facility(doc, tables)
    findings += check_co_financing(tables, rules)
    findings += check_technical_assistance(tables, rules)
    findings += check_minimum_shares(tables, rules, justification)
    findings += check_interventions(doc, tables, codes)
    findings += check_indicators(doc)
    return findings
