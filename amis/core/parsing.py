"""Reading values typed into forms or sent to the API: every problem is collected per field, so
one refusal can name them all and the form can show each beside its field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from amis.core.errors import ApplicationError


def fields_error(problems: dict[str, str]) -> ApplicationError:
    lines = "; ".join(f"{k}: {v}" for k, v in problems.items())
    return ApplicationError(f"Nothing was saved. {lines}", code="invalid", extra={"fields": problems})


def decimal(value: Any, where: str, problems: dict[str, str]) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        problems[where] = f"'{value}' is not a number."
        return None
    if not number.is_finite():
        problems[where] = f"'{value}' is not a number."
        return None
    return number


def date(value: Any, where: str, problems: dict[str, str]) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        problems[where] = f"'{value}' is not a date (YYYY-MM-DD)."
        return None
