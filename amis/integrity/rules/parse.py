"""Import of the ESF and ISF project lists (CSV or XLSX) that the double-funding check compares with.

Regulation (EU) 2021/1060 Art. 63(9) and AMIF national programme BE section 6.6 (no double funding)
require AMIF to know what the other funds already pay for. The officer uploads their export; every
problem is collected with its row number instead of stopping at the first, so the file can be fixed in
one go, and the caller refuses the whole file while any error remains: a half-imported list would let a
double funding through unnoticed.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, TypeVar

from amis.core import messages, tabular
from amis.core.messages import gettext as _
from amis.core.messages import gettext_noop
from amis.integrity.rules import kbo, names
from amis.integrity.rules.columns import label, map_header
from amis.integrity.rules.records import ImportResult, OtherFundProject, RowError
from amis.integrity.rules.values import parse_amount, parse_date, text

__all__ = ["ImportResult", "ListRead", "RowError", "read_list", "read_projects"]

Row = Sequence[object]
T = TypeVar("T")
# Limits that keep one upload from holding a worker for minutes or filling its memory: a national
# ESF list of 200,000 operations is about 31 MB as CSV.
MAX_BYTES = 100 * 1024 * 1024  # a 200,000-row export is about 31 MB as CSV
MAX_ROWS = 300_000
MAX_COLUMNS = 100
_OLE = b"\xd0\xcf\x11\xe0"
_UNMATCHABLE = gettext_noop("this project cannot be matched with AMIF applications.")
_NO_BENEFICIARY = gettext_noop("No beneficiary name: the list cannot show who runs this project.")


class _FileProblem(Exception):
    pass


def _whole(value: float) -> str:
    """A whole number grouped as the reader writes it (100,000 / 100 000)."""
    return messages.figure(Decimal(round(value)), 0)


def _too_many() -> _FileProblem:
    return _FileProblem(
        _("The file has more than %(rows)s rows; split it into smaller lists.") % {"rows": _whole(MAX_ROWS)}
    )


def _size(handle: IO[bytes]) -> int:
    handle.seek(0, io.SEEK_END)
    size = handle.tell()
    handle.seek(0)
    return size


def _rows(handle: IO[bytes], filename: str) -> tuple[int | None, bool, Iterator[tuple[int, Row]]]:
    """(how many rows the file has if known, whether that count is exact, its rows one at a time).
    Nothing is read whole: a CSV line by line, an XLSX sheet in 64 KB chunks (`core.tabular`). An
    XLSX states its size; a CSV's lines are counted, which a quoted line break makes one too many."""
    size = _size(handle)
    if size > MAX_BYTES:
        raise _FileProblem(
            _("The file is %(size)s MB; a project list has at most %(limit)s MB.")
            % {"size": messages.figure(Decimal(size) / 2**20, 1), "limit": MAX_BYTES // 2**20}
        )
    head = handle.read(8)
    handle.seek(0)
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if head.startswith(_OLE) or extension in {"xls", "ods"}:
        raise _FileProblem(_("Old Excel (.xls) and .ods files are not read: save the sheet as .xlsx or CSV."))
    try:
        if tabular.sniff_kind(filename, head) == "xlsx":
            total, rows, _meta = tabular.xlsx_rows(handle)
            return total, True, rows
        total = tabular.count_csv_rows(handle)
        handle.seek(0)
        return total, False, tabular.csv_rows(handle)
    except tabular.FileError as exc:
        raise _FileProblem(str(exc)) from exc


class _Row:
    """One data row: reads cells by field and collects what is wrong with them."""

    def __init__(self, number: int, cells: Row, columns: dict[str, int], header: Row) -> None:
        self.number, self.cells, self.columns, self.header = number, cells, columns, header
        self.errors: list[RowError] = []
        self.warnings: list[RowError] = []

    def column(self, field: str) -> str:
        index = self.columns.get(field)
        return text(self.header[index]) if index is not None else field

    def raw(self, field: str) -> object:
        index = self.columns.get(field)
        return self.cells[index] if index is not None and index < len(self.cells) else None

    def error(self, field: str, message: str) -> None:
        self.errors.append(RowError(self.number, self.column(field), message))

    def read(self, field: str, reader: Callable[[object], T | None], required: bool = False) -> T | None:
        try:
            value = reader(self.raw(field))
        except ValueError as exc:
            self.error(field, str(exc))
            return None
        if required and (value is None or value == ""):
            self.error(field, _("The %(field)s is missing.") % {"field": label(field)})
        return value

    def enterprise_number(self) -> str | None:
        if "enterprise_number" not in self.columns:
            return None
        value = text(self.raw("enterprise_number"))
        if value:
            try:
                return kbo.validate(value)
            except ValueError as exc:
                message = _("%(problem)s Read as blank: %(consequence)s") % {
                    "problem": exc,
                    "consequence": _(_UNMATCHABLE),
                }
        else:  # the message is made only for the rows that need it (200,000 rows: seconds of gettext)
            message = _("No enterprise number (KBO/BCE): %(consequence)s") % {"consequence": _(_UNMATCHABLE)}
        self.warnings.append(RowError(self.number, self.column("enterprise_number"), message))
        return None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CLEANED = gettext_noop("Control characters (invisible codes from the source system) were removed.")


def _bounded(limit: int, row: _Row | None = None, field: str = "") -> Callable[[object], str]:
    """A text cell of at most `limit` characters (the column it is stored in). Control characters
    that other systems leave in their exports (NUL, vertical tab, C1 codes) are removed, with a
    warning on the row, rather than stored where they would break a page or a comparison."""

    def read(value: object) -> str:
        cell = text(value)
        if _CONTROL.search(cell):
            cell = " ".join(_CONTROL.sub(" ", cell).split())
            if row is not None:
                row.warnings.append(RowError(row.number, row.column(field), _(_CLEANED)))
        if len(cell) > limit:
            raise ValueError(
                _("At most %(limit)s characters (this cell has %(length)s).")
                % {"limit": _whole(limit), "length": _whole(len(cell))}
            )
        return cell

    return read


def _project(row: _Row, fund: str, number_format: str = "") -> OtherFundProject | None:
    identifier = row.read("identifier", _bounded(100, row, "identifier"), required=True)
    title = row.read("title", _bounded(500, row, "title"), required=True)
    beneficiary = row.read("beneficiary", _bounded(300, row, "beneficiary"))
    description = row.read("description", _bounded(20_000, row, "description"))
    start = row.read("start", parse_date, required=True)
    end = row.read("end", parse_date, required=True)
    total_cost = row.read("total_cost", lambda v: parse_amount(v, number_format))
    eu_amount = row.read("eu_amount", lambda v: parse_amount(v, number_format))
    if total_cost is not None and eu_amount is not None and eu_amount > total_cost:
        row.error(
            "eu_amount",
            _("The EU amount %(eu)s is above the total cost %(total)s.")
            % {"eu": messages.figure(eu_amount, 2), "total": messages.figure(total_cost, 2)},
        )
    if not beneficiary:
        row.warnings.append(RowError(row.number, row.column("beneficiary"), _(_NO_BENEFICIARY)))
    if start and end and end < start:
        row.error(
            "end",
            _("The end date %(end)s is before the start date %(start)s.")
            % {"end": messages.date(end), "start": messages.date(start)},
        )
    enterprise_number = row.enterprise_number()
    if row.errors or not (identifier and title and start and end):
        return None
    return OtherFundProject(
        fund=fund,
        beneficiary_name=beneficiary or "",
        enterprise_number=enterprise_number,
        identifier=identifier,
        title=title,
        description=description or "",
        start=start,
        end=end,
        total_cost=total_cost,
        eu_amount=eu_amount,
        source_row=row.number,
    )


@dataclass
class ListRead:
    """What reading a list found: every error (the caller refuses the list if there is one), how
    many projects were read and how many can be matched, and the notice for a list nothing of which
    can be matched by number (to show before every other warning)."""

    errors: list[RowError] = field(default_factory=list)
    rows: int = 0  # data rows read, blank ones included
    projects: int = 0
    matchable: int = 0  # by enterprise number or by the beneficiary's name
    matchable_by_number: int = 0
    notice: RowError | None = None
    whole_file_refused: bool = False  # a problem of the file itself: what was read of it is void


def read_list(
    handle: IO[bytes],
    filename: str,
    fund: str,
    number_format: str = "",
    *,
    on_project: Callable[[OtherFundProject], None],
    on_warning: Callable[[RowError], None],
    on_progress: Callable[[int, int | None], None] | None = None,
    progress_every: int = 2_000,
) -> ListRead:
    """Read the projects of `fund` (e.g. 'ESF', 'ISF') from a CSV or XLSX export, streaming: each
    valid project goes to `on_project`, each warning to `on_warning`, progress (rows read, rows the
    file has if known) to `on_progress`; nothing of the file is held whole. Memory grows only with
    the identifiers seen (to refuse one used twice) and the errors kept.

    CSV is UTF-8 (a BOM is allowed) with ',', ';' or tab between fields; XLSX is read from its first
    sheet. The first row is the header. File-level problems are errors on row 0, and replace the
    rows' errors: the file is refused as a whole.
    """
    fund = fund.strip()
    if not fund:
        raise ValueError(_("The fund (e.g. 'ESF' or 'ISF') is required."))
    result = ListRead()
    try:
        _read(
            handle, filename, fund, number_format, result, on_project, on_warning, on_progress, progress_every
        )
    except (_FileProblem, tabular.FileError) as exc:
        result.errors, result.whole_file_refused = [RowError(0, "", str(exc))], True
        return result
    if not result.projects and not result.errors:
        result.errors.append(RowError(0, "", _("The file has headers but no projects.")))
    if result.projects and not result.matchable_by_number:
        result.notice = _notice(result)
    return result


def _read(
    handle: IO[bytes],
    filename: str,
    fund: str,
    number_format: str,
    result: ListRead,
    on_project: Callable[[OtherFundProject], None],
    on_warning: Callable[[RowError], None],
    on_progress: Callable[[int, int | None], None] | None,
    progress_every: int,
) -> None:
    total, exact, rows = _rows(handle, filename)
    if exact and total is not None and total > MAX_ROWS + 1:  # the header and MAX_ROWS rows
        raise _too_many()
    first = next(rows, None)
    header: Row = tuple(first[1])[:MAX_COLUMNS] if first else ()
    if not any(text(cell) for cell in header):
        raise _FileProblem(_("The file is empty: row 1 must hold the headers."))
    columns, errors, warnings = map_header(header)
    for warning in warnings:
        on_warning(warning)
    if errors:
        result.errors += errors
        return
    first_row: dict[str, int] = {}  # identifier -> the row it first appeared on
    read = 0
    if on_progress is not None:
        on_progress(0, None if total is None else max(0, total - 1))
    for number, cells in rows:
        read += 1
        if read > MAX_ROWS:
            raise _too_many()
        result.rows = read
        if on_progress is not None and read % progress_every == 0:
            on_progress(read, None)
        cells = tuple(cells)[:MAX_COLUMNS]
        if not any(text(cell) for cell in cells):
            continue
        row = _Row(number, cells, columns, header)
        project = _project(row, fund, number_format)
        identifier = text(row.raw("identifier"))
        if identifier and identifier in first_row:
            row.error(
                "identifier",
                _("The project identifier '%(identifier)s' is already on row %(row)s: each project once.")
                % {"identifier": identifier[:100], "row": first_row[identifier]},
            )
            project = None
        elif identifier:
            first_row[identifier] = number
        result.errors += row.errors
        for warning in row.warnings:
            on_warning(warning)
        if project is not None:
            result.projects += 1
            if project.enterprise_number:
                result.matchable_by_number += 1
            if project.enterprise_number or names.name_key(project.beneficiary_name):
                result.matchable += 1
            on_project(project)
    if on_progress is not None:
        on_progress(read, read)


def _notice(result: ListRead) -> RowError:
    count = messages.figure(Decimal(result.projects), 0)
    if result.matchable:
        notice = _(
            "This list has no valid enterprise (KBO/BCE) number: its %(count)s projects can only be "
            "matched with AMIF applications by the beneficiary's name, which an officer confirms flag "
            "by flag. Ask the fund for a list with the numbers."
        )
    else:
        notice = _(
            "No project of this list (%(count)s read) can be matched with an AMIF application: the list "
            "has neither a valid enterprise (KBO/BCE) number nor a beneficiary name. Ask the fund for a "
            "list with them."
        )
    return RowError(0, "", notice % {"count": count})


def read_projects(data: bytes, filename: str, fund: str, number_format: str = "") -> ImportResult:
    """The whole list in memory (`read_list` for a file of any size): for small lists and tests."""
    projects: list[OtherFundProject] = []
    warnings: list[RowError] = []
    found = read_list(
        io.BytesIO(data),
        filename,
        fund,
        number_format,
        on_project=projects.append,
        on_warning=warnings.append,
    )
    if found.whole_file_refused:
        return ImportResult([], found.errors, [])
    if found.notice is not None:
        warnings.insert(0, found.notice)
    return ImportResult(projects, found.errors, warnings)
