"""The Kohesio-compatible list of operations: its columns and the Kohesio validator's rules (no Django).

Kohesio (the Commission's database of the operations of cohesion policy) reads the lists of
operations the managing authorities publish (CPR Art. 49(3)) as CSV files checked by the Kohesio
validator (the Interoperable Europe Test Bed's CSV validator with the Kohesio Table Schema and its
plugin rules). Column names are those of Kohesio's project export and of the validator's
specification; docs/public-face.md says which ones AMIS fills and why.

The rules checked here are the validator's own:
- the header names the columns, each record has as many fields as the header;
- dates as dd/MM/yyyy (`Operation_Start_Date`, `Operation_End_Date`);
- the start on or before the end (plugin rule `OperationDateRule`);
- at least one location field: postcode, NUTS code, or latitude and longitude (`LocationIndicatorRule`);
- an exchange rate when the currency is not EUR (`TotalEligibleExpenditureRule`);
- the required fields filled: the operation's name in the programme's language and the country.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from amis.core.messages import gettext as _

START = "Operation_Start_Date"
END = "Operation_End_Date"
CURRENCY = "Total_Eligible_Expenditure_Currency"
EXCHANGE_RATE = "Total_Eligible_Expenditure_Exchange_Rate"
POSTCODE = "Location_Indicator_Postcode"
NUTS = "Location_Indicator_NUTS_code"
LATITUDE_LONGITUDE = "Location_Indicator_latitude_longitude"
LOCATION_FIELDS = (POSTCODE, NUTS, LATITUDE_LONGITUDE)
REQUIRED = ("Operation_Name_Programme_Language", "Country")

COLUMNS = [
    "Operation_Unique_Identifier",
    "Operation_Local_Identifier",
    "Operation_Name_Programme_Language",
    "Operation_Name_English",
    "Operation_Summary_Programme_Language",
    "Operation_Summary_English",
    "Country",
    START,
    END,
    "Cofinancing_Rate",
    "Total_Eligible_Expenditure_amount",
    CURRENCY,
    EXCHANGE_RATE,
    "Project_EU_Budget",
    "Beneficiary_Name",
    POSTCODE,
    NUTS,
    LATITUDE_LONGITUDE,
    "Category_Of_Intervention",
    "Fund_Code",
    "Programming_Period",
]

DATE_FORMAT = "%d/%m/%Y"
_DATE = re.compile(r"^\d{2}/\d{2}/\d{4}$")


@dataclass(frozen=True)
class Problem:
    line: int  # the line of the file (the header is line 1)
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.field}, " if self.field else ""
        return _("line %(line)s: %(where)s%(message)s") % {
            "line": self.line,
            "where": where,
            "message": self.message,
        }


def kohesio_date(day: dt.date) -> str:
    return day.strftime(DATE_FORMAT)


def _date(value: str) -> dt.date | None:
    if not _DATE.match(value):
        return None
    try:
        return dt.datetime.strptime(value, DATE_FORMAT).date()
    except ValueError:
        return None


def row_problems(row: Mapping[str, str], line: int) -> list[Problem]:
    """What one record breaks of the Kohesio rules."""
    problems = []
    for name in REQUIRED:
        if not (row.get(name) or "").strip():
            problems.append(Problem(line, name, _("is required.")))
    dates: dict[str, dt.date | None] = {}
    for name in (START, END):
        value = (row.get(name) or "").strip()
        dates[name] = _date(value)
        if (value and dates[name] is None) or (not value and name == START):
            problems.append(Problem(line, name, _("a date is written dd/MM/yyyy.")))
    start, end = dates[START], dates[END]
    if start is not None and end is not None and start > end:
        problems.append(Problem(line, START, _("the start date must not be after the end date.")))
    if not any((row.get(name) or "").strip() for name in LOCATION_FIELDS):
        problems.append(
            Problem(
                line, "", _("at least one location field (postcode, NUTS code, coordinates) is required.")
            )
        )
    currency = (row.get(CURRENCY) or "").strip()
    if currency and currency != "EUR" and not (row.get(EXCHANGE_RATE) or "").strip():
        problems.append(
            Problem(line, EXCHANGE_RATE, _("an exchange rate is required when the currency is not EUR."))
        )
    return problems


def validate_rows(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[Problem]:
    """Every problem of a Kohesio file given as its header and its records (line numbers from 2)."""
    if list(header) != COLUMNS:
        return [Problem(1, "", _("the header does not name Kohesio's columns in their order."))]
    problems: list[Problem] = []
    for line, record in enumerate(rows, start=2):
        if len(record) != len(header):
            problems.append(Problem(line, "", _("the record does not have as many fields as the header.")))
            continue
        problems.extend(row_problems(dict(zip(header, record, strict=True)), line))
    return problems


def validate_csv(text: str) -> list[Problem]:
    """Every problem of a Kohesio CSV file (comma-separated, a header row, a byte-order mark allowed)."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    header = next(reader, None)
    if header is None:
        return [Problem(1, "", _("the file has no header row."))]
    return validate_rows(header, reader)
