"""The tables of the annual report, as data: each table's title and its columns (key, heading, type).
The generated parts (`selectors.generated_parts`) and the snapshot carry only keys and values; the
headings are translated when a page, the PDF or the XLSX is written, in the reader's or the chosen
language. Column types: `text`, `name` (a text in several languages), `money` (euro, a decimal
string), `count`, `number` (a decimal string) and `share` (a fraction,
0.4567 = 45.67 %) and `choice` (a code shown by its label in `CHOICES`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from amis.programme.models import Indicator, SpecialCaseType


@dataclass(frozen=True)
class Column:
    key: str
    label: Any
    type: str = "text"


@dataclass(frozen=True)
class Table:
    key: str
    title: Any
    columns: tuple[Column, ...]


CODE = Column("code", _("Code"))
NAME = Column("name", _("Name"), "name")
PLANNED = Column("planned", _("Financing plan (EU)"), "money")

TABLES: dict[str, Table] = {
    t.key: t
    for t in (
        Table(
            "implementation",
            _("Implementation per specific and national objective"),
            (
                CODE,
                NAME,
                PLANNED,
                Column("calls_year", _("Calls launched in the year"), "count"),
                Column("in_calls_year", _("Put in calls in the year"), "money"),
                Column("projects_year", _("Projects selected in the year"), "count"),
                Column("grants_year", _("Grants selected in the year (EU)"), "money"),
                Column("calls_total", _("Calls, cumulative"), "count"),
                Column("in_calls_total", _("Put in calls, cumulative"), "money"),
                Column("projects_total", _("Projects selected, cumulative"), "count"),
                Column("grants_total", _("Grants selected, cumulative (EU)"), "money"),
            ),
        ),
        Table(
            "financial",
            _("Financial table per specific objective"),
            (
                CODE,
                NAME,
                PLANNED,
                Column("grants_total", _("Committed to projects (EU)"), "money"),
                Column("declared_year", _("Declared by beneficiaries in the year"), "money"),
                Column("declared_total", _("Declared, cumulative"), "money"),
                Column("verified_year", _("Verified eligible in the year"), "money"),
                Column("verified_total", _("Verified eligible, cumulative"), "money"),
                Column("eu_verified_total", _("EU share verified, cumulative"), "money"),
                Column("corrected_total", _("Financial corrections (EU), cumulative"), "money"),
                Column("paid_year", _("Paid to beneficiaries in the year"), "money"),
                Column("paid_total", _("Paid to beneficiaries, cumulative"), "money"),
                Column("absorption", _("Paid as a share of the plan"), "share"),
            ),
        ),
        Table(
            "indicators",
            _("Common and programme-specific indicators"),
            (
                Column("specific_objective", _("Specific objective")),
                CODE,
                NAME,
                Column("kind", _("Kind"), "choice"),
                Column("unit", _("Unit"), "choice"),
                Column("baseline", _("Baseline"), "number"),
                Column("milestone", _("Milestone"), "number"),
                Column("target", _("Target"), "number"),
                Column("achieved_year", _("Achieved in the year"), "number"),
                Column("achieved_total", _("Achieved, cumulative"), "number"),
                Column("of_target", _("Share of the target"), "share"),
            ),
        ),
        Table(
            "special_cases",
            _("Special cases: resettlement, transfers, relocation, admission"),
            (
                CODE,
                NAME,
                Column("category", _("Category"), "choice"),
                Column("planned_year", _("Planned for the year"), "money"),
                Column("planned_total", _("Planned, whole period"), "money"),
                Column("persons_pledged", _("Persons pledged"), "count"),
                Column("persons_reported", _("Persons reported in AMIS"), "count"),
            ),
        ),
    )
}

# the labels of the `choice` columns
CHOICES: dict[str, Any] = {
    "kind": Indicator.Kind,
    "unit": Indicator.Unit,
    "category": SpecialCaseType.Category,
}


def choice_label(column: str, value: Any) -> str:
    choices = CHOICES.get(column)
    if choices is None or value in (None, ""):
        return "" if value is None else str(value)
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)
