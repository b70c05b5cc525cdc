"""Reading a file of expenditure lines (CSV or XLSX) row by row — plain Python, no Django.

Streaming: a CSV is read line by line through a text wrapper, an XLSX with openpyxl's read-only
mode; neither is held in memory. Each row becomes a `rules.LineInput` (or the problems of its cells),
which the caller checks with `rules.check_line`, the one check of typed, API and imported lines.

- Encoding: UTF-8, with or without the byte-order mark Excel writes.
- Separator: `;` (what Excel writes in Belgium, where the comma is the decimal mark), `,` or a tab,
  sniffed from the header line.
- Header: the template's first row names the columns in the reader's language and its second row
  carries the stable machine names (`invoice_date`...); either row is enough, in any of the four
  languages, in any order. Columns AMIS does not know are ignored; `category` is required.
- Numbers written as text are read in ONE number format per file (never guessed cell by cell):
  `comma` (`1.234,56` or `1 234,56`, Belgian usage) or `point` (`1,234.56`). The format is the one
  the uploader chose, else the one the template was made with, else the language of the file's
  header row, else the decimal comma for a `;`-separated CSV (what Excel writes where the comma is
  the decimal mark), else the uploader's language; every refusal of a number says which format it
  was read in. Numbers typed as numbers in Excel are read
  exactly as numbers.
- Dates: day first (`31/12/2027`, `31.12.2027`, `31-12-2027`) or ISO (`2027-12-31`); real date cells
  in Excel.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from amis.core import numbers
from amis.core.messages import gettext as _
from amis.reporting import rules

# The template's columns, in order: the machine names are stable (the second header row).
COLUMNS = (
    "category",
    "cost_type",
    "supplier_name",
    "supplier_number",
    "invoice_number",
    "invoice_date",
    "payment_date",
    "description",
    "amount_excl_vat",
    "amount_incl_vat",
    "vat_recoverable",
    "amount_declared",
    "units",
    "simplified_cost",
    "credit_note_for",
    "document_name",
)
REQUIRED = ("category",)
TEXT_LIMITS = {  # the database columns' lengths
    "category": 20,
    "supplier_name": 200,
    "supplier_number": 20,
    "invoice_number": 60,
    "description": 300,
    "simplified_cost": 40,
    "credit_note_for": 60,
    "document_name": 255,
}
DATES = ("invoice_date", "payment_date")
# the database columns' sizes: NUMERIC(15, 2) for amounts, NUMERIC(12, 2) for units
LIMITS = {"amount_excl_vat": 10**13, "amount_incl_vat": 10**13, "amount_declared": 10**13, "units": 10**10}
AMOUNTS = ("amount_excl_vat", "amount_incl_vat", "amount_declared", "units")

# number formats of a file: the language whose rule reads it
COMMA, POINT = "comma", "point"
FORMAT_LANGUAGE = {COMMA: "nl", POINT: "en"}
LANGUAGE_FORMAT = {"nl": COMMA, "fr": COMMA, "de": COMMA, "en": POINT}

YES = frozenset({"yes", "y", "ja", "j", "oui", "o", "true", "1", "x", "waar", "vrai", "wahr"})
NO = frozenset({"no", "n", "nee", "non", "nein", "false", "0", "", "onwaar", "faux", "falsch"})

_INT = re.compile(r"^-?\d{1,20}$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_SUPPLIER_NUMBER = re.compile(r"[\s.\-/]")


class FileError(ValueError):
    """The file as a whole cannot be read (not UTF-8, not an XLSX, no header, a column twice)."""


def format_for(language: str | None) -> str:
    code = (language or "en").lower().replace("_", "-").split("-")[0]
    return LANGUAGE_FORMAT.get(code, POINT)


def format_label(number_format: str) -> str:
    if number_format == COMMA:
        return _("decimal comma, e.g. 1.234,56 or 1 234,56")
    return _("decimal point, e.g. 1,234.56")


@dataclass(frozen=True)
class Header:
    """Where each known column is, what the file calls it, and the language its header is in."""

    positions: dict[str, int]  # machine name -> cell index
    names: dict[str, str]  # machine name -> the header as written in the file
    language: str | None  # the language of the human header row, if it was one
    data_starts: int  # file row number of the first data row


@dataclass
class RowResult:
    number: int  # row number as in the file (1 = the first line)
    line: rules.LineInput | None
    problems: dict[str, str] = field(default_factory=dict)  # machine name -> message


# -- reading the rows --------------------------------------------------------------------------------


def sniff_kind(name: str, head: bytes) -> str:
    """`csv` or `xlsx`, from the content first (an XLSX is a ZIP), then the name."""
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if name.lower().endswith((".xlsx", ".xlsm")):
        raise FileError(_("The file is named .xlsx but is not an Excel workbook."))
    return "csv"


def csv_rows(handle: IO[bytes], meta: dict[str, str] | None = None) -> Iterator[tuple[int, list[Any]]]:
    """(row number, cells) of a UTF-8 CSV, the separator sniffed from its first line (and written
    into `meta["separator"]`)."""
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="", errors="strict")
    try:
        first = text.readline()
    except UnicodeDecodeError as error:
        raise FileError(_("The file is not UTF-8 text: save it as 'CSV UTF-8' or as .xlsx.")) from error
    counts = {sep: first.count(sep) for sep in (";", ",", "\t")}
    separator = max(counts, key=lambda s: counts[s])
    if counts[separator] == 0:
        separator = ";"
    if meta is not None:
        meta["separator"] = separator
    reader = csv.reader(_chain([first], text), delimiter=separator)
    number = 0
    try:
        for cells in reader:
            number += 1
            yield number, cells
    except UnicodeDecodeError as error:
        raise FileError(
            _("The file is not UTF-8 text after row %(row)s: save it as 'CSV UTF-8' or as .xlsx.")
            % {"row": number}
        ) from error
    except csv.Error as error:
        raise FileError(
            _("Row %(row)s cannot be read as CSV: %(error)s") % {"row": number + 1, "error": error}
        ) from error


def _chain(first: list[str], rest: Iterable[str]) -> Iterator[str]:
    yield from first
    yield from rest


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)\"")


def _workbook(handle: IO[bytes]) -> Any:
    """openpyxl's read-only workbook, except that a sheet's size is read from its `<dimension>`
    element only: openpyxl otherwise parses the whole sheet once more to size a sheet that has none
    (files written by openpyxl's write-only mode, some exporters)."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.utils.cell import range_boundaries
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    class Sheet(ReadOnlyWorksheet):  # type: ignore[misc]
        def _get_size(self) -> None:
            me: Any = self
            with me._get_source() as src:
                head = src.read(65536)
            match = _DIMENSION.search(head)
            if match:
                ref = match.group(1).decode()
                if ":" not in ref:
                    ref = f"{ref}:{ref}"
                me._min_column, me._min_row, me._max_column, me._max_row = range_boundaries(ref)

    class Reader(ExcelReader):  # type: ignore[misc]
        def read_worksheets(self) -> None:
            for sheet, rel in self.parser.find_sheets():
                if rel.target not in self.valid_files or "chartsheet" in rel.Type:
                    continue
                ws = Sheet(self.wb, sheet.name, rel.target, self.shared_strings)
                ws.sheet_state = sheet.state or "visible"
                book: Any = self.wb
                book._sheets.append(ws)

    reader = Reader(handle, read_only=True, data_only=True)
    reader.read()
    return reader.wb


def xlsx_rows(handle: IO[bytes]) -> tuple[int | None, Iterator[tuple[int, list[Any]]], dict[str, str]]:
    """(rows in the sheet if the file says, (row number, cells), the template's metadata) of the
    workbook's first sheet, read-only and streaming."""
    try:
        book = _workbook(handle)
    except Exception as error:  # noqa: BLE001 - zipfile.BadZipFile, KeyError, ValueError...: a broken upload
        raise FileError(_("The file is not an Excel workbook AMIS can read (.xlsx).")) from error
    meta: dict[str, str] = {}
    if "amis" in book.sheetnames:
        for row in book["amis"].iter_rows(max_row=20, values_only=True):
            if row and row[0] and len(row) > 1:
                meta[str(row[0])] = "" if row[1] is None else str(row[1])
    if not book.worksheets:
        raise FileError(_("The file is not an Excel workbook AMIS can read (.xlsx)."))
    sheet = book.worksheets[0]
    total = sheet.max_row if isinstance(sheet.max_row, int) else None

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            with book._archive.open(sheet._worksheet_path) as source:
                yield from sheet_rows(source, sheet._shared_strings, book._date_formats, book.epoch)
        finally:
            book.close()

    return total, rows(), meta


def sheet_rows(
    source: IO[bytes], shared: list[Any], date_styles: set[int], epoch: dt.datetime
) -> Iterator[tuple[int, list[Any]]]:
    """(row number, cell values) of a worksheet's XML, parsed with expat straight from the archive in
    64 KB chunks: the values openpyxl's `iter_rows(values_only=True)` gives (shared and inline
    strings, numbers, booleans, dates by their cell style), three to four times faster, which is
    what brings 100,000 rows under 30 seconds."""
    from xml.parsers import expat

    from openpyxl.utils.cell import column_index_from_string
    from openpyxl.utils.datetime import from_excel

    columns: dict[str, int] = {}
    done: list[tuple[int, list[Any]]] = []
    state: dict[str, Any] = {"row": 0, "cells": [], "col": 0, "t": "n", "s": 0, "text": [], "collect": False}

    def start(name: str, attrs: dict[str, str]) -> None:
        tag = name.rpartition(" ")[2]
        if tag == "c":
            ref = attrs.get("r")
            if ref:
                letters = ref.rstrip("0123456789")
                col = columns.get(letters)
                if col is None:
                    col = columns[letters] = column_index_from_string(letters) - 1
                state["col"] = col
            else:
                state["col"] = len(state["cells"])
            state["t"] = attrs.get("t", "n")
            style = attrs.get("s")
            state["s"] = int(style) if style else 0
            state["text"] = []
        elif tag in ("v", "t"):
            state["collect"] = True
        elif tag == "row":
            number = attrs.get("r")
            state["row"] = int(number) if number else state["row"] + 1
            state["cells"] = []

    def end(name: str) -> None:
        tag = name.rpartition(" ")[2]
        if tag in ("v", "t"):
            state["collect"] = False
        elif tag == "c":
            text = "".join(state["text"])
            kind = state["t"]
            value: Any
            if kind == "s":
                value = shared[int(text)] if text else None
                value = None if value is None else str(value)
            elif kind in ("inlineStr", "str", "e"):
                value = text
            elif kind == "b":
                value = text == "1"
            elif kind == "d":
                value = dt.datetime.fromisoformat(text) if text else None
            elif not text:
                value = None
            else:
                value = float(text) if ("." in text or "E" in text or "e" in text) else int(text)
                if state["s"] in date_styles:
                    value = from_excel(value, epoch)
            cells = state["cells"]
            col = state["col"]
            if col >= len(cells):
                cells.extend([None] * (col - len(cells) + 1))
            cells[col] = value
        elif tag == "row":
            done.append((state["row"], state["cells"]))

    def chars(data: str) -> None:
        if state["collect"]:
            state["text"].append(data)

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.buffer_text = True
    try:
        for chunk in iter(lambda: source.read(65536), b""):
            parser.Parse(chunk, False)
            yield from done
            done.clear()
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise FileError(_("The file is not an Excel workbook AMIS can read (.xlsx).")) from error
    yield from done


def count_csv_rows(handle: IO[bytes]) -> int:
    """Lines of a CSV file (a quick count for the progress bar; quoted line breaks count extra)."""
    total, last = 0, b"\n"
    for chunk in iter(lambda: handle.read(1 << 20), b""):
        total += chunk.count(b"\n")
        last = chunk[-1:]
    return total + (0 if last == b"\n" else 1)


# -- the header -------------------------------------------------------------------------------------


def _key(cell: Any) -> str:
    return " ".join(str(cell).split()).casefold() if cell is not None else ""


def read_header(
    rows: Iterator[tuple[int, list[Any]]], aliases: Mapping[str, tuple[str, str | None]]
) -> tuple[Header, tuple[int, list[Any]] | None]:
    """The header (one or two rows) and the first row after it, already read from `rows`.

    `aliases`: a header text (case-folded) -> (machine name, language of that text or None)."""
    positions: dict[str, int] = {}
    names: dict[str, str] = {}
    languages: dict[str, int] = {}
    header_rows = 0
    for number, cells in rows:
        if not any(_key(c) for c in cells):
            if header_rows:
                return _header(positions, names, languages, number + 1), None
            continue
        found = {i: aliases[_key(c)] for i, c in enumerate(cells) if _key(c) in aliases}
        filled = sum(1 for c in cells if _key(c))
        if len(found) * 2 < filled:  # a data row (that may hold a word like "description")
            found = {}
        if not found:
            if not header_rows:
                raise FileError(
                    _(
                        "Row %(row)s is not the template's header: the first row must name the columns "
                        "(download the template)."
                    )
                    % {"row": number}
                )
            return _header(positions, names, languages, number), (number, cells)
        header_rows += 1
        seen: set[str] = set()
        for index, (key, language) in found.items():
            if key in seen:
                raise FileError(
                    _("Row %(row)s names the column '%(column)s' twice.") % {"row": number, "column": key}
                )
            seen.add(key)
            if key in positions and positions[key] != index:
                raise FileError(
                    _("The two header rows disagree about the column '%(column)s'.") % {"column": key}
                )
            positions[key] = index
            if language is not None or key not in names:
                names[key] = str(cells[index]).strip()
            if language is not None:
                languages[language] = languages.get(language, 0) + 1
        if header_rows == 2:
            return _header(positions, names, languages, number + 1), None
    if not header_rows:
        raise FileError(_("The file is empty."))
    return _header(positions, names, languages, 0), None


def _header(
    positions: dict[str, int], names: dict[str, str], languages: dict[str, int], start: int
) -> Header:
    missing = [c for c in REQUIRED if c not in positions]
    if missing:
        raise FileError(
            _("The file has no column '%(column)s' (download the template).") % {"column": ", ".join(missing)}
        )
    language = max(languages, key=lambda k: languages[k]) if languages else None
    return Header(positions=positions, names=names, language=language, data_starts=start)


# -- one row ----------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an invoice number typed as a number in Excel
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()


def parse_decimal(value: Any, number_format: str) -> Decimal:
    """A number cell: Excel's numbers as they are, text in the file's number format. ValueError."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(value)
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value
    text = str(value).strip()
    if _INT.match(text):
        return Decimal(text)
    language = FORMAT_LANGUAGE[number_format]
    mark = "," if number_format == COMMA else "."
    whole, sep, fraction = text.partition(mark)
    if sep and fraction.isdigit() and len(fraction) <= 2 and _INT.match(whole):
        return Decimal(f"{whole}.{fraction}")
    try:
        return numbers.parse_number(text, language)
    except numbers.NumberError as error:
        if error.code == "too_large":
            return Decimal(10) ** 20  # refused as too large by the caller, with that message
        raise ValueError(text) from error
    except InvalidOperation as error:
        raise ValueError(text) from error


def parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if len(text) == 10:
        if text[2] == text[5] and text[2] in "/.-":
            try:
                return dt.date(int(text[6:]), int(text[3:5]), int(text[:2]))  # 31/12/2027
            except ValueError:
                pass
        elif text[4] == "-" == text[7]:
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                pass
    match = _ISO.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _DMY.match(text)
        if not match:
            raise ValueError(text)
        day, month, year = (int(g) for g in match.groups())
    return dt.date(year, month, day)


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        if value in (0, 1):
            return bool(value)
        raise ValueError(value)
    text = _key(value)
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError(text)


_KIND = {key: "amount" for key in AMOUNTS} | {key: "date" for key in DATES}
_KIND |= {"vat_recoverable": "bool", "cost_type": "cost_type", "supplier_number": "supplier_number"}


def read_row(
    number: int,
    cells: list[Any],
    header: Header,
    number_format: str,
    cost_types: Mapping[str, str],
) -> RowResult | None:
    """One data row as a `LineInput`, or the problems of its cells; None for an empty row.

    `cost_types`: a type's name in any language (case-folded) or its code -> the code."""
    values: dict[str, Any] = {}
    problems: dict[str, str] = {}
    width = len(cells)
    for key, index in header.positions.items():
        raw = cells[index] if index < width else None
        if raw is None:
            continue
        if type(raw) is str:
            raw = raw.strip()
            if not raw:
                continue
        kind = _KIND.get(key)
        try:
            if kind is None:
                text = raw if type(raw) is str else _text(raw)
                if len(text) > TEXT_LIMITS[key]:
                    problems[key] = _too_long(key, text)
                else:
                    values[key] = text
            elif kind == "amount":
                amount = parse_decimal(raw, number_format)
                if not amount.is_finite() or abs(amount) >= LIMITS[key]:
                    problems[key] = _(
                        "'%(value)s' is too large (at most %(digits)s digits before the decimal mark)."
                    ) % {
                        "value": _text(raw),
                        "digits": len(str(LIMITS[key])) - 1,
                    }
                else:
                    values[key] = amount
            elif kind == "date":
                values[key] = parse_date(raw)
            elif kind == "bool":
                values[key] = parse_bool(raw)
            elif kind == "cost_type":
                code = cost_types.get(_key(raw))
                if code is None:
                    problems[key] = _(
                        "Unknown type of cost '%(type)s': real cost, unit cost or lump sum."
                    ) % {"type": _text(raw)}
                else:
                    values[key] = code
            else:
                text = _SUPPLIER_NUMBER.sub("", _text(raw)).upper()
                if len(text) > TEXT_LIMITS[key]:
                    problems[key] = _too_long(key, text)
                else:
                    values[key] = text
        except ValueError:
            problems[key] = _problem(key, raw, number_format)
    if not values and not problems:
        return None
    if problems:
        return RowResult(number, None, problems)
    return RowResult(number, rules.LineInput(category=values.pop("category", ""), **values))


def _too_long(key: str, text: str) -> str:
    return _("At most %(n)s characters (this one has %(length)s).") % {
        "n": TEXT_LIMITS[key],
        "length": len(text),
    }


def _problem(key: str, raw: Any, number_format: str) -> str:
    shown = _text(raw)
    if key in AMOUNTS:
        return _("'%(value)s' is not a number in this file's number format (%(format)s).") % {
            "value": shown,
            "format": format_label(number_format),
        }
    if key in DATES:
        return _("'%(value)s' is not a date: write it as 31/12/2027 (day first) or 2027-12-31.") % {
            "value": shown
        }
    return _("'%(value)s' is neither yes nor no.") % {"value": shown}


def decode_check(head: bytes) -> None:
    """Refuse at upload a CSV that is not UTF-8 in its first bytes (the worker checks the rest)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head, final=False)
    except UnicodeDecodeError as error:
        raise FileError(_("The file is not UTF-8 text: save it as 'CSV UTF-8' or as .xlsx.")) from error
