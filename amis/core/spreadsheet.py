"""Rows of the spreadsheets AMIS writes (CSV and XLSX): a text never becomes a formula.

Texts typed by anyone (an organisation's name, a reason, a title) end up in exports that authority
staff open in Excel or LibreOffice. A text starting with `=`, `+`, `-` or `@` (or a tab or carriage
return, which spreadsheets skip before looking for a formula) would be read as a formula there:
`=HYPERLINK("http://x","y")` sends whoever clicks to another site, DDE formulas start programs
(CSV/formula injection, OWASP). Every CSV and XLSX writer of AMIS goes through this module:

- CSV has no types, so such a text gets a leading apostrophe, the spreadsheets' sign for "text".
- XLSX has types: every text cell is written as a string (`data_type = "s"`) and one that starts like
  a formula also gets the "quote prefix" style, so it shows and stays text even when edited; its value
  is kept exactly as typed.

Numbers (`int`, `Decimal`, ...) stay numbers, negative ones included: only text is neutralised.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_START)


def csv_cell(value: Any) -> Any:
    """A text a spreadsheet reads as text (apostrophe prefixed when needed); anything else unchanged."""
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_cell(value) for value in values]


def _as_text(cell: Any) -> None:
    cell.data_type = "s"
    if looks_like_formula(cell.value):
        cell.quotePrefix = True


def xlsx_append(ws: Worksheet | WriteOnlyWorksheet, values: Iterable[Any]) -> None:
    """`ws.append(values)` with every text cell written as a string, never as a formula."""
    values = list(values)
    if isinstance(ws, WriteOnlyWorksheet):
        cells = [WriteOnlyCell(ws, value) for value in values]
        for written in cells:
            if isinstance(written.value, str):
                _as_text(written)
        ws.append(cells)
        return
    ws.append(values)
    for cell, value in zip(ws[ws.max_row], values, strict=False):
        if isinstance(value, str):
            _as_text(cell)
