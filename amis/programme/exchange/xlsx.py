"""Excel workbook of a version's tables: one sheet per table, numbers as numbers, set up for print.

Every row goes through `amis.core.spreadsheet.xlsx_append`, so a name that starts like a formula
stays text.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from amis.core import spreadsheet
from amis.programme.rules.annex_v import ALLOCATION_TYPES, tables_from_document
from amis.programme.rules.financing import FinancingPlan, plan_from_document

MONEY_FORMAT = "#,##0.00"
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
TOTAL_BORDER = Border(top=Side(style="thin"))


def _text(value: dict[str, str], language: str = "en") -> str:
    if not value:
        return ""
    return value.get(language) or next(iter(value.values()))


def _setup(ws: Worksheet, title: str, headers: list[str], widths: list[int]) -> None:
    spreadsheet.xlsx_append(ws, [title])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    spreadsheet.xlsx_append(ws, headers)
    for cell in ws[3]:
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def _row(ws: Worksheet, values: list[Any], *, total: bool = False) -> None:
    """One row: amounts stay numbers; texts (names typed in the programme) are written as text only."""
    spreadsheet.xlsx_append(ws, values)
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, Decimal):
            cell.number_format = MONEY_FORMAT
        if total:
            cell.font = BOLD
            cell.border = TOTAL_BORDER


def _annex_v_sheets(wb: Workbook, doc: dict[str, Any], heading: str) -> None:
    """Format 2: the 2021-2027 financing tables (Regulation (EU) 2021/1060, Annex V), totals computed."""
    tables = tables_from_document(doc)
    years = tables.years
    ws = wb.create_sheet("Appropriations")
    _setup(
        ws,
        f"Financial appropriations by year (EUR) - {heading}",
        ["Type of allocation", *map(str, years), "Total"],
        [30] + [15] * (len(years) + 1),
    )
    for kind in ALLOCATION_TYPES:
        if kind in tables.appropriations:
            amounts = tables.appropriations[kind]
            _row(ws, [kind, *[amounts.get(y) for y in years], tables.appropriation_total(kind)])
    _row(
        ws,
        [
            "TOTAL (transfers out taken off)",
            *[tables.appropriations_in_year(y) for y in years],
            tables.appropriations_total,
        ],
        total=True,
    )
    ws2 = wb.create_sheet("Allocations")
    _setup(
        ws2,
        f"Total allocations by specific objective and type of action (EUR) - {heading}",
        [
            "Specific objective",
            "Type of action",
            "Basis",
            "EU contribution",
            "National public",
            "National private",
            "Total",
            "Co-financing rate (%)",
        ],
        [14, 34, 10, 18, 18, 18, 18, 14],
    )
    for row in tables.allocations:
        _row(
            ws2,
            [
                row.specific_objective,
                row.type_of_action,
                row.basis,
                row.eu_contribution,
                row.national_public,
                row.national_private,
                row.total,
                row.rate,
            ],
        )
    _row(
        ws2,
        [
            "TOTAL",
            "",
            "",
            tables.eu_total,
            tables.national_public_total,
            tables.national_private_total,
            tables.total,
            None,
        ],
        total=True,
    )
    for cells in ws2.iter_rows(min_row=4, min_col=8, max_col=8):
        for cell in cells:
            cell.number_format = "0.00"


def workbook_bytes(doc: dict[str, Any], language: str = "en") -> bytes:
    plan: FinancingPlan = plan_from_document(doc)
    meta = doc["programme"]
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = "Table 1 Financing plan"
    heading = f"{meta['cci']} version {doc['version']['number']}"
    _setup(
        ws,
        f"Table 1: {meta['fund']} financing plan - {heading}",
        ["Specific objective / national objective / specific action", "Total (EUR)"],
        [70, 20],
    )
    for so in plan.specific_objectives:
        name = _text(so.name, language)
        for line in so.national_objectives:
            _row(ws, [f"{so.code}.{line.code} {_text(line.name, language)}", line.amount])
        _row(ws, [f"TOTAL NO {so.code} {name}", so.national_total], total=True)
        for line in so.specific_actions:
            _row(ws, [f"{so.code}.{line.code} {_text(line.name, language)}", line.amount])
        if so.specific_actions:
            _row(ws, [f"TOTAL SA {so.code} {name}", so.specific_action_total], total=True)
        _row(ws, [f"TOTAL {so.code} {name}", so.total], total=True)
    _row(ws, ["Technical assistance", plan.technical_assistance])
    _row(ws, ["TOTAL Special Cases", plan.special_cases_total], total=True)
    _row(ws, ["TOTAL", plan.total], total=True)

    years = plan.years
    ws2 = wb.create_sheet("Table 2 Special cases")
    _setup(
        ws2,
        f"Table 2: Special case pledges - {heading}",
        ["Special case", *map(str, years), "Total"],
        [40] + [15] * (len(years) + 1),
    )
    for sc in plan.special_cases:
        _row(ws2, [_text(sc.name, language), *[sc.annual.get(y) for y in years], sc.total])
    _row(
        ws2, ["TOTAL", *[plan.special_cases_in_year(y) for y in years], plan.special_cases_total], total=True
    )

    ws3 = wb.create_sheet("Table 3 Annual commitments")
    _setup(
        ws3,
        f"Table 3: Total annual EU commitments (EUR) - {heading}",
        ["", *map(str, years), "TOTAL"],
        [30] + [15] * (len(years) + 1),
    )
    for commitment in plan.commitments:
        _row(
            ws3,
            [_text(commitment.name, language), *[commitment.annual.get(y) for y in years], commitment.total],
        )
    _row(ws3, ["TOTAL", *[plan.commitments_in_year(y) for y in years], plan.commitments_total], total=True)

    special = doc.get("special_cases") or {}
    periods = special.get("pledging_periods", [])
    ws4 = wb.create_sheet("Pledging plans")
    _setup(
        ws4,
        f"Pledging plans (persons per period) - {heading}",
        ["Special case", "Pledge", "From", "To", "Lump sum per person", *periods, "Persons", "Amount"],
        [28, 50, 8, 8, 16] + [12] * (len(periods) + 2),
    )
    for sc in special.get("types", []):
        for pledge in sc.get("pledges", []):
            persons = [pledge["persons"].get(p) for p in periods]
            count = sum(v for v in persons if v)
            lump = Decimal(pledge["lump_sum"])
            _row(
                ws4,
                [
                    _text(sc["name"], language),
                    _text(pledge["name"], language),
                    pledge.get("from_country") or "",
                    pledge.get("to_country") or "",
                    lump,
                    *persons,
                    count,
                    lump * count,
                ],
            )

    format_2 = doc.get("format") == "amis-programme/2"
    ws5 = wb.create_sheet("Indicators")
    _setup(
        ws5,
        f"Common and programme-specific indicators - {heading}",
        ["SO", "Code", "Indicator", "Unit", "Baseline", "Target", "Source of data"]
        + (["Type", "Reference year", "Milestone (2024)"] if format_2 else []),
        [6, 8, 70, 10, 12, 12, 30] + ([10, 10, 14] if format_2 else []),
    )
    for so in doc["specific_objectives"]:
        for ind in so.get("indicators", []):
            _row(
                ws5,
                [
                    so["code"],
                    ind["code"],
                    _text(ind["name"], language),
                    ind["unit"],
                    Decimal(ind["baseline"]),
                    Decimal(ind["target"]),
                    _text(ind.get("source", {}), language),
                    *(
                        [
                            ind.get("type", ""),
                            ind.get("reference_year"),
                            Decimal(ind["milestone"]) if ind.get("milestone") else None,
                        ]
                        if format_2
                        else []
                    ),
                ],
            )
            for cell in [*ws5[ws5.max_row][4:6], *ws5[ws5.max_row][9:10]]:
                cell.number_format = "#,##0.00"
    if format_2:
        _annex_v_sheets(wb, doc, heading)
    for sheet in wb.worksheets:
        for cells in sheet.iter_rows(min_row=4):
            for cell in cells:
                if isinstance(cell.value, str):
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
