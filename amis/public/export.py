"""The list of operations as CSV (CPR Art. 49(3): "in an open, machine-readable format"), streamed row
by row so a list of 20,000 operations never sits in memory. One row per operation with the fields of
Annex XVII; amounts in euro with a point, dates ISO 8601, UTF-8 with a byte-order mark so spreadsheets
read the accents. Texts that would start a formula are neutralised (core.spreadsheet)."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from amis.core.spreadsheet import csv_row
from amis.public import selectors

COLUMNS = [
    "operation_code",
    "operation_name",
    "purpose",
    "beneficiary",
    "start_date",
    "end_date",
    "total_cost",
    "eu_contribution",
    "eu_cofinancing_rate",
    "currency",
    "fund",
    "programming_period",
    "programme_cci",
    "specific_objective",
    "type_of_intervention",
    "postcode",
    "municipality",
    "nuts_code",
    "country_wide",
    "location_note",
]


class _Line:
    """A file-like object that hands back what csv.writer writes."""

    def write(self, value: str) -> str:
        return value


def csv_lines(filters: selectors.Filters) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(COLUMNS)
    for o in selectors.public_operations_stream(filters):
        yield writer.writerow(
            csv_row(
                [
                    o.code,
                    o.name,
                    o.purpose,
                    o.beneficiary,
                    o.start_date.isoformat(),
                    o.end_date.isoformat(),
                    str(o.total_cost),
                    str(o.eu_contribution),
                    "" if o.eu_rate is None else str(o.eu_rate),
                    "EUR",
                    o.fund,
                    o.period,
                    o.programme,
                    o.specific_objective,
                    o.type_of_intervention,
                    o.postcode,
                    o.municipality,
                    o.nuts_code,
                    "yes" if o.country_wide else "no",
                    o.location_note,
                ]
            )
        )
