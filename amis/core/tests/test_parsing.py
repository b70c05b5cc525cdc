"""Typed input: every number AMIS reads is finite and fits NUMERIC(15, 2); texts keep their length."""

from __future__ import annotations

from decimal import Decimal

import pytest

from amis.core import parsing


@pytest.mark.parametrize(
    "value",
    ["abc", "NaN", "sNaN", "Infinity", "-inf", "1e400", "1E+20", "10000000000000", "1E-13", True, [1], {}],
)
def test_numbers_that_are_no_amount_are_refused(value: object) -> None:
    problems: dict[str, str] = {}
    assert parsing.decimal(value, "amount", problems) is None
    assert "amount" in problems


@pytest.mark.parametrize(
    ("value", "number"),
    [("9999999999999.99", Decimal("9999999999999.99")), (" 12.50 ", Decimal("12.50")), (3, Decimal(3))],
)
def test_numbers_that_fit_are_read_exactly(value: object, number: Decimal) -> None:
    problems: dict[str, str] = {}
    assert parsing.decimal(value, "amount", problems) == number and problems == {}


def test_a_refusal_quotes_at_most_forty_characters_of_the_value() -> None:
    problems: dict[str, str] = {}
    parsing.decimal("x" * 10_000, "amount", problems)
    assert len(problems["amount"]) < 80


def test_texts_are_strings_within_their_length() -> None:
    problems: dict[str, str] = {}
    assert parsing.text("  ok  ", "a", problems, 5) == "ok"
    parsing.text("x" * 6, "b", problems, 5)
    parsing.text({"en": "x"}, "c", problems, 5)
    assert problems == {"b": "At most 5 characters (this has 6).", "c": "Give a text."}
