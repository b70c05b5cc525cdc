"""The working of a figure, step by step, and the one `Decimal` context every rule computes in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, localcontext
from functools import wraps
from typing import ParamSpec, TypeVar

CONTEXT = Context(prec=34, rounding=ROUND_HALF_EVEN)
CENT = Decimal("0.01")
RATE_PLACES = Decimal("0.000001")  # error rates kept to a ten-thousandth of a percent
ZERO = Decimal(0)
ONE = Decimal(1)

P = ParamSpec("P")
R = TypeVar("R")


class SamplingInputError(ValueError):
    """The parameters cannot give a figure (e.g. TE ≤ AE, an empty population); the message says why."""


def precise(function: Callable[P, R]) -> Callable[P, R]:
    """Run the rule in `CONTEXT`, whatever context the caller has."""

    @wraps(function)
    def inner(*args: P.args, **kwargs: P.kwargs) -> R:
        with localcontext(CONTEXT):
            return function(*args, **kwargs)

    return inner


def money(value: Decimal) -> Decimal:
    """To the cent, half up (as the Commission's tables round amounts)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def rate(value: Decimal) -> Decimal:
    return value.quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def ceiling(value: Decimal) -> int:
    """A sample size: up to the next whole unit (the guidance always rounds sizes up)."""
    return int(value.to_integral_value(rounding=ROUND_CEILING))


def sqrt(value: Decimal) -> Decimal:
    return value.sqrt(CONTEXT)


@dataclass(frozen=True)
class Step:
    label: str
    formula: str
    substituted: str
    result: str
    citation: str

    def as_dict(self) -> dict[str, str]:
        return {
            "label": self.label,
            "formula": self.formula,
            "substituted": self.substituted,
            "result": self.result,
            "citation": self.citation,
        }


def show(value: Decimal | int) -> str:
    """A number as the working writes it: plain digits, no exponent, trailing zeros kept."""
    if isinstance(value, int):
        return str(value)
    return format(value, "f")


def short(value: Decimal) -> str:
    """An intermediate value in the working, to four decimals (the figure itself keeps them all)."""
    return show(value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))
