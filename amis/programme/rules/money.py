"""Money as Decimal with exactly two places; never float.

The exchange format writes amounts as strings ("19617518.37") so no reader turns them into floats.
"""

from __future__ import annotations

import re
from decimal import Decimal

from amis.core.money import CENT, money_sum
from amis.core.money import cents as to_cents

__all__ = [
    "CENT",
    "MONEY_LIMIT",
    "MoneyFormatError",
    "display",
    "format_money",
    "money_sum",
    "parse_money",
    "to_cents",
]
MONEY_PATTERN = re.compile(r"^-?[0-9]+\.[0-9]{2}$")
MONEY_LIMIT = Decimal("1E13")  # NUMERIC(15, 2) holds 13 digits before the point


class MoneyFormatError(ValueError):
    pass


def parse_money(value: str | None) -> Decimal | None:
    """Parse "1234.50" exactly. Anything else (floats, three decimals, separators) is refused."""
    if value is None:
        return None
    if not isinstance(value, str) or not MONEY_PATTERN.match(value):
        raise MoneyFormatError(f"{value!r} is not an amount with exactly two decimals, like '1234.50'")
    return Decimal(value)


def parse_required_money(value: str) -> Decimal:
    """Like `parse_money`, for fields the schema makes mandatory."""
    parsed = parse_money(value)
    if parsed is None:
        raise MoneyFormatError("an amount is required")
    return parsed


def format_money(value: Decimal | None) -> str | None:
    if value is None:
        return None
    return str(to_cents(value))


def display(value: Decimal | None) -> str:
    """1234567.8 -> '1,234,567.80' (the SFC print format; pages localise on top of this)."""
    if value is None:
        return ""
    return f"{to_cents(value):,.2f}"
