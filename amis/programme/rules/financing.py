"""The three financial tables of a national programme, computed from their parts.

Table 1 (financing plan): per specific objective the national objectives and the specific actions,
then technical assistance and special cases. Table 2: special-case amounts per type and year.
Table 3: annual EU commitments per row and year. Every total here is derived, which is what lets
`check_*` compare them with what a file or the Commission's export declares.
(Implementing Regulation (EU) No 802/2014, Annex, section 7 "Financing plan".)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from amis.core import messages
from amis.core.messages import gettext as _
from amis.programme.rules.findings import Finding, Severity
from amis.programme.rules.money import money_sum, parse_money

ZERO = Decimal("0.00")
T1_REFERENCE = "Implementing Regulation (EU) No 802/2014, Annex, section 7, Table 1"
T2_REFERENCE = "Implementing Regulation (EU) No 802/2014, Annex, section 7, Table 2"
T3_REFERENCE = "Implementing Regulation (EU) No 802/2014, Annex, section 7, Table 3"
# 2021-2027: the programme's financing tables are in the CPR's programme model.
TABLES_2021_2027 = "Regulation (EU) 2021/1060, Art. 22(3)(g) and Annex V"


@dataclass(frozen=True)
class Line:
    code: str
    name: dict[str, str]
    amount: Decimal | None


@dataclass(frozen=True)
class ObjectiveTotals:
    code: str
    name: dict[str, str]
    national_objectives: list[Line]
    specific_actions: list[Line]

    @property
    def national_total(self) -> Decimal:
        return money_sum([line.amount for line in self.national_objectives])

    @property
    def specific_action_total(self) -> Decimal:
        return money_sum([line.amount for line in self.specific_actions])

    @property
    def total(self) -> Decimal:
        return self.national_total + self.specific_action_total


@dataclass(frozen=True)
class SpecialCaseTotals:
    code: str
    name: dict[str, str]
    annual: dict[int, Decimal]
    pledged: Decimal  # sum over pledges of persons x lump sum
    persons: int
    # each pledge as "pledge 1 (300 persons in 2014-2015, 1,100 in 2016-2017 x 10,000.00)"
    pledge_lines: tuple[str, ...] = ()

    @property
    def total(self) -> Decimal:
        return money_sum(list(self.annual.values()))


@dataclass(frozen=True)
class CommitmentRowTotals:
    code: str
    name: dict[str, str]
    annual: dict[int, Decimal]

    @property
    def total(self) -> Decimal:
        return money_sum(list(self.annual.values()))


@dataclass(frozen=True)
class FinancingPlan:
    specific_objectives: list[ObjectiveTotals]
    technical_assistance: Decimal | None
    special_cases: list[SpecialCaseTotals]
    commitments: list[CommitmentRowTotals]
    years: list[int] = field(default_factory=list)

    # Table 1
    @property
    def special_cases_total(self) -> Decimal:
        return money_sum([sc.total for sc in self.special_cases])

    @property
    def total(self) -> Decimal:
        return (
            money_sum([so.total for so in self.specific_objectives])
            + (self.technical_assistance or ZERO)
            + self.special_cases_total
        )

    @property
    def basic_allocation(self) -> Decimal:
        """What the objectives and TA are financed from: the total less the special-case lump sums."""
        return self.total - self.special_cases_total

    def objective(self, code: str) -> ObjectiveTotals | None:
        return next((so for so in self.specific_objectives if so.code == code), None)

    # Table 2
    def special_cases_in_year(self, year: int) -> Decimal:
        return money_sum([sc.annual.get(year) for sc in self.special_cases])

    # Table 3
    def commitments_in_year(self, year: int) -> Decimal:
        return money_sum([row.annual.get(year) for row in self.commitments])

    @property
    def commitments_total(self) -> Decimal:
        return money_sum([row.total for row in self.commitments])

    def totals(self) -> dict[str, Decimal]:
        """Every total of the three tables under the keys the file's `control_totals` uses."""
        out: dict[str, Decimal] = {}
        for so in self.specific_objectives:
            out[f"table1.{so.code}.NO"] = so.national_total
            out[f"table1.{so.code}.SA"] = so.specific_action_total
            out[f"table1.{so.code}"] = so.total
        out["table1.technical_assistance"] = self.technical_assistance or ZERO
        out["table1.special_cases"] = self.special_cases_total
        out["table1.total"] = self.total
        for sc in self.special_cases:
            out[f"table2.{sc.code}"] = sc.total
        for year in self.years:
            out[f"table2.{year}"] = self.special_cases_in_year(year)
        out["table2.total"] = self.special_cases_total
        for row in self.commitments:
            out[f"table3.{row.code}"] = row.total
        for year in self.years:
            out[f"table3.{year}"] = self.commitments_in_year(year)
        out["table3.total"] = self.commitments_total
        return out


def _annual(amounts: dict[str, str] | None) -> dict[int, Decimal]:
    return {int(year): parse_money(value) or ZERO for year, value in (amounts or {}).items()}


