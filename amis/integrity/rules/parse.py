"""Import of the ESF and ISF project lists (CSV or XLSX) that the double-funding check compares with.

Regulation (EU) 2021/1060 Art. 63(9) and AMIF national programme BE section 6.6 (no double funding)
require AMIF to know what the other funds already pay for. The officer uploads their export; every
problem is collected with its row number instead of stopping at the first, so the file can be fixed in
one go, and the caller refuses the whole file while any error remains: a half-imported list would let a
double funding through unnoticed.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import TypeVar

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from amis.core import messages
from amis.core.messages import gettext as _
from amis.core.messages import gettext_noop
from amis.integrity.rules import kbo, names
from amis.integrity.rules.columns import label, map_header
from amis.integrity.rules.records import ImportResult, OtherFundProject, RowError
from amis.integrity.rules.values import parse_amount, parse_date, text

__all__ = ["ImportResult", "RowError", "read_projects"]

Row = Sequence[object]
T = TypeVar("T")
# Limits that keep one upload from holding a worker for minutes or filling its memory: a national
# ESF list of 200,000 operations is about 31 MB as CSV.
MAX_BYTES = 100 * 1024 * 1024  # a 200,000-row export is about 31 MB as CSV
MAX_ROWS = 300_000
MAX_COLUMNS = 100
# An XLSX is a zip: its parts' sizes are checked before anything is inflated. Real workbooks inflate
# 5 to 20 times; a zip bomb inflates thousands of times.
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 100
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"
_DELIMITERS = (";", ",", "\t")
_UNMATCHABLE = gettext_noop("this project cannot be matched with AMIF applications.")
_NO_BENEFICIARY = gettext_noop("No beneficiary name: the list cannot show who runs this project.")


class _FileProblem(Exception):
    pass


def _whole(value: float) -> str:
    """A whole number grouped as the reader writes it (100,000 / 100 000)."""
    return messages.figure(Decimal(round(value)), 0)


def _not_xlsx(exc: Exception) -> str:
    return _("The file is not a readable XLSX workbook (%(problem)s).") % {"problem": exc}


def _check_zip(data: bytes) -> None:
    """Refuse a workbook whose parts would inflate beyond what a project list needs, from the sizes
    the zip declares (zipfile never inflates a part beyond its declared size)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise _FileProblem(_not_xlsx(exc)) from exc
    inflated = sum(part.file_size for part in parts)
    compressed = sum(part.compress_size for part in parts) or 1
    if inflated > MAX_UNCOMPRESSED or inflated / compressed > MAX_RATIO:
        size, ratio, limit = inflated / 2**20, inflated / compressed, MAX_UNCOMPRESSED // 2**20
        raise _FileProblem(
            _(
                "The workbook would unpack to %(size)s MB, %(ratio)s times its size; a project list "
                "unpacks to at most %(limit)s MB. Save the list as CSV, or split it."
            )
            % {"size": _whole(size), "ratio": _whole(ratio), "limit": limit}
        )


def _limited(rows: Iterator[Row]) -> list[Row]:
    """At most MAX_ROWS rows, read one at a time: a longer file is refused before the rest is read."""
    kept: list[Row] = []
    for row in rows:
        if len(kept) == MAX_ROWS:
            raise _FileProblem(
                _("The file has more than %(rows)s rows; split it into smaller lists.")
                % {"rows": _whole(MAX_ROWS)}
            )
        kept.append(tuple(row)[:MAX_COLUMNS])
    return kept


def _xlsx_rows(data: bytes) -> list[Row]:
    _check_zip(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise _FileProblem(_not_xlsx(exc)) from exc
    try:
        return _limited(workbook.worksheets[0].iter_rows(max_col=MAX_COLUMNS, values_only=True))
    finally:
        workbook.close()


def _delimiter(text_: str) -> str:
    """The candidate that splits the header line most often; headers seldom contain one."""
    header = next((line for line in text_.splitlines() if line.strip()), "")
    counts = {candidate: header.count(candidate) for candidate in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda candidate: counts[candidate])
    return best if counts[best] else ","


def _csv_rows(data: bytes) -> list[Row]:
    try:
        decoded = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _FileProblem(
            _("The file is not UTF-8 text (first bad byte on line %(line)s); save it as 'CSV UTF-8'.")
            % {"line": line}
        ) from exc
    try:
        return _limited(csv.reader(io.StringIO(decoded, newline=""), delimiter=_delimiter(decoded)))
    except csv.Error as exc:
        raise _FileProblem(_("The file is not readable as CSV (%(problem)s).") % {"problem": exc}) from exc


def _rows(data: bytes, filename: str) -> list[Row]:
    if len(data) > MAX_BYTES:
        raise _FileProblem(
            _("The file is %(size)s MB; a project list has at most %(limit)s MB.")
            % {"size": messages.figure(Decimal(len(data)) / 2**20, 1), "limit": MAX_BYTES // 2**20}
        )
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if data.startswith(_ZIP) or extension in {"xlsx", "xlsm"}:
        return _xlsx_rows(data)
    if data.startswith(_OLE) or extension in {"xls", "ods"}:
        raise _FileProblem(_("Old Excel (.xls) and .ods files are not read: save the sheet as .xlsx or CSV."))
    return _csv_rows(data)


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


def read_projects(data: bytes, filename: str, fund: str, number_format: str = "") -> ImportResult:
    """Projects of `fund` (e.g. 'ESF', 'ISF') from a CSV or XLSX export, with all errors and warnings.

    CSV is UTF-8 (a BOM is allowed) with ',', ';' or tab between fields; XLSX is read from its first
    sheet. Row 1 is the header. File-level problems are reported as errors on row 0.
    """
    fund = fund.strip()
    if not fund:
        raise ValueError(_("The fund (e.g. 'ESF' or 'ISF') is required."))
    try:
        rows = _rows(data, filename)
    except _FileProblem as exc:
        return ImportResult([], [RowError(0, "", str(exc))], [])
    if not rows or not any(text(cell) for cell in rows[0]):
        return ImportResult([], [RowError(0, "", _("The file is empty: row 1 must hold the headers."))], [])
    header = rows[0]
    columns, errors, warnings = map_header(header)
    if errors:
        return ImportResult([], errors, warnings)
    projects: list[OtherFundProject] = []
    first_row: dict[str, int] = {}  # identifier -> the row it first appeared on
    for number, cells in enumerate(rows[1:], start=2):
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
        errors += row.errors
        warnings += row.warnings
        if project is not None:
            projects.append(project)
    if not projects and not errors:
        errors.append(RowError(0, "", _("The file has headers but no projects.")))
    if projects and not any(p.enterprise_number for p in projects):
        count = messages.figure(Decimal(len(projects)), 0)
        if any(names.name_key(p.beneficiary_name) for p in projects):
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
        warnings.insert(0, RowError(0, "", notice % {"count": count}))
    return ImportResult(projects, errors, warnings)
