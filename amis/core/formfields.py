"""Form fields for numbers and dates as the reader's language writes them.

Every money input of the pages is an `AmountField`, every rate an `PercentField`, every date a
`DateField` from here: they read what the user typed with `amis.core.numbers` (or the language's
date formats, see `amis/core/formats/`), refuse anything else with a message in the user's language
that shows an example in their format, and show stored values back formatted (`12 000,50`, `7,5 %`,
`31/12/2027`), never as `120000.00` or `0.0750`. The services still receive `Decimal` and `date`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import formats, translation
from django.utils.translation import gettext as _

from amis.core import numbers


def _language() -> str:
    return translation.get_language() or "en"


def number_message(error: numbers.NumberError, kind: str = "amount") -> str:
    """The refusal, in the active language, with an example written the way that language writes."""
    language = _language()
    shown = error.text if len(error.text) <= 40 else error.text[:39] + "…"
    if error.code == "too_large":
        return _("“%(value)s” is too large: at most %(digits)s digits before the decimal mark.") % {
            "value": shown,
            "digits": numbers.INTEGER_DIGITS,
        }
    if error.code == "decimals":
        return _("“%(value)s” has too many decimals: at most %(places)s.") % {
            "value": shown,
            "places": error.places,
        }
    if kind == "percent":
        return _("“%(value)s” is not a percentage. Write it as, for example, %(example)s.") % {
            "value": shown,
            "example": numbers.format_percent(Decimal("0.075"), language),
        }
    if kind == "number":
        return _("“%(value)s” is not a number. Write it as, for example, %(example)s.") % {
            "value": shown,
            "example": numbers.format_number(Decimal("12.5"), language, None),
        }
    return _("“%(value)s” is not an amount. Write it as, for example, %(example)s.") % {
        "value": shown,
        "example": numbers.example_amount(language),
    }


def _as_decimal(value: Any) -> Decimal | None:
    """A stored value (Decimal, int, or the canonical text `120000.00` JSON keeps) as a Decimal."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return None


class NumberInput(forms.TextInput):
    """A text input (not type=number, which knows one decimal mark) for a plain number (a weight, a
    score) in the reader's format, without trailing zeros; the amount and per-cent inputs below
    differ only in how they read and write the number."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def parse(self, text: str, language: str | None) -> Decimal:
        return numbers.parse_number(text, language)

    def show(self, number: Decimal, language: str | None) -> str:
        return numbers.format_number(number.normalize() if number else Decimal(0), language, None)

    def format_value(self, value: Any) -> str | None:
        number = _as_decimal(value)
        if number is not None:
            return self.show(number, _language())
        if isinstance(value, str) and value.strip():
            # typed text comes back as typed when it is not a number; else in the reader's format
            try:
                return self.show(self.parse(value, _language()), _language())
            except numbers.NumberError:
                return value
        return super().format_value(value)


class AmountInput(NumberInput):
    """An amount, shown formatted with two decimals."""

    def parse(self, text: str, language: str | None) -> Decimal:
        return numbers.parse_amount(text, language)

    def show(self, number: Decimal, language: str | None) -> str:
        return numbers.format_amount(number, language)


class PercentInput(NumberInput):
    """A rate stored as a fraction (0.0750), shown in per cent (`7,5 %`)."""

    def parse(self, text: str, language: str | None) -> Decimal:
        return numbers.parse_percent(text, language)

    def show(self, number: Decimal, language: str | None) -> str:
        return numbers.format_percent(number, language)


class NumberField(forms.Field):
    """A number (weights, scores, marks) typed in the reader's format; cleaned to a Decimal."""

    widget = NumberInput
    kind = "number"  # which example the refusal shows

    def __init__(self, *args: Any, places: int | None = 2, **kwargs: Any) -> None:
        self.places = places
        super().__init__(*args, **kwargs)

    def parse(self, text: str) -> Decimal:
        return numbers.parse_number(text, _language(), self.places)

    def to_python(self, value: Any) -> Decimal | None:
        if value in self.empty_values:
            return None
        number = _as_decimal(value)
        if number is not None:
            return number
        try:
            return self.parse(str(value))
        except numbers.NumberError as error:
            raise forms.ValidationError(number_message(error, self.kind), code=error.code) from error


class AmountField(NumberField):
    """An amount in euro typed in the reader's format; cleaned to a Decimal with two places."""

    widget = AmountInput
    kind = "amount"

    def parse(self, text: str) -> Decimal:
        return numbers.parse_amount(text, _language())


class PercentField(NumberField):
    """A rate typed in per cent (`7,5`, `7,5 %`), cleaned to the fraction (Decimal('0.075')); at most
    two decimals in per cent, so the fraction fits a `rate_field` (four places)."""

    widget = PercentInput
    kind = "percent"

    def parse(self, text: str) -> Decimal:
        return numbers.parse_percent(text, _language())


def date_hint() -> str:
    """How the reader's language writes a date, for the field's help (`DD/MM/YYYY`)."""
    example = dt.date(2027, 12, 31)
    return formats.date_format(example, "SHORT_DATE_FORMAT")


class DateInput(forms.DateInput):
    """A date typed as text in the reader's format (`31/12/2027`, `31-12-2027`, `31.12.2027`).

    Not type=date: the browser's picker shows its own locale's order (the US one in an English
    browser), while AMIS shows one style per interface language."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"autocomplete": "off", "inputmode": "numeric", **(attrs or {})})

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].setdefault("placeholder", date_hint())
        return context

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, str) and value:
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                return value
        if isinstance(value, dt.date):
            return formats.date_format(value, "SHORT_DATE_FORMAT")
        return super().format_value(value)


class DateField(forms.DateField):
    """A date in the reader's format or ISO (`2027-12-31`); the message names an example."""

    widget = DateInput

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, str) and value.strip():
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        try:
            return super().to_python(value)
        except forms.ValidationError as error:
            raise forms.ValidationError(
                _("“%(value)s” is not a date. Write it as, for example, %(example)s.")
                % {"value": str(value)[:40], "example": date_hint()},
                code="invalid",
            ) from error