def plan_from_document(doc: dict[str, Any]) -> FinancingPlan:
    """Build the tables from a canonical programme document (see `amis.programme.exchange`)."""
    objectives = [
        ObjectiveTotals(
            code=so["code"],
            name=so.get("name", {}),
            national_objectives=[
                Line(no["code"], no.get("name", {}), parse_money(no.get("amount")))
                for no in so.get("national_objectives", [])
            ],
            specific_actions=[
                Line(sa["code"], sa.get("name", {}), parse_money(sa.get("amount")))
                for sa in so.get("specific_actions", [])
            ],
        )
        for so in doc.get("specific_objectives", [])
    ]
    special = doc.get("special_cases") or {}
    special_cases = []
    for sc in special.get("types", []):
        pledged = ZERO
        persons = 0
        lines = []
        for index, pledge in enumerate(sc.get("pledges", [])):
            count = sum(pledge.get("persons", {}).values())
            lump_sum = parse_money(pledge["lump_sum"]) or ZERO
            persons += count
            pledged += lump_sum * count
            per_period = ", ".join(
                _("%(persons)s in %(period)s") % {"persons": n, "period": p}
                for p, n in pledge.get("persons", {}).items()
            )
            lines.append(
                _("pledge %(number)s: %(persons)s x %(lump_sum)s = %(total)s")
                % {
                    "number": index + 1,
                    "persons": per_period or _("no persons"),
                    "lump_sum": messages.amount(lump_sum),
                    "total": messages.amount(lump_sum * count),
                }
            )
        special_cases.append(
            SpecialCaseTotals(
                sc["code"],
                sc.get("name", {}),
                _annual(sc.get("annual_amounts")),
                pledged,
                persons,
                tuple(lines),
            )
        )
    commitments = [
        CommitmentRowTotals(row["code"], row.get("name", {}), _annual(row.get("amounts")))
        for row in doc.get("annual_commitments", [])
    ]
    years = sorted(
        {y for sc in special_cases for y in sc.annual} | {y for row in commitments for y in row.annual}
    )
    period = doc.get("programme", {}).get("period", "")
    if period and "-" in period:
        start, end = (int(part) for part in period.split("-"))
        years = sorted(set(years) | set(range(start, end + 1)))
    return FinancingPlan(
        objectives, parse_money(doc.get("technical_assistance")), special_cases, commitments, years
    )


def check_control_totals(
    plan: FinancingPlan,
    declared: dict[str, str],
    period: str = "",
    more: dict[str, Decimal] | None = None,
) -> list[Finding]:
    """Every declared total must equal the sum of its parts, to the cent. `more` are the totals of the
    format-2 tables (`annex_v.AnnexVTables.totals`)."""
    computed = {**plan.totals(), **(more or {})}
    findings = []
    for key, value in declared.items():
        expected = parse_money(value)
        table = key.split(".")[0]
        reference = {"table1": T1_REFERENCE, "table2": T2_REFERENCE, "table3": T3_REFERENCE}.get(
            table, TABLES_2021_2027
        )
        if period != "2014-2020":
            reference = TABLES_2021_2027
        if key not in computed:
            findings.append(
                Finding(
                    Severity.ERROR,
                    "TOTAL.UNKNOWN",
                    _("Control total '%(key)s' names no row of the tables.") % {"key": key},
                    reference,
                )
            )
        elif computed[key] != expected:
            findings.append(
                Finding(
                    Severity.ERROR,
                    "TOTAL.MISMATCH",
                    _("Control total '%(key)s' is %(declared)s but its parts add up to %(computed)s.")
                    % {
                        "key": key,
                        "declared": messages.amount(expected or ZERO),
                        "computed": messages.amount(computed[key]),
                    },
                    reference,
                )
            )
    return findings


def check_table3_equals_table1(plan: FinancingPlan, reference: str = T3_REFERENCE) -> list[Finding]:
    if not plan.commitments:
        return []
    if plan.commitments_total != plan.total:
        difference = plan.commitments_total - plan.total
        rows = "; ".join(
            _("row %(code)s: %(years)s = %(total)s")
            % {
                "code": row.code,
                "years": ", ".join(
                    f"{year} {messages.amount(amount)}" for year, amount in sorted(row.annual.items())
                ),
                "total": messages.amount(row.total),
            }
            for row in plan.commitments
        )
        return [
            Finding(
                Severity.ERROR,
                "T3.TOTAL",
                (
                    _(
                        "Table 3 grand total %(t3)s is %(difference)s more than the Table 1 total "
                        "%(t1)s (%(rows)s)."
                    )
                    if difference > 0
                    else _(
                        "Table 3 grand total %(t3)s is %(difference)s less than the Table 1 total "
                        "%(t1)s (%(rows)s)."
                    )
                )
                % {
                    "t3": messages.amount(plan.commitments_total),
                    "difference": messages.amount(abs(difference)),
                    "t1": messages.amount(plan.total),
                    "rows": rows,
                },
                reference,
            )
        ]
    return []


def check_special_cases_lump_sums(
    plan: FinancingPlan, reference: str = "Regulation (EU) No 516/2014, Art. 17 and 18; Table 2"
) -> list[Finding]:
    """Each special case's Table 2 amount equals persons pledged x lump sum per person."""
    findings = []
    for sc in plan.special_cases:
        if sc.total != sc.pledged:
            findings.append(
                Finding(
                    Severity.ERROR,
                    "T2.LUMPSUM",
                    _(
                        "Special case '%(code)s': Table 2 gives %(table2)s but the pledges (%(persons)s "
                        "persons × lump sum) come to %(pledged)s, %(difference)s apart: %(pledges)s."
                    )
                    % {
                        "code": sc.code,
                        "table2": messages.amount(sc.total),
                        "persons": sc.persons,
                        "pledged": messages.amount(sc.pledged),
                        "difference": messages.amount(abs(sc.total - sc.pledged)),
                        "pledges": "; ".join(sc.pledge_lines),
                    },
                    reference,
                )
            )
    return findings
