"""Immutable records exchanged between the import, the matching and the Django layer.

Frozen so that a flag keeps exactly the project data it was raised on, which the officer's clearance
reason refers to (Regulation (EU) 2021/1060 Art. 63(9) and AMIF national programme BE section 6.6,
no double funding).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


def _check_period(start: date, end: date) -> None:
    if end < start:
        raise ValueError(f"Period ends ({end.isoformat()}) before it starts ({start.isoformat()}).")


@dataclass(frozen=True, slots=True)
class OtherFundProject:
    """One project of another fund (ESF, ISF, ...), as read from that fund's export.

    `enterprise_number` is the compact 10-digit KBO/BCE number, or None when the file had none or an
    invalid one (such a project can never be matched). `source_row` is the row in the imported file.
    """

    fund: str
    beneficiary_name: str
    enterprise_number: str | None
    identifier: str
    title: str
    description: str
    start: date
    end: date
    total_cost: Decimal | None
    eu_amount: Decimal | None
    source_row: int

    def __post_init__(self) -> None:
        _check_period(self.start, self.end)


@dataclass(frozen=True, slots=True)
class ApplicationRecord:
    """The parts of an AMIF application that the double-funding check needs."""

    reference: str
    organisation_name: str
    enterprise_number: str | None
    title: str
    summary: str
    description: str
    start: date
    end: date

    def __post_init__(self) -> None:
        _check_period(self.start, self.end)


@dataclass(frozen=True, slots=True)
class Flag:
    """A possible double funding: same beneficiary (by enterprise number, or by name with a
    confidence), overlapping periods.

    `similarity` (0.00 to 1.00) tells the officer how alike the two descriptions are; the flag is raised
    whatever its value, because the same beneficiary may describe the same costs in other words.
    """

    application_reference: str
    other: OtherFundProject
    overlap_days: int
    similarity: Decimal
    reason: str
    basis: str = "enterprise_number"  # or "name": the officer confirms or rejects it
    confidence: Decimal = Decimal("1.00")  # how sure the beneficiary is the same (1.00 by number)


@dataclass(frozen=True, slots=True)
class RowError:
    """A problem in an imported file. `row` is 1-based with the header as row 1; 0 means the whole file.

    `column` is the column's header as written in the file (or the expected name when it is missing).
    """

    row: int
    column: str
    message: str


@dataclass(frozen=True, slots=True)
class ImportResult:
    """Projects read from a file. The caller refuses the whole file when `errors` is not empty."""

    projects: list[OtherFundProject]
    errors: list[RowError]
    warnings: list[RowError]

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True, slots=True)
class ProblemGroup:
    """Problems with the same column and message, and the rows they are on: 200,000 rows without an
    enterprise number are one line for the officer to read, not 200,000. `rows` keeps the first
    `ROWS_KEPT` row numbers; `count` is how many there are."""

    column: str
    message: str
    rows: tuple[int, ...]
    count: int


ROWS_KEPT = 1000


class ProblemGroups:
    """Problems grouped by (column, message) as they come, in the order each group first appears:
    a reader of 200,000 rows adds its warnings one by one and keeps only the groups."""

    def __init__(self) -> None:
        self._rows: dict[tuple[str, str], list[int]] = {}
        self._counts: dict[tuple[str, str], int] = {}

    def add(self, problem: RowError) -> None:
        key = (problem.column, problem.message)
        self._counts[key] = self._counts.get(key, 0) + 1
        kept = self._rows.setdefault(key, [])
        if len(kept) < ROWS_KEPT:
            kept.append(problem.row)

    def groups(self) -> list[ProblemGroup]:
        return [
            ProblemGroup(column, message, tuple(rows), self._counts[(column, message)])
            for (column, message), rows in self._rows.items()
        ]


def grouped(problems: list[RowError]) -> list[ProblemGroup]:
    """The problems grouped by (column, message), in the order each group first appears."""
    groups = ProblemGroups()
    for problem in problems:
        groups.add(problem)
    return groups.groups()
