"""Reading values typed into forms or sent to the API: every problem is collected per field, so
one refusal can name them all and the form can show each beside its field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from amis.core import numbers
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
    return ApplicationError(
        _("Nothing was saved. %(problems)s") % {"problems": lines}, code="invalid", extra={"fields": problems}
    )


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
    not_a_number = _("'%(value)s' is not a number.")
    if isinstance(value, bool | dict | list):
        problems[where] = not_a_number % {"value": shown(value)}
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        problems[where] = not_a_number % {"value": shown(value)}
        return None
    if not number.is_finite():
        problems[where] = not_a_number % {"value": shown(value)}
        return None
    if number != 0 and number.adjusted() >= INTEGER_DIGITS:
        problems[where] = _("'%(value)s' is too large: at most %(digits)s digits before the point.") % {
            "value": shown(value),
            "digits": INTEGER_DIGITS,
        }
        return None
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -DECIMAL_PLACES:
        problems[where] = _("'%(value)s' has too many decimals.") % {"value": shown(value)}
        return None
    return number


def text(value: Any, where: str, problems: dict[str, str], max_length: int) -> str:
    """A text field: a string (a number is taken as its digits), stripped, at most `max_length`
    characters (the model's max_length, or the limit a TextField has in the rules)."""
    if value is None:
        return ""
    if isinstance(value, bool | dict | list):
        problems[where] = _("Give a text.")
        return ""
    stripped = str(value).strip()
    if len(stripped) > max_length:
        problems[where] = _("At most %(limit)s characters (this has %(length)s).") % {
            "limit": numbers.format_number(max_length, get_language(), 0),
            "length": numbers.format_number(len(stripped), get_language(), 0),
        }
    return stripped


def date(value: Any, where: str, problems: dict[str, str]) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        problems[where] = _("'%(value)s' is not a date (YYYY-MM-DD).") % {"value": shown(value)}
        return None
