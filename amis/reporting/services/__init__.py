"""Writes of the reporting stage: the reports of a signed agreement's calendar (`calendar`), the
expenditure lines and their supporting documents (`lines`), the report's narrative and indicators,
its submission and return (`reports`)."""

from __future__ import annotations

from amis.reporting.services.calendar import reports_for_signed_version
from amis.reporting.services.lines import (
    LINE_FIELDS,
    document_upload,
    duplicate_justify,
    flag_duplicates,
    line_add,
    line_delete,
    line_input,
    line_update,
)
from amis.reporting.services.reports import (
    report_editable,
    report_return,
    report_submit,
    report_update,
    submission_problems,
)

__all__ = [
    "LINE_FIELDS",
    "document_upload",
    "duplicate_justify",
    "flag_duplicates",
    "line_add",
    "line_delete",
    "line_input",
    "line_update",
    "report_editable",
    "report_return",
    "report_submit",
    "report_update",
    "reports_for_signed_version",
    "submission_problems",
]
