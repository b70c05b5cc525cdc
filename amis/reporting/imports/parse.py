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

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from amis.core import numbers
from amis.core.messages import gettext as _
from amis.core.tabular import (
    FileError,
    count_csv_rows,
    csv_rows,
    decode_check,
    sheet_rows,
    sniff_kind,
    xlsx_rows,
)
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


__all__ = [
    "FileError",
    "count_csv_rows",
    "csv_rows",
    "decode_check",
    "sheet_rows",
    "sniff_kind",
    "xlsx_rows",
]
