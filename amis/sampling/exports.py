"""A sample as XLSX: its parameters, the frozen selected list with the results, and the working
(openpyxl, every cell through `core.spreadsheet.xlsx_append` so no text becomes a formula)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from amis.core.spreadsheet import xlsx_append
from amis.sampling import working_i18n
from amis.sampling.models import Sample


def sample_xlsx(sample: Sample) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Sample")[:31]
    population = sample.population
    for label, value in (
        (_("Programme"), population.programme.cci),
        (_("Accounting year"), population.year),
        (_("Sampling unit"), population.get_unit_kind_display()),
        (_("Book value (BV)"), population.book_value),
        (_("Sampling method"), sample.get_method_display()),
        (_("Confidence level"), f"{sample.confidence} %"),
        (_("Seed"), sample.seed),
        (_("Sample size"), sample.size),
        (_("Tolerable error (TE)"), sample.tolerable_error),
        (_("Anticipated error (AE)"), sample.anticipated_error),
    ):
        xlsx_append(sheet, [label, value])
    for stratum, sigma in sorted(sample.strata_sigmas.items()):
        xlsx_append(sheet, [_("σr of stratum %(stratum)s") % {"stratum": stratum}, sigma])
    xlsx_append(sheet, [])
    xlsx_append(
        sheet,
        [
            _("Position"),
            _("Unit"),
            _("Operation"),
            _("Stratum"),
            _("Hits"),
            _("Book value"),
            _("Audited"),
            _("Audited value"),
            _("Irregular amount"),
            _("Type of error"),
        ],
    )
    for item in sample.items.select_related("unit").order_by("position"):
        xlsx_append(
            sheet,
            [
                item.position,
                item.unit.key,
                item.unit.label,
                item.get_stratum_display(),
                item.hits,
                item.book_value,
                _("yes") if item.audited else _("no"),
                item.audited_value,
                item.irregular,
                item.get_error_kind_display() if item.error_kind else "",
            ],
        )
    working = book.create_sheet(_("Working")[:31])
    xlsx_append(working, [_("Step"), _("Formula"), _("Values"), _("Result"), _("Source")])
    for step in [*sample.working, *sample.projection.get("working", [])]:
        shown = working_i18n.step_text(step)  # in the reader's language and number format, as the page
        xlsx_append(working, [shown[name] for name in working_i18n.FIELDS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
