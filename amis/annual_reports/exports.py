"""The annual report written out: its tables as the pages show them (headings and cells in a
language), as an XLSX workbook (one sheet per table, amounts as numbers) and as a PDF (WeasyPrint)
in the language chosen among the programme's and the interface's (nl, fr, de, en).

Both are written from `selectors.current_content`: the snapshot of an approved or frozen report, the
data of today for a draft (the PDF then says "draft" on every page). The same frozen report always
gives the same content; the PDF's metadata carry no date, so its bytes depend on the report only.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from amis.annual_reports import selectors
from amis.annual_reports.models import AnnualReport
from amis.annual_reports.tables import TABLES, choice_label
from amis.core import spreadsheet
from amis.core.templatetags.amis import money, num, percent, pick_language

LANGUAGES = ("nl", "fr", "de", "en")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_META_DATE = "2000-01-01"

SECTION_LABELS = {
    "summary": gettext_lazy("Summary of the implementation"),
    "progress": gettext_lazy("Progress in implementation, milestones and targets"),
    "problems": gettext_lazy("Problems affecting performance and the measures taken"),
    "special_cases": gettext_lazy("Special cases"),
    "framework": gettext_lazy("Framework for implementation: monitoring, partnership, problems"),
    "other": gettext_lazy("Other information: partnership, communication and visibility"),
}


NOTES = {
    "special_cases": gettext_lazy(
        "AMIS records no resettled, transferred, relocated or admitted persons: none are reported for "
        "the year; the rows are the programme's plan (Table 2)."
    ),
}


def section_label(key: str) -> str:
    return str(SECTION_LABELS.get(key, key))


def _name(value: Any, language: str) -> str:
    if isinstance(value, dict):
        return pick_language(value, language)[1]
    return "" if value is None else str(value)


def _text(kind: str, key: str, value: Any, language: str) -> str:
    if value is None or value == "":
        return ""
    if kind == "money":
        return money(value)
    if kind == "share":
        return percent(value)
    if kind == "number":
        return num(value)
    if kind == "count":
        return str(value)
    if kind == "name":
        return _name(value, language)
    if kind == "choice":
        return choice_label(key, value)
    return str(value)


def table_views(content: dict[str, Any], language: str) -> list[dict[str, Any]]:
    """Every table of the report with its headings and its cells written for a reader of
    `language` (call inside `translation.override(language)` for the numbers' format)."""
    out = []
    tables = content.get("generated", {}).get("tables", {})
    for key, table in TABLES.items():
        rows = tables.get(key, [])
        out.append(
            {
                "key": key,
                "title": str(table.title),
                "headings": [
                    {"label": str(c.label), "numeric": c.type in ("money", "share", "number", "count")}
                    for c in table.columns
                ],
                "note": str(NOTES[key]) if key in NOTES else "",
                "rows": [
                    {
                        "level": row.get("level", 0),
                        "cells": [
                            {
                                "text": _text(c.type, c.key, row.get(c.key), language)
                                if not (row.get("level") == -1 and c.key == "code")
                                else str(_("Total")),
                                "numeric": c.type in ("money", "share", "number", "count"),
                            }
                            for c in table.columns
                        ],
                    }
                    for row in rows
                ],
            }
        )
    return out


def _cell(kind: str, key: str, value: Any, language: str) -> Any:
    """An XLSX cell: numbers as numbers (amounts exact: Decimal), texts as text."""
    if value is None or value == "":
        return None
    if kind in ("money", "number", "share"):
        return Decimal(str(value))
    if kind == "count":
        return int(value)
    return _text(kind, key, value, language)


def xlsx(report: AnnualReport, language: str = "en") -> bytes:
    """One sheet per table, then the texts: headings in `language`, amounts in euro as numbers."""
    content = selectors.current_content(report)
    book = Workbook(write_only=True)
    with translation.override(language):
        about = book.create_sheet(str(_("Report"))[:31])
        for row in _header_rows(report, content):
            spreadsheet.xlsx_append(about, row)
        tables = content.get("generated", {}).get("tables", {})
        for key, table in TABLES.items():
            sheet = book.create_sheet(key[:31])
            spreadsheet.xlsx_append(sheet, [str(table.title)])
            spreadsheet.xlsx_append(sheet, [str(c.label) for c in table.columns])
            for row in tables.get(key, []):
                cells = [_cell(c.type, c.key, row.get(c.key), language) for c in table.columns]
                if row.get("level") == -1:
                    cells[0] = str(_("Total"))
                spreadsheet.xlsx_append(sheet, cells)
        texts = book.create_sheet(str(_("Texts"))[:31])
        spreadsheet.xlsx_append(texts, [str(_("Section")), str(_("Specific objective")), str(_("Text"))])
        for part in content.get("narrative", []):
            spreadsheet.xlsx_append(
                texts, [section_label(part["section"]), part["specific_objective"], part["text"]]
            )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _header_rows(report: AnnualReport, content: dict[str, Any]) -> list[list[Any]]:
    approval = content.get("approval") or {}
    return [
        [str(_("Programme")), report.programme.cci],
        [str(_("Report")), str(AnnualReport.Kind(report.kind).label)],
        [str(_("Year")), report.year],
        [str(_("Period covered")), f"{report.period_start.isoformat()} – {report.period_end.isoformat()}"],
        [str(_("Due date")), report.due_date.isoformat()],
        [str(_("Status")), str(AnnualReport.Status(report.status).label)],
        [str(_("Approved by the Monitoring Committee on")), approval.get("meeting_date", "")],
        [str(_("Decision or minutes")), approval.get("reference", "")],
        [str(_("Programme version")), content.get("generated", {}).get("version")],
    ]


def pdf_context(report: AnnualReport, language: str) -> dict[str, Any]:
    content = selectors.current_content(report)
    narrative = [{**part, "label": section_label(part["section"])} for part in content.get("narrative", [])]
    return {
        "report": report,
        "kind": AnnualReport.Kind(report.kind).label,
        "status": AnnualReport.Status(report.status).label,
        "final": report.status in ("approved", "frozen"),
        "approval": content.get("approval") or {},
        "programme_title": _name(report.programme.title, language),
        "tables": table_views(content, language),
        "narrative": narrative,
        "language": language,
        "meta_date": _META_DATE,
        "sha256": report.snapshot_sha256,
    }


def pdf(report: AnnualReport, language: str = "en") -> bytes:
    from weasyprint import HTML  # imported here: loading pango is slow and only PDFs need it

    with translation.override(language):
        html = render_to_string("annual_reports/report_pdf.html", pdf_context(report, language))
    return bytes(HTML(string=html).write_pdf())


def languages_for(report: AnnualReport) -> list[str]:
    """The languages a report is exported in: the programme's first, then the others AMIS speaks."""
    own = [lang for lang in report.programme.languages or [] if lang in LANGUAGES]
    return [*own, *(lang for lang in LANGUAGES if lang not in own)]
