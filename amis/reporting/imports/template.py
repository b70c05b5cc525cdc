"""The expenditure template a beneficiary downloads for one report: XLSX (with the project's cost
categories, the types of cost and the agreement's simplified cost codes as drop-down lists, date and
amount validation and an instructions sheet) or CSV (the two header rows only).

The first row names the columns in the reader's language; the second carries the stable machine
names (`invoice_date`...), so a file filled in any language is read the same way
(`imports.parse.read_header`). The workbook's hidden sheet `amis` says which report and which
number format (`parse.COMMA`/`POINT`) it was made for.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from amis.core.spreadsheet import csv_row, xlsx_append
from amis.reporting import rules
from amis.reporting.imports import parse
from amis.reporting.models import Report
from amis.reporting.selectors import line_context

LABELS = {
    "category": gettext_lazy("Cost category"),
    "cost_type": gettext_lazy("Type of cost"),
    "supplier_name": gettext_lazy("Supplier"),
    "supplier_number": gettext_lazy("Enterprise or VAT number"),
    "invoice_number": gettext_lazy("Invoice number"),
    "invoice_date": gettext_lazy("Invoice date"),
    "payment_date": gettext_lazy("Payment date"),
    "description": gettext_lazy("Description"),
    "amount_excl_vat": gettext_lazy("Amount excluding VAT"),
    "amount_incl_vat": gettext_lazy("Amount including VAT"),
    "vat_recoverable": gettext_lazy("VAT recoverable"),
    "amount_declared": gettext_lazy("Amount declared"),
    "units": gettext_lazy("Units delivered"),
    "simplified_cost": gettext_lazy("Simplified cost code"),
    "credit_note_for": gettext_lazy("Credit note for invoice"),
    "document_name": gettext_lazy("Supporting document"),
}
COST_TYPE_LABELS = {
    rules.REAL: gettext_lazy("real cost"),
    rules.UNIT: gettext_lazy("unit cost"),
    rules.LUMP_SUM: gettext_lazy("lump sum"),
}
LANGUAGES = ("nl", "fr", "de", "en")
DATA_ROWS = 10_000  # rows of the sheet the drop-downs and validations cover
WIDTHS = {"description": 40, "supplier_name": 28}


def label(key: str) -> str:
    return str(LABELS[key])


def header_aliases() -> dict[str, tuple[str, str | None]]:
    """Every header text AMIS reads (case-folded): the machine names, and the labels in each language."""
    aliases: dict[str, tuple[str, str | None]] = {}
    for language in LANGUAGES:
        with translation.override(language):
            for key in parse.COLUMNS:
                aliases.setdefault(" ".join(label(key).split()).casefold(), (key, language))
    for key in parse.COLUMNS:
        aliases[key] = (key, None)
    return aliases


def cost_type_aliases() -> dict[str, str]:
    """A type of cost as written in a file (code or name in any language, case-folded) -> its code."""
    found = {code: code for code in rules.COST_TYPES}
    for language in LANGUAGES:
        with translation.override(language):
            for code, name in COST_TYPE_LABELS.items():
                found[" ".join(str(name).split()).casefold()] = code
    found[""] = rules.REAL
    return found


def _yes_no() -> tuple[str, str]:
    return _("yes"), _("no")


def template_csv(report: Report) -> bytes:
    """The CSV template: UTF-8 with the byte-order mark, `;` (the separator of Excel in Belgium)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(csv_row(label(k) for k in parse.COLUMNS))
    writer.writerow(parse.COLUMNS)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(report: Report) -> bytes:
    context = line_context(report)
    language = translation.get_language() or "en"
    number_format = parse.format_for(language)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Expenditure")[:31]
    xlsx_append(sheet, [label(k) for k in parse.COLUMNS])
    xlsx_append(sheet, list(parse.COLUMNS))
    bold = Font(bold=True)
    grey = Font(color="595959", italic=True, size=9)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for index, key in enumerate(parse.COLUMNS, start=1):
        top = sheet.cell(row=1, column=index)
        top.font, top.fill = bold, fill
        top.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.cell(row=2, column=index).font = grey
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(key, 18)
    sheet.freeze_panes = "A3"

    lists = book.create_sheet("lists")
    categories = sorted(context.categories)
    types = [str(COST_TYPE_LABELS[c]) for c in (rules.REAL, rules.UNIT, rules.LUMP_SUM)]
    codes = sorted(context.simplified_costs)
    yes, no = _yes_no()
    columns = [categories, types, codes or [""], [yes, no]]
    for col, values in enumerate(columns, start=1):
        for row, value in enumerate(values, start=1):
            lists.cell(row=row, column=col, value=value).data_type = "s"
    lists.sheet_state = "hidden"

    def where(key: str) -> str:
        letter = get_column_letter(parse.COLUMNS.index(key) + 1)
        return f"{letter}3:{letter}{DATA_ROWS + 2}"

    def listed(key: str, col: int, count: int, title: str) -> None:
        letter = get_column_letter(col)
        rule = DataValidation(
            type="list", formula1=f"=lists!${letter}$1:${letter}${max(count, 1)}", allow_blank=True
        )
        rule.error, rule.errorTitle = _("Choose a value from the list."), title
        rule.showErrorMessage = True
        sheet.add_data_validation(rule)
        rule.add(where(key))

    listed("category", 1, len(categories), label("category"))
    listed("cost_type", 2, len(types), label("cost_type"))
    if codes:
        listed("simplified_cost", 3, len(codes), label("simplified_cost"))
    listed("vat_recoverable", 4, 2, label("vat_recoverable"))

    start, end = context.eligible_start, context.eligible_end
    for key in parse.DATES:
        rule = DataValidation(
            type="date",
            operator="between",
            formula1=f"DATE({start.year},{start.month},{start.day})",
            formula2=f"DATE({end.year},{end.month},{end.day})",
            allow_blank=True,
        )
        rule.error = _("A date of the eligibility period, %(start)s – %(end)s.") % {
            "start": start.strftime("%d/%m/%Y"),
            "end": end.strftime("%d/%m/%Y"),
        }
        rule.errorTitle, rule.showErrorMessage = label(key), True
        sheet.add_data_validation(rule)
        rule.add(where(key))
        sheet.column_dimensions[get_column_letter(parse.COLUMNS.index(key) + 1)].number_format = "DD/MM/YYYY"
    amounts = DataValidation(
        type="decimal", operator="between", formula1="-9999999999999", formula2="9999999999999"
    )
    amounts.error, amounts.errorTitle = _("An amount in euro, with at most two decimals."), _("Amount")
    amounts.showErrorMessage, amounts.allow_blank = True, True
    sheet.add_data_validation(amounts)
    for key in parse.AMOUNTS:
        amounts.add(where(key))
        sheet.column_dimensions[get_column_letter(parse.COLUMNS.index(key) + 1)].number_format = "#,##0.00"

    help_sheet = book.create_sheet(_("Instructions")[:31])
    for line in instructions(report, context, yes, no):
        xlsx_append(help_sheet, [line])
    help_sheet.column_dimensions["A"].width = 120
    help_sheet.cell(row=1, column=1).font = Font(bold=True, size=13)

    meta = book.create_sheet("amis")
    for key, value in (
        ("report", str(report.pk)),
        ("project", report.project.reference),
        ("number_format", number_format),
        ("language", language),
    ):
        xlsx_append(meta, [key, str(value)])
    meta.sheet_state = "hidden"
    book.active = 0
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def instructions(report: Report, context: rules.LineContext, yes: str, no: str) -> list[str]:
    start, end = context.eligible_start.strftime("%d/%m/%Y"), context.eligible_end.strftime("%d/%m/%Y")
    lines = [
        _("Expenditure of %(project)s, report %(number)s")
        % {"project": report.project.reference, "number": report.number},
        "",
        _(
            "One expenditure line a row, from row 3. Keep the first two rows: the second names the columns "
            "for AMIS."
        ),
        _("Cost category: one of %(categories)s.") % {"categories": ", ".join(sorted(context.categories))},
        _(
            "Type of cost: real cost (an invoice), unit cost (units delivered × the agreement's unit cost) "
            "or lump sum; empty means real cost."
        ),
        _("A real cost needs the supplier, the invoice number, the invoice date and the amount declared."),
        _(
            "Dates: inside the eligibility period, %(start)s – %(end)s; write them as 31/12/2027 or "
            "2027-12-31."
        )
        % {"start": start, "end": end},
        _(
            "Amounts in euro with at most two decimals. Typed as text, they are read with the number "
            "format of the file's language: 1.234,56 or 1 234,56 (Dutch, French, German) or 1,234.56 "
            "(English)."
        ),
        _(
            "VAT recoverable: %(yes)s or %(no)s. Recoverable VAT is not eligible: declare at most the "
            "amount excluding VAT."
        )
        % {"yes": yes, "no": no},
        _("A credit note: a negative amount declared, with the number of the invoice it corrects."),
        _(
            "Unit costs and lump sums: give the simplified cost code (and the units); AMIS computes the "
            "amount."
        ),
        _(
            "Nothing is saved unless every row is right: the import lists every error with its row and "
            "column."
        ),
        _("Imported lines are added after the report's existing lines."),
    ]
    if context.simplified_costs:
        lines.append(_("Simplified cost codes of the agreement:"))
        for code, option in sorted(context.simplified_costs.items()):
            lines.append(f"  {code}: {option.kind}, {option.category}, {option.amount}")
    return lines


def content_disposition(report: Report, extension: str) -> dict[str, Any]:
    name = f"expenditure-{report.project.reference}-report-{report.number}.{extension}"
    return {"as_attachment": True, "filename": name}
