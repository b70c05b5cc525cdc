"""Money is `Decimal` with two places, never float: the helpers every app uses.

Pure Python (no Django), so the plain rules of every app can use them. Model fields are in
`amis.core.fields`.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def cents(value: Decimal) -> Decimal:
    """Round half up to the cent, as the Commission's financial tables do."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def is_whole_cents(value: Decimal) -> bool:
    """True when the amount has no more than two decimals (1.50 yes, 1.505 no)."""
    return value == value.quantize(CENT)


def money_sum(values: list[Decimal | None]) -> Decimal:
    """Sum of amounts where a blank (None) counts as nothing."""
    return sum((v for v in values if v is not None), ZERO)
