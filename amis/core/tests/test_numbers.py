"""Numbers as each language writes them (amis.core.numbers): reading, showing, and CLDR agreement."""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel import numbers as babel_numbers
from hypothesis import given
from hypothesis import strategies as st

from amis.core import numbers
from amis.core.numbers import NumberError, format_amount, format_money, format_percent, parse_amount

LANGUAGES = ("fr", "nl", "de", "en")
AMOUNTS = st.decimals(
    min_value=Decimal("-9999999999999.99"),
    max_value=Decimal("9999999999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


@given(AMOUNTS, st.sampled_from(LANGUAGES))
def test_every_amount_shown_in_a_language_reads_back_the_same(amount: Decimal, language: str) -> None:
    assert parse_amount(format_amount(amount, language), language) == amount
    assert parse_amount(format_money(amount, language), language) == amount


@given(AMOUNTS, st.sampled_from(LANGUAGES))
def test_plain_amounts_read_in_every_language(amount: Decimal, language: str) -> None:
    # `12000.50`: what a spreadsheet or a programmer types, accepted whatever the language
    assert parse_amount(format(amount, "f"), language) == amount


@given(
    st.decimals(min_value=Decimal("0"), max_value=Decimal("100"), places=2, allow_nan=False),
    st.sampled_from(LANGUAGES),
)
def test_every_rate_shown_reads_back_the_same(percent: Decimal, language: str) -> None:
    fraction = percent / 100
    assert numbers.parse_percent(format_percent(fraction, language), language) == fraction


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("fr", "12 000,50"),
        ("fr", "12\u00a0000,50"),
        ("fr", "12\u202f000,50"),
        ("fr", "12.000,50"),
        ("fr", "12000,50"),
        ("fr", "12 000,50 €"),
        ("nl", "12.000,50"),
        ("nl", "€ 12.000,50"),
        ("nl", "12 000,50"),
        ("de", "12.000,50"),
        ("de", "12.000,50 EUR"),
        ("en", "12,000.50"),
        ("en", "€12,000.50"),
        ("en", "12 000.50"),
    ]
    + [(language, "12000.50") for language in LANGUAGES]
    + [(language, " 12000.5 ") for language in LANGUAGES],
)
def test_the_languages_own_way_and_plain_decimals_are_read(language: str, typed: str) -> None:
    assert parse_amount(typed, language) == Decimal("12000.50")


@pytest.mark.parametrize(
    ("language", "typed", "value"),
    [
        # ambiguous: the language's rule decides (documented in docs/translations.md)
        ("de", "1.234", Decimal("1234")),
        ("nl", "1.234", Decimal("1234")),
        ("fr", "1.234", Decimal("1234")),
        ("en", "1.234", Decimal("1.234")),
        ("en", "1,234", Decimal("1234")),
        ("de", "1,234", Decimal("1.234")),
        ("de", "1.234.567", Decimal("1234567")),
        ("en", "1,234,567", Decimal("1234567")),
        ("de", "12,5", Decimal("12.5")),
        ("en", "-1,234.5", Decimal("-1234.5")),
        ("fr", "\u22121 234,5", Decimal("-1234.5")),
        ("de", "0,05", Decimal("0.05")),
        ("de", ",5", Decimal("0.5")),
    ],
)
def test_ambiguous_input_follows_the_language(language: str, typed: str, value: Decimal) -> None:
    assert numbers.parse_number(typed, language) == value


@pytest.mark.parametrize(
    ("language", "typed", "code"),
    [
        ("en", "12,5", "invalid"),  # a comma is not an English decimal mark
        ("de", "12,000.50", "invalid"),  # English grouping in German
        ("en", "12.000,50", "invalid"),
        ("de", "12.000.50", "invalid"),
        ("de", "12 000.000", "invalid"),  # spaces group, and the dot? refuse rather than guess
        ("de", "12 000.000,50", "invalid"),
        ("fr", "1 2", "invalid"),
        ("fr", "12 00,50", "invalid"),
        ("fr", "abc", "invalid"),
        ("fr", "1e5", "invalid"),
        ("fr", "NaN", "invalid"),
        ("fr", "", "invalid"),
        ("fr", "€", "invalid"),
        ("fr", ",", "invalid"),
        ("fr", "12,50,3", "invalid"),
        ("en", "12,000.505", "decimals"),
        ("fr", "0,001", "decimals"),
        ("fr", "10 000 000 000 000", "too_large"),
    ],
)
def test_wrong_input_is_refused_with_a_reason(language: str, typed: str, code: str) -> None:
    with pytest.raises(NumberError) as caught:
        parse_amount(typed, language)
    assert caught.value.code == code


@pytest.mark.parametrize(
    ("language", "cldr"),
    [("fr", "fr"), ("nl", "nl"), ("de", "de"), ("en", "en_IE")],
)
@given(amount=AMOUNTS)
def test_money_is_shown_as_cldr_writes_it(language: str, cldr: str, amount: Decimal) -> None:
    amount = amount if amount else abs(amount)  # AMIS shows no "-0,00"
    expected = babel_numbers.format_currency(amount, "EUR", locale=cldr)
    assert format_money(amount, language) == expected


def test_the_four_styles_decided() -> None:
    amount = Decimal("177261833.12")
    assert format_money(amount, "fr") == "177\u202f261\u202f833,12\u00a0€"
    assert format_money(amount, "nl") == "€\u00a0177.261.833,12"
    assert format_money(amount, "de") == "177.261.833,12\u00a0€"
    assert format_money(amount, "en") == "€177,261,833.12"
    assert format_money(amount, "fr-be") == format_money(amount, "fr")
    assert format_money(amount, "it") == format_money(amount, "en")


@pytest.mark.parametrize(
    ("language", "cldr"),
    [("fr", "fr"), ("nl", "nl"), ("de", "de"), ("en", "en_IE")],
)
@pytest.mark.parametrize("fraction", ["0.07", "0.075", "0.7500", "0.9", "1", "0", "0.1234"])
def test_percentages_are_shown_as_cldr_writes_them(language: str, cldr: str, fraction: str) -> None:
    expected = babel_numbers.format_percent(Decimal(fraction), locale=cldr, decimal_quantization=False)
    assert format_percent(Decimal(fraction), language) == expected


def test_percentages_read_as_fractions() -> None:
    assert numbers.parse_percent("7 %", "fr") == Decimal("0.07")
    assert numbers.parse_percent("7,5 %", "fr") == Decimal("0.075")
    assert numbers.parse_percent("7,5%", "nl") == Decimal("0.075")
    assert numbers.parse_percent("7.5", "en") == Decimal("0.075")
    assert numbers.parse_percent("7.5", "de") == Decimal("0.075")  # plain decimals, always
    with pytest.raises(NumberError) as caught:
        numbers.parse_percent("7,555 %", "fr")
    assert caught.value.code == "decimals"


def test_grouping_of_small_and_negative_amounts() -> None:
    assert format_amount(Decimal("0"), "fr") == "0,00"
    assert format_amount(Decimal("-0.00"), "de") == "0,00"
    assert format_amount(Decimal("-1234.5"), "en") == "-1,234.50"
    assert format_amount(Decimal("999.99"), "nl") == "999,99"
    assert numbers.example_amount("fr") == "12\u202f000,50"
