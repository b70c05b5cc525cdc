"""Reading files of expenditure lines, without a database: numbers in one format per file, dates day
first or ISO, the header in any language or as machine names, every problem with its column."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest

from amis.reporting.imports import parse

ALIASES: dict[str, tuple[str, str | None]] = {
    "category": ("category", None),
    "amount_declared": ("amount_declared", None),
}
ALIASES |= {"kostencategorie": ("category", "nl"), "gedeclareerd bedrag": ("amount_declared", "nl")}
ALIASES |= {"invoice_date": ("invoice_date", None), "units": ("units", None)}


@pytest.mark.parametrize(
    ("text", "number_format", "value"),
    [
        ("1.234,56", parse.COMMA, Decimal("1234.56")),
        ("1 234,56", parse.COMMA, Decimal("1234.56")),
        ("1\u202f234,56", parse.COMMA, Decimal("1234.56")),
        ("1234,5", parse.COMMA, Decimal("1234.5")),
        ("1.234", parse.COMMA, Decimal("1234")),  # the dot groups thousands in the comma format
        ("1,234.56", parse.POINT, Decimal("1234.56")),
        ("1.234", parse.POINT, Decimal("1.234")),  # and is the decimal mark in the point format
        ("-12,00", parse.COMMA, Decimal("-12.00")),
        ("€ 12,50", parse.COMMA, Decimal("12.50")),
        (1234.5, parse.POINT, Decimal("1234.5")),  # Excel's numbers are read as they are
        (7, parse.COMMA, Decimal(7)),
    ],
)
def test_numbers_are_read_in_the_files_one_format(text: object, number_format: str, value: Decimal) -> None:
    assert parse.parse_decimal(text, number_format) == value


@pytest.mark.parametrize("text", ["1,234.56", "12,3,4", "1.2.3", "abc", ""])
def test_numbers_that_do_not_fit_the_comma_format_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse.parse_decimal(text, parse.COMMA)


def test_dates_day_first_or_iso_never_month_first() -> None:
    assert parse.parse_date("31/12/2027") == parse.parse_date("31.12.2027") == dt.date(2027, 12, 31)
    assert parse.parse_date("2027-12-31") == parse.parse_date("1-2-2027") + dt.timedelta(days=333)
    assert parse.parse_date(dt.datetime(2027, 1, 2, 0, 0)) == dt.date(2027, 1, 2)
    for bad in ("12/31/2027", "31/02/2027", "2027/12/31", "yesterday"):
        with pytest.raises(ValueError):
            parse.parse_date(bad)


def rows(text: str) -> tuple[parse.Header, list[parse.RowResult | None]]:
    meta: dict[str, str] = {}
    source = parse.csv_rows(io.BytesIO(text.encode("utf-8")), meta)
    header, pending = parse.read_header(source, ALIASES)
    found = [
        parse.read_row(n, cells, header, parse.COMMA, {"": "real"})
        for n, cells in ([pending] if pending else []) + list(source)
    ]
    return header, found


def test_a_two_row_header_and_problems_per_column() -> None:
    header, found = rows(
        "Kostencategorie;Gedeclareerd bedrag;notes\ncategory;amount_declared;\n"
        "staff;12,50;x\n;;\nstaff;1,2,3;\n"
    )
    assert header.language == "nl" and header.data_starts == 3
    assert header.names["category"] == "Kostencategorie"
    first, empty, bad = found
    assert first is not None and first.line is not None and first.line.amount_declared == Decimal("12.50")
    assert empty is None
    assert bad is not None and bad.number == 5 and set(bad.problems) == {"amount_declared"}
    assert "decimal comma" in bad.problems["amount_declared"]


def test_header_problems_are_file_errors() -> None:
    with pytest.raises(parse.FileError, match="header"):
        rows("what;ever\n1;2\n")
    with pytest.raises(parse.FileError, match="twice"):
        rows("category;category\n")
    with pytest.raises(parse.FileError, match="no column"):
        rows("amount_declared\n1\n")


def test_too_large_and_too_long_values_are_refused_before_the_database() -> None:
    _header, found = rows(
        "category;units;amount_declared\n" + "x" * 21 + ";99999999999;1\nstaff;1;99999999999999\n"
    )
    long_category, big_amount = found
    assert long_category is not None and set(long_category.problems) == {"category", "units"}
    assert big_amount is not None and "too large" in big_amount.problems["amount_declared"]
