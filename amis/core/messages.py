"""The plain rules' messages in the reader's language, without importing Django.

A `rules` module writes `_("The co-financing plan adds up to %(plan)s ...") % {"plan": amount(x)}`
with `_`, `amount`, `figure`, `date` and `datetime` from here. Alone (hypothesis tests, a script)
these give English and the EU formats; in the running project `amis.core.apps` installs Django's
`gettext` and the active language's formats, so a French applicant reads the message in French with
`149 800,00` and `31/12/2027`. `makemessages` finds the `_("...")` texts like any other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from amis.core import numbers


def _same(text: str) -> str:
    return text


def _english() -> str:
    return "en"


def _eu_date(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def _eu_datetime(value: dt.datetime) -> str:
    return value.strftime("%d/%m/%Y %H:%M:%S")


_gettext: Callable[[str], str] = _same
_language: Callable[[], str] = _english
_date: Callable[[dt.date], str] = _eu_date
_datetime: Callable[[dt.datetime], str] = _eu_datetime


def install(
    *,
    gettext: Callable[[str], str],
    language: Callable[[], str],
    date: Callable[[dt.date], str],
    datetime: Callable[[dt.datetime], str],
) -> None:
    """Called once by `amis.core.apps.CoreConfig.ready`."""
    global _gettext, _language, _date, _datetime
    _gettext, _language, _date, _datetime = gettext, language, date, datetime


def gettext(message: str) -> str:
    """`message` in the active language (English until Django is set up)."""
    return _gettext(message)


def gettext_noop(message: str) -> str:
    """Marks a constant for `makemessages`; translate it where it is shown, with `gettext(CONSTANT)`."""
    return message


def amount(value: Decimal) -> str:
    """An amount as the reader writes it, without the currency sign (`149 800,00`)."""
    return numbers.format_amount(value, _language())


def figure(value: Decimal | int, places: int | None) -> str:
    """A number with `places` decimals (None: as it is), grouped as the reader writes it (`75,00`)."""
    return numbers.format_number(value, _language(), places)


def date(value: dt.date) -> str:
    return _date(value)


def datetime(value: dt.datetime) -> str:
    return _datetime(value)
