"""The form fields every money, rate and date input uses (amis.core.formfields), per language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from amis.core.formfields import AmountField, DateField, NumberField, PercentField

NNBSP, NBSP = "\u202f", "\u00a0"


class Sample(forms.Form):
    amount = AmountField(required=False)
    rate = PercentField(required=False)
    weight = NumberField(required=False)
    day = DateField(required=False)


@pytest.mark.parametrize(
    ("language", "amount", "rate", "weight", "day"),
    [
        ("fr", "1 234 567,89", "7,5 %", "12,5", "31/12/2027"),
        ("nl", "1.234.567,89", "7,5%", "12,5", "31-12-2027"),
        ("de", "1.234.567,89", "7,5 %", "12,5", "31.12.2027"),
        ("en", "1,234,567.89", "7.5%", "12.5", "31/12/2027"),
        ("fr", "1234567.89", "7.5", "12.5", "2027-12-31"),
        ("de", "1234567.89", "7.5", "12.5", "2027-12-31"),
    ],
)
def test_fields_read_the_languages_way_and_plain_iso(
    language: str, amount: str, rate: str, weight: str, day: str
) -> None:
    with translation.override(language):
        form = Sample({"amount": amount, "rate": rate, "weight": weight, "day": day})
        assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "amount": Decimal("1234567.89"),
        "rate": Decimal("0.075"),
        "weight": Decimal("12.5"),
        "day": dt.date(2027, 12, 31),
    }


@pytest.mark.parametrize(
    ("language", "amount", "rate", "weight", "day"),
    [
        ("fr", f"1{NNBSP}234{NNBSP}567,89", f"7,5{NBSP}%", "12,5", "31/12/2027"),
        ("nl", "1.234.567,89", "7,5%", "12,5", "31-12-2027"),
        ("de", "1.234.567,89", f"7,5{NBSP}%", "12,5", "31.12.2027"),
        ("en", "1,234,567.89", "7.5%", "12.5", "31/12/2027"),
    ],
)
def test_stored_values_are_shown_in_the_languages_format(
    language: str, amount: str, rate: str, weight: str, day: str
) -> None:
    initial = {
        "amount": Decimal("1234567.89"),
        "rate": Decimal("0.0750"),
        "weight": Decimal("12.50"),
        "day": dt.date(2027, 12, 31),
    }
    with translation.override(language):
        html = str(Sample(initial=initial))
    for shown in (amount, rate, weight, day):
        assert f'value="{shown}"' in html, shown
    assert 'inputmode="decimal"' in html and f'placeholder="{day}"' in html


def test_a_us_date_is_refused_in_english_with_an_eu_example() -> None:
    with translation.override("en"):
        form = Sample({"day": "12/31/2027"})
        assert not form.is_valid()
    assert form.errors["day"] == ["“12/31/2027” is not a date. Write it as, for example, 31/12/2027."]


def test_wrong_numbers_are_refused_with_an_example_in_the_readers_format() -> None:
    with translation.override("en"):
        form = Sample({"amount": "12,5", "rate": "seven", "weight": "1.2.3"})
        assert not form.is_valid()
    assert form.errors["amount"] == ["“12,5” is not an amount. Write it as, for example, 12,000.50."]
    assert form.errors["rate"] == ["“seven” is not a percentage. Write it as, for example, 7.5%."]
    assert form.errors["weight"] == ["“1.2.3” is not a number. Write it as, for example, 12.5."]
    with translation.override("en"):
        form = Sample({"amount": "1.001", "rate": "7.555"})
        assert not form.is_valid()
    assert form.errors["amount"] == ["“1.001” has too many decimals: at most 2."]
    assert form.errors["rate"] == ["“7.555” has too many decimals: at most 2."]


def test_what_was_typed_is_shown_back_as_typed_when_it_is_wrong() -> None:
    with translation.override("de"):
        html = str(Sample({"amount": "12,000.50", "rate": "7,5"}))
    assert 'value="12,000.50"' in html and f'value="7,5{NBSP}%"' in html


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("fr", [f"12{NNBSP}000,50", f"12{NNBSP}000,50{NBSP}€", f"7,5{NBSP}%", f"75{NBSP}%", "12,5", "1,00"]),
        ("nl", ["12.000,50", f"€{NBSP}12.000,50", "7,5%", "75%", "12,5", "1,00"]),
        ("de", ["12.000,50", f"12.000,50{NBSP}€", f"7,5{NBSP}%", f"75{NBSP}%", "12,5", "1,00"]),
        ("en", ["12,000.50", "€12,000.50", "7.5%", "75%", "12.5", "1.00"]),
    ],
)
def test_the_template_filters_show_one_style_per_language(language: str, shown: list[str]) -> None:
    from amis.core.templatetags import amis as tags

    with translation.override(language):
        values = [
            tags.eur(Decimal("12000.5")),
            tags.money("12000.50"),
            tags.percent(Decimal("0.0750")),
            tags.pct(Decimal("75.00")),
            tags.num("12.50"),
            tags.qty(1),
        ]
        assert tags.amount_input("12,000.50") == "12,000.50"  # typed text stays as typed
        assert tags.amount_input(Decimal("12000.50")) == shown[0]
    assert values == shown


def test_texts_say_which_language_they_fall_back_to() -> None:
    from amis.core.templatetags import amis as tags

    with translation.override("fr"):
        assert tags.text_fallback(["nl", "en"]) == "en"
        assert tags.text_fallback(["nl"]) == "nl"
        assert tags.text_fallback(["fr", "en"]) == ""
        assert tags.language_name_translated("en") == "anglais"
    with translation.override("de"):
        assert tags.language_name_translated("en") == "Englisch"
