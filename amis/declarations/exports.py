"""The accounts and a payment application as XLSX (openpyxl, every cell through
`core.spreadsheet.xlsx_append` so no text becomes a formula) and PDF (WeasyPrint, as
`projects/pdf.py`)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from amis.core.spreadsheet import xlsx_append
from amis.declarations import rules

AMOUNT_COLUMNS = ("eligible", "public", "eu")


def _headers() -> list[str]:
    return [_("Total eligible expenditure"), _("Public contribution"), _("EU amount")]


def _amounts(data: dict[str, str]) -> list[Decimal]:
    return [Decimal(data[c]) for c in AMOUNT_COLUMNS]


def _first(wb: Workbook) -> Worksheet:
    sheet = wb.active
    assert isinstance(sheet, Worksheet)
    return sheet


def _bytes(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def accounts_xlsx(document: dict[str, Any]) -> bytes:
    wb = Workbook()
    ws = _first(wb)
    ws.title = _("Accounts")[:31]
    xlsx_append(
        ws,
        [
            _("Programme"),
            document["programme"],
            _("Year"),
            document["year"],
            document["start"],
            document["end"],
        ],
    )
    xlsx_append(ws, [_("Template"), document["template"], _("Article"), document["article"]])
    xlsx_append(ws, [])
    parts = (
        ("declared", _("Declared in the payment applications")),
        ("held_back", _("Held back (assessment under way)")),
        ("corrected", _("Withdrawn after corrections")),
        ("recovered", _("Recovered")),
        ("net", _("Amount in the accounts")),
    )
    header = [_("Specific objective")]
    for _key, label in parts:
        header += [f"{label}: {h}" for h in _headers()]
    xlsx_append(ws, header)
    for row in [*document["objectives"], document["total"]]:
        cells: list[Any] = [row["specific_objective"] if row["specific_objective"] != "total" else _("Total")]
        for key, _label in parts:
            cells += _amounts(row[key])
        xlsx_append(ws, cells)
    xlsx_append(ws, [])
    if document["prefinancing"] is not None:  # programme-wide readers only
        xlsx_append(ws, [_("Pre-financing received in the year"), Decimal(document["prefinancing"])])
        xlsx_append(ws, [_("Received from the Commission in the year"), Decimal(document["received"])])
    rec = wb.create_sheet(_("Reconciliation")[:31])
    xlsx_append(rec, [_("Kind"), _("Specific objective"), *_headers(), _("Source"), _("Explanation")])
    for d in document["differences"]:
        xlsx_append(
            rec,
            [
                str(KIND_LABELS.get(d["kind"], d["kind"])),
                d["so"],
                *_amounts(d["amounts"]),
                d["ref"],
                d["explanation"],
            ],
        )
    return _bytes(wb)


def application_xlsx(application: Any, rows: list[Any], total: rules.Amounts, items: list[Any]) -> bytes:
    wb = Workbook()
    ws = _first(wb)
    ws.title = _("Payment application")[:31]
    xlsx_append(
        ws,
        [
            _("Programme"),
            application.programme.cci,
            _("Year"),
            application.year,
            _("Sequence"),
            application.sequence,
        ],
    )
    xlsx_append(ws, [])
    xlsx_append(ws, [_("Specific objective"), *_headers(), _("Items")])
    for r in rows:
        xlsx_append(ws, [r.specific_objective, r.amounts.eligible, r.amounts.public, r.amounts.eu, r.items])
    xlsx_append(ws, [_("Total"), total.eligible, total.public, total.eu])
    sheet = wb.create_sheet(_("Items")[:31])
    xlsx_append(
        sheet, [_("Project"), _("Call"), _("Specific objective"), *_headers(), _("Held back"), _("Reason")]
    )
    for i in items:
        xlsx_append(
            sheet,
            [
                i.project.reference,
                i.call.code,
                i.specific_objective,
                i.eligible,
                i.public,
                i.eu,
                _("yes") if i.held_back else "",
                i.held_reason,
            ],
        )
    return _bytes(wb)


def application_pdf(context: dict[str, Any], language: str) -> bytes:
    from django.utils import translation
    from weasyprint import HTML  # loading pango is slow and only PDFs need it

    with translation.override(language):
        html = render_to_string("declarations/application_pdf.html", context)
    return bytes(HTML(string=html).write_pdf())


def accounts_pdf(document: dict[str, Any], language: str) -> bytes:
    from django.utils import translation
    from weasyprint import HTML  # loading pango is slow and only PDFs need it

    with translation.override(language):
        html = render_to_string("declarations/accounts_pdf.html", {"doc": document, "kinds": KIND_LABELS})
    return bytes(HTML(string=html).write_pdf())


KIND_LABELS = {
    "declared": gettext_lazy("declared"),
    "held_back": gettext_lazy("held back: assessment under way"),
    "corrected": gettext_lazy("withdrawn after a financial correction"),
    "recovered": gettext_lazy("recovered from the beneficiary"),
}
