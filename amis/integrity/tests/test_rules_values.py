"""Reading single cells: amounts are exact Decimals, dates are day-first or ISO, nothing ambiguous passes."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amis.integrity.rules.values import parse_amount, parse_date


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("1.234,56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("1234.56", "1234.56"),
        ("1234,56", "1234.56"),
        ("1234", "1234.00"),
        ("1.234.567,8", "1234567.80"),
        ("1,234,567", "1234567.00"),
        ("€ 1 234,56", "1234.56"),
        ("1\u00a0234,56 EUR", "1234.56"),
        (1234, "1234.00"),
        (1234.56, "1234.56"),
        (0.1 + 0.2, "0.30"),
    ],
)
def test_amounts_are_read_by_the_last_separator(written: object, expected: str) -> None:
    amount = parse_amount(written)
    assert amount == Decimal(expected)
    assert isinstance(amount, Decimal)
    assert amount.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("1.234", "can be read as 1234 or as 1.234: choose the number format"),
        ("1,234", "can be read as 1234 or as 1.234: choose the number format"),
        ("0.445", "more than 2 decimals"),
        ("12,5001", "more than 2 decimals"),
        ("12,34.56", "not an amount"),
        ("1e3", "not an amount"),
        ("12.", "not an amount"),
        ("abc", "not an amount"),
        ("-100,00", "negative"),
        (True, "not an amount"),
    ],
)
def test_unreadable_or_ambiguous_amounts_are_refused(written: object, hint: str) -> None:
    with pytest.raises(ValueError, match=hint):
        parse_amount(written)


@pytest.mark.parametrize("blank", [None, "", "   "])
def test_blank_amount_is_none(blank: object) -> None:
    assert parse_amount(blank) is None


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from(["be", "en", "plain_dot", "plain_comma"]))
def test_amounts_written_in_any_accepted_style_read_back_exactly(cents: int, style: str) -> None:
    value = Decimal(cents) / 100
    english = f"{value:,.2f}"
    written = {
        "be": english.replace(",", " ").replace(".", ",").replace(" ", "."),
        "en": english,
        "plain_dot": f"{value:.2f}",
        "plain_comma": f"{value:.2f}".replace(".", ","),
    }[style]
    assert parse_amount(written) == value


@pytest.mark.parametrize(
    "written",
    [
        "2023-03-15",
        "15/03/2023",
        "15-03-2023",
        "15.03.2023",
        "15/3/2023",
        "2023-03-15 00:00:00",
        "45000",
        45000,
    ],
)
def test_dates_in_accepted_forms(written: object) -> None:
    assert parse_date(written) == date(2023, 3, 15)


def test_excel_date_cells() -> None:
    assert parse_date(datetime(2023, 3, 15, 0, 0)) == date(2023, 3, 15)
    assert parse_date(date(2023, 3, 15)) == date(2023, 3, 15)


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("31/02/2023", "not an existing date"),
        ("03/15/2023", "day/month/year"),
        ("15/03/23", "not a date"),
        ("March 2023", "not a date"),
        (0, "not a date"),
    ],
)
def test_unreadable_dates_are_refused(written: object, hint: str) -> None:
    with pytest.raises(ValueError, match=hint):
        parse_date(written)
