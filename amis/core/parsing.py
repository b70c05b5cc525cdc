"""Reading values typed into forms or sent to the API: every problem is collected per field, so
one refusal can name them all and the form can show each beside its field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from amis.core.errors import ApplicationError


def depth_exceeds(value: Any, limit: int) -> bool:
    """Whether `value` nests lists and dicts more than `limit` deep; iterative, so a document nested
    100,000 deep is measured without recursion."""
    stack = [(value, 1)]
    while stack:
        current, depth = stack.pop()
        if isinstance(current, dict | list):
            if depth > limit:
                return True
            children = current.values() if isinstance(current, dict) else current
            stack.extend((child, depth + 1) for child in children)
    return False


def fields_error(problems: dict[str, str]) -> ApplicationError:
    lines = "; ".join(f"{k}: {v}" for k, v in problems.items())
    return ApplicationError(f"Nothing was saved. {lines}", code="invalid", extra={"fields": problems})


# NUMERIC(15, 2) holds 13 digits before the point; no number AMIS reads (amounts, rates, weights,
# scores) is larger, and refusing here keeps 1E+400 and its like away from arithmetic and the database.
INTEGER_DIGITS = 13
# Amounts have two decimals and rates four; a dozen is generous and keeps 1E-999999 out.
DECIMAL_PLACES = 12


def shown(value: Any, limit: int = 40) -> str:
    """A value as a message may quote it: never more than `limit` characters of what was sent."""
    text_ = str(value)
    return text_ if len(text_) <= limit else text_[: limit - 1] + "…"


def decimal(value: Any, where: str, problems: dict[str, str]) -> Decimal | None:
    """A number given as text or as a JSON number; None when blank. Never NaN, infinite, or too large
    for NUMERIC(15, 2)."""
    if value in (None, ""):
        return None
    if isinstance(value, bool | dict | list):
        problems[where] = f"'{shown(value)}' is not a number."
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        problems[where] = f"'{shown(value)}' is not a number."
        return None
    if not number.is_finite():
        problems[where] = f"'{shown(value)}' is not a number."
        return None
    if number != 0 and number.adjusted() >= INTEGER_DIGITS:
        problems[where] = f"'{shown(value)}' is too large: at most {INTEGER_DIGITS} digits before the point."
        return None
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -DECIMAL_PLACES:
        problems[where] = f"'{shown(value)}' has too many decimals."
        return None
    return number


def text(value: Any, where: str, problems: dict[str, str], max_length: int) -> str:
    """A text field: a string (a number is taken as its digits), stripped, at most `max_length`
    characters (the model's max_length, or the limit a TextField has in the rules)."""
    if value is None:
        return ""
    if isinstance(value, bool | dict | list):
        problems[where] = "Give a text."
        return ""
    stripped = str(value).strip()
    if len(stripped) > max_length:
        problems[where] = f"At most {max_length:,} characters (this has {len(stripped):,})."
    return stripped


def date(value: Any, where: str, problems: dict[str, str]) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        problems[where] = f"'{shown(value)}' is not a date (YYYY-MM-DD)."
        return None
