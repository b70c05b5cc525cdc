"""Audit trail exports (CSV and XLSX) for a period, an object or a person.

The entries hold texts typed by anyone (names, reasons); `core.spreadsheet` writes them so that no
cell can become a formula in the spreadsheet that opens the export.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable

from openpyxl import Workbook

from amis.core import spreadsheet
from amis.core.models import AuditEntry

COLUMNS = [
    "sequence",
    "at",
    "actor",
    "action",
    "object_type",
    "object_id",
    "object",
    "before",
    "after",
    "request_path",
    "remote_addr",
    "request_id",
    "entry_hash",
]


def _row(e: AuditEntry) -> list[str]:
    return [
        str(e.sequence),
        e.at.isoformat(),
        e.actor_label,
        e.action,
        e.object_type,
        e.object_id,
        e.object_repr,
        json.dumps(e.before, ensure_ascii=False) if e.before is not None else "",
        json.dumps(e.after, ensure_ascii=False) if e.after is not None else "",
        e.request_path,
        e.remote_addr or "",
        e.request_id or "",
        e.entry_hash,
    ]


def to_csv(entries: Iterable[AuditEntry]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for entry in entries:
        writer.writerow(spreadsheet.csv_row(_row(entry)))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel opens UTF-8 correctly


def to_xlsx(entries: Iterable[AuditEntry]) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Audit trail")
    ws.append(COLUMNS)
    for entry in entries:
        spreadsheet.xlsx_append(ws, _row(entry))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
