"""The annual control report and audit opinion written out: the page's view of the content, an XLSX
workbook (one sheet per section) and a PDF (WeasyPrint, as amis/annual_reports). Both come from
`selectors.current_content`: the frozen snapshot once a second auditor approved it, today's data for a
draft (the PDF then says "draft"). The PDF's metadata carry no date, so a frozen report always gives
the same bytes."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from amis.audit import hooks, selectors
from amis.audit.forms import CATEGORY_LABELS
from amis.audit.models import AuditedBody, AuditFinding, ControlReport
from amis.core import numbers, spreadsheet

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OPINIONS = dict(ControlReport.Opinion.choices)
KINDS = dict(AuditedBody.Kind.choices)
STATUSES = {
    "not_started": gettext_lazy("not started"),
    "in_progress": gettext_lazy("in progress"),
    "completed": gettext_lazy("completed"),
}
SAMPLING_LABELS = {
    "method": gettext_lazy("Sampling method"),
    "confidence_level": gettext_lazy("Confidence level"),
    "population": gettext_lazy("Population (expenditure declared)"),
    "sample_size": gettext_lazy("Sample size"),
    "projected_random_error": gettext_lazy("Projected random error"),
    "systemic_errors": gettext_lazy("Systemic errors"),
    "total_error_rate": gettext_lazy("Total error rate (%)"),
    "upper_limit_of_error": gettext_lazy("Upper limit of error"),
    "residual_total_error_rate": gettext_lazy("Residual total error rate (%)"),
    "projected_error_rate": gettext_lazy("Projected random error rate (%)"),
    "total_error": gettext_lazy("Total projected error"),
    "upper_limit_rate": gettext_lazy("Upper limit of error rate (%)"),
    "materiality_rate": gettext_lazy("Materiality (%)"),
    "projected_error_rate_above_materiality": gettext_lazy("Projected random error rate compared with 2 %"),
    "total_error_rate_above_materiality": gettext_lazy("Total error rate compared with 2 %"),
    "upper_limit_rate_above_materiality": gettext_lazy("Upper limit compared with 2 %"),
    "residual_total_error_rate_above_materiality": gettext_lazy(
        "Residual total error rate compared with 2 %"
    ),
    "precision": gettext_lazy("Precision (sampling error)"),
    "corrections": gettext_lazy("Financial corrections"),
    "sample": gettext_lazy("Samples (numbers in AMIS)"),
    "samples_projected": gettext_lazy("Samples projected for the year"),
    "samples_combined": gettext_lazy("Samples combined"),
    "system_category": gettext_lazy("System audits' category the confidence level comes from"),
    "seed": gettext_lazy("Seed of the selection"),
}


# How each sampling result is written (the snapshot keeps them as the sampling app gave them: amounts
# and rates as plain decimal strings, "70 %"): amounts as money, rates in % and counts as numbers in the
# reader's format; the seed and the sample's number are names and stay as they are.
SAMPLING_AMOUNTS = frozenset(
    {
        "population",
        "population_value",
        "projected_random_error",
        "systemic_errors",
        "upper_limit_of_error",
        "total_error",
        "precision",
        "corrections",
    }
)
SAMPLING_RATES = frozenset(
    {
        "total_error_rate",
        "residual_total_error_rate",
        "projected_error_rate",
        "upper_limit_rate",
        "materiality_rate",
    }
)
SAMPLING_COUNTS = frozenset({"sample_size", "samples_projected"})
_PERCENT = re.compile(r"(\d+(?:\.\d+)?) ?%")


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _sampling_value(value: Any, key: str = "") -> Any:
    """A comparison with the materiality (True/False) in words; amounts, rates and counts in the
    reader's format; the method's name in the reader's language when it was kept in English; other
    values as stored."""
    if value is True:
        return _("above 2 %")
    if value is False:
        return _("not above 2 %")
    if value is None:
        return "—"
    language = translation.get_language() or "en"
    number = _decimal(value) if key in SAMPLING_AMOUNTS | SAMPLING_RATES | SAMPLING_COUNTS else None
    if number is not None and key in SAMPLING_AMOUNTS:
        return numbers.format_money(number, language)
    if number is not None and key in SAMPLING_RATES:
        return numbers.format_number(number, language, None)
    if number is not None and key in SAMPLING_COUNTS:
        return numbers.format_number(number, language, None)
    if key == "confidence_level" and (found := _PERCENT.fullmatch(str(value))):
        return numbers.format_percent(Decimal(found.group(1)) / 100, language)
    if key == "method" and isinstance(value, str):
        return _(value)  # stored in the language of the day it was made; English is translated
    return value


def _sampling_cell(value: Any, key: str) -> Any:
    """The XLSX cell of a sampling result: amounts, rates and counts as numbers (the spreadsheet
    shows them in its reader's format), the rest as the page writes it."""
    if key in SAMPLING_AMOUNTS | SAMPLING_RATES | SAMPLING_COUNTS and not isinstance(value, bool):
        number = _decimal(value)
        if number is not None:
            return number
    return str(_sampling_value(value, key))


def _rule(text: str) -> dict[str, str]:
    """The rule the assurance comes from, in the reader's language when the catalogue has it (the
    sampling app's working lists it), else marked as English."""
    shown = _(text) if text else ""
    english = bool(text) and shown == text and not (translation.get_language() or "en").startswith("en")
    return {"text": shown, "lang": "en" if english else ""}


def _day(value: Any) -> str:
    """A day of the snapshot (ISO) in the reader's short date format."""
    if not value:
        return ""
    try:
        return formats.date_format(dt.date.fromisoformat(str(value)), "SHORT_DATE_FORMAT")
    except ValueError:
        return str(value)


SAMPLE_COLUMNS = (
    ("sample", gettext_lazy("Sample")),
    ("method", gettext_lazy("Sampling method")),
    ("confidence_level", gettext_lazy("Confidence level")),
    ("population_value", gettext_lazy("Book value (BV)")),
    ("sample_size", gettext_lazy("Sample size")),
    ("projected_random_error", gettext_lazy("Projected random error")),
    ("systemic_errors", gettext_lazy("Systemic errors")),
    ("total_error", gettext_lazy("Total projected error")),
    ("precision", gettext_lazy("Precision (sampling error)")),
    ("upper_limit_of_error", gettext_lazy("Upper limit of error")),
    ("total_error_rate", gettext_lazy("Total error rate (%)")),
    ("corrections", gettext_lazy("Financial corrections")),
)


def _combination(sampling: dict[str, Any] | None) -> dict[str, Any] | None:
    """The year's samples as the report lists them: a row per sample, the samples drawn again from
    one population that were left out, the overlapping populations that stopped the combination,
    and the working of the combined figures (amis.sampling.rules.combined)."""
    found = (sampling or {}).get("combination")
    if not isinstance(found, dict):
        return None
    return {
        "columns": [str(label) for _key, label in SAMPLE_COLUMNS],
        # each sample's row as the page and the PDF write it (amounts, rates and counts in the reader's
        # format), and as the XLSX keeps it (real numbers)
        "rows": [
            [_row_value(row.get(key), key) for key, _label in SAMPLE_COLUMNS]
            for row in found.get("samples", [])
        ],
        "cells": [
            [_row_cell(row.get(key), key) for key, _label in SAMPLE_COLUMNS]
            for row in found.get("samples", [])
        ],
        "superseded": ", ".join(str(pk) for pk in found.get("superseded", [])),
        "overlaps": [
            _(
                "The populations %(first)s and %(second)s hold the same expenditure (%(shared)s): "
                "their samples are not added up. Draw each sample from its own part of the year's "
                "expenditure."
            )
            % {
                "first": o["populations"][0],
                "second": o["populations"][1],
                "shared": ", ".join(o["shared"]),
            }
            for o in found.get("overlaps", [])
        ],
        # the working in the reader's language (the sampling app's catalogue, `hooks.register_working`)
        "working": [hooks.working_html(step) for step in found.get("working", [])],
        "working_text": [hooks.working_text(step) for step in found.get("working", [])],
    }


def _row_value(value: Any, key: str) -> Any:
    """A cell of a sample's row on the page: the sample's number as it is, None as a dash (the
    template), the rest as the section's results are written."""
    if value is None or key == "sample":
        return value
    return _sampling_value(value, key)


def _row_cell(value: Any, key: str) -> Any:
    if value is None or key == "sample":
        return value
    return _sampling_cell(value, key)


def _category(value: Any) -> str:
    return str(CATEGORY_LABELS[int(value)]) if value else "—"


def view(content: dict[str, Any]) -> dict[str, Any]:
    """The content with its labels in the reader's language."""
    sampling = content.get("sampling")
    opinion = content.get("opinion") or {}
    return {
        "bodies": [
            {
                **b,
                "kind_label": str(KINDS.get(b["kind"], b["kind"])),
                "status_label": str(STATUSES.get(b["status"], b["status"])),
                "overall_label": _category(b["overall_category"]),
            }
            for b in content.get("bodies", [])
        ],
        "findings": [
            {
                **f,
                "status_label": str(dict(AuditFinding.Status.choices).get(f["status"], f["status"])),
                "priority_label": str(dict(AuditFinding.Priority.choices).get(f["priority"], f["priority"])),
                "deadline_label": _day(f.get("deadline")),
                "closed_on_label": _day(f.get("closed_on")),
            }
            for f in content.get("findings", [])
        ],
        "assurance_label": _category(content.get("assurance", {}).get("category")),
        "assurance_rule": _rule(content.get("assurance", {}).get("rule", "")),
        "sampling": [
            {
                "label": str(SAMPLING_LABELS.get(k, k)),
                "value": _sampling_value(sampling[k], k),
                "cell": _sampling_cell(sampling[k], k),
            }
            for k in [*hooks.SAMPLING_KEYS, *sorted(set(sampling) - set(hooks.SAMPLING_KEYS))]
            if k in sampling and not isinstance(sampling[k], dict | list)
        ]
        if sampling
        else None,
        "combination": _combination(sampling),
        "suggested_label": str(OPINIONS.get(content.get("suggested_opinion") or "", "—")),
        "opinion_label": str(OPINIONS.get(opinion.get("opinion") or "", _("not given yet"))),
        "opinion_basis": opinion.get("basis", ""),
    }


def xlsx(report: ControlReport) -> bytes:
    content = selectors.current_content(report)
    shown = view(content)
    book = Workbook(write_only=True)
    about = book.create_sheet(str(_("Report"))[:31])
    for row in (
        [str(_("Programme")), report.programme.cci],
        [str(_("Year")), report.year],
        [str(_("Legal basis")), content.get("basis", "")],
        [str(_("Status")), str(ControlReport.Status(report.status).label)],
        [str(_("Fingerprint of the approved content (SHA-256)")), report.snapshot_sha256],
        [str(_("Assurance from the system audits")), shown["assurance_label"]],
        [str(_("Rule")), shown["assurance_rule"]["text"]],
        [str(_("Opinion the records point to")), shown["suggested_label"]],
        [str(_("Audit opinion")), shown["opinion_label"]],
        [str(_("Basis for the opinion")), shown["opinion_basis"]],
    ):
        spreadsheet.xlsx_append(about, row)
    sheet = book.create_sheet(str(_("System audits"))[:31])
    spreadsheet.xlsx_append(
        sheet,
        [
            str(_("Body")),
            str(_("Kind")),
            str(_("Risk score")),
            str(_("Key requirement")),
            str(_("Category")),
            str(_("Overall category")),
        ],
    )
    for body in shown["bodies"]:
        for kr in body["key_requirements"]:
            spreadsheet.xlsx_append(
                sheet,
                [
                    body["name"],
                    body["kind_label"],
                    body["risk_score"],
                    kr["code"],
                    kr["category"],
                    body["overall_category"],
                ],
            )
    sheet = book.create_sheet(str(_("Findings"))[:31])
    spreadsheet.xlsx_append(
        sheet,
        [
            str(_("Body")),
            str(_("Number")),
            str(_("Key requirement")),
            str(_("Finding")),
            str(_("Recommendation")),
            str(_("Priority")),
            str(_("Deadline")),
            str(_("Status")),
        ],
    )
    for f in shown["findings"]:
        spreadsheet.xlsx_append(
            sheet,
            [
                f["body"],
                f["number"],
                f["key_requirement"],
                f["text"],
                f["recommendation"],
                f["priority_label"],
                f["deadline"],
                f["status_label"],
            ],
        )
    sheet = book.create_sheet(str(_("Audits of operations"))[:31])
    if shown["sampling"]:
        for item in shown["sampling"]:
            spreadsheet.xlsx_append(sheet, [item["label"], item["cell"]])
        combination = shown["combination"]
        if combination:
            spreadsheet.xlsx_append(sheet, [])
            spreadsheet.xlsx_append(sheet, [str(_("The year's samples"))])
            spreadsheet.xlsx_append(sheet, combination["columns"])
            for row in combination["cells"]:
                spreadsheet.xlsx_append(sheet, row)
            if combination["superseded"]:
                spreadsheet.xlsx_append(
                    sheet,
                    [str(_("Drawn again from the same population, not counted")), combination["superseded"]],
                )
            for overlap in combination["overlaps"]:
                spreadsheet.xlsx_append(sheet, [overlap])
            if combination["working"]:
                spreadsheet.xlsx_append(sheet, [])
                spreadsheet.xlsx_append(
                    sheet,
                    [str(_("Step")), str(_("Formula")), str(_("Values")), str(_("Result")), str(_("Source"))],
                )
                for step in combination["working_text"]:
                    spreadsheet.xlsx_append(
                        sheet,
                        [
                            step["label"],
                            step["formula"],
                            step["substituted"],
                            step["result"],
                            step["citation"],
                        ],
                    )
    else:
        spreadsheet.xlsx_append(sheet, [str(_("The sampling results are not available yet."))])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pdf(report: ControlReport) -> bytes:
    from weasyprint import HTML  # imported here: loading pango is slow and only PDFs need it

    content = selectors.current_content(report)
    html = render_to_string(
        "audit/report_pdf.html",
        {
            "report": report,
            "content": content,
            "view": view(content),
            "final": report.status == "approved",
            "meta_date": "2000-01-01",
        },
    )
    return bytes(HTML(string=html).write_pdf())
