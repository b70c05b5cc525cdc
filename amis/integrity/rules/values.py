"""Cell values of the ESF/ISF exports: text, dates and amounts, read strictly.

The exports come from other funds' systems and from officers' spreadsheets, in Belgian and English
conventions. A value that could be read two ways is refused rather than guessed, because a wrong period
hides or invents an overlap, and the check exists to prevent double funding (Regulation (EU) 2021/1060
Art. 63(9) and AMIF national programme BE section 6.6). Each reader raises `ValueError` with a message
an officer can act on; blank cells give None (or "") and the caller decides whether that is allowed.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time
from decimal import Decimal

from openpyxl.utils.datetime import from_excel

from amis.core.messages import gettext as _
from amis.core.messages import gettext_noop
from amis.core.money import CENT

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_DAY_FIRST = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})")
_SERIAL = re.compile(r"\d{5}(?:[.,]0+)?")
_LAST_EXCEL_SERIAL = 2958465  # 9999-12-31
_AMOUNT = re.compile(r"[0-9.,]+")
_CURRENCY = re.compile(r"€|\beur(?:o|os)?\b", re.IGNORECASE)
DATE_HINT = gettext_noop("use YYYY-MM-DD, DD/MM/YYYY or DD-MM-YYYY")


def text(value: object) -> str:
    """A cell as stripped text; whole numbers typed into Excel lose their '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _not_a_date(value: object) -> str:
    return _("'%(value)s' is not a date (%(hint)s).") % {"value": value, "hint": _(DATE_HINT)}


def _excel_serial(value: float, shown: object) -> date:
    if not 1 <= value <= _LAST_EXCEL_SERIAL:
        raise ValueError(_not_a_date(shown))
    moment = from_excel(value)
    assert isinstance(moment, datetime)
    return moment.date()


def _make_date(year: str, month: str, day: str, shown: str, order: str) -> date:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError(
            _("'%(value)s' is not an existing date (read as %(order)s).")
            % {"value": shown, "order": _(order)}
        ) from None


def parse_date(value: object) -> date | None:
    """ISO, day-first with '/', '-' or '.', an Excel date cell or an Excel day number; None if blank.

    Month-first (US) dates and two-digit years are refused: 03/04/2024 is 3 April in Belgium.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise ValueError(_not_a_date(value))
    if isinstance(value, int | float):
        return _excel_serial(float(value), value)
    shown = text(value)
    if not shown:
        return None
    if match := _ISO.fullmatch(shown):
        return _make_date(match[1], match[2], match[3], shown, gettext_noop("year-month-day"))
    if match := _DAY_FIRST.fullmatch(shown):
        return _make_date(match[4], match[3], match[1], shown, gettext_noop("day/month/year"))
    if _SERIAL.fullmatch(shown):
        return _excel_serial(float(shown.replace(",", ".")), shown)
    raise ValueError(_not_a_date(shown))


def _split(body: str, shown: str) -> tuple[str, str, str | None]:
    """(integer part, decimals, thousands separator): the last separator decides, unless it repeats."""
    last = max(body.rfind("."), body.rfind(","))
    if last < 0:
        return body, "", None
    separator = body[last]
    other = "," if separator == "." else "."
    if body.count(separator) > 1:  # 1.234.567 : only thousands separators
        if other in body:
            raise ValueError(_("'%(value)s' is not an amount.") % {"value": shown})
        return body, "", separator
    return body[:last], body[last + 1 :], other


def _checked(amount: Decimal, shown: object) -> Decimal:
    exponent = amount.as_tuple().exponent
    if not isinstance(exponent, int):
        raise ValueError(_("'%(value)s' is not an amount.") % {"value": shown})
    if exponent < -2:
        raise ValueError(
            _(
                "'%(value)s' has more than 2 decimals; write euro and cent only, "
                "e.g. 1234 or 1.234,00 for one thousand two hundred and thirty-four."
            )
            % {"value": shown}
        )
    if amount < 0:
        raise ValueError(_("'%(value)s' is negative; a project amount cannot be.") % {"value": shown})
    return amount.quantize(CENT)


COMMA, POINT = "comma", "point"  # the file's number format: 1.234,56 or 1,234.56
NUMBER_FORMATS = ("", COMMA, POINT)
FORMAT_HINT = gettext_noop(
    "choose the number format of the file when you import it: decimal comma (1.234,56) or decimal "
    "point (1,234.56)"
)


def _ambiguous(shown: str, body: str) -> ValueError:
    """334.445: 334,445 euro in a Belgian file, 334.445 (three decimals) in an English one."""
    grouped = body.replace(".", "").replace(",", "")
    return ValueError(
        _("'%(value)s' can be read as %(whole)s or as %(decimal)s: %(hint)s.")
        % {
            "value": shown,
            "whole": grouped,
            "decimal": body.replace(",", "."),
            "hint": _(FORMAT_HINT),
        }
    )


def _by_format(body: str, shown: str, number_format: str) -> tuple[str, str, str | None]:
    """(integer part, decimals, thousands separator) under the file's declared number format."""
    decimal, thousands = (",", ".") if number_format == COMMA else (".", ",")
    if body.count(decimal) > 1:
        raise ValueError(
            _("'%(value)s' is not an amount in this file's number format (%(hint)s).")
            % {"value": shown, "hint": _(FORMAT_HINT)}
        )
    whole, _sep, decimals = body.partition(decimal)
    return whole, decimals, thousands


def parse_amount(value: object, number_format: str = "") -> Decimal | None:
    """A euro amount as Decimal with 2 decimals, never through float arithmetic; None if blank.

    With the file's `number_format` (COMMA: 1.234,56; POINT: 1,234.56) every text is read one way.
    Without it the last separator is the decimal one (1.234,56 / 1,234.56 / 1234.56 / 1234,56) and a
    single separator followed by exactly three digits (334.445) is refused as ambiguous, naming both
    readings: it is 334,445 euro in a Belgian export and 334.445 in an English one. Spaces and a euro
    sign are ignored; more than 2 decimals are refused.
    """
    if isinstance(value, bool):
        raise ValueError(_("'%(value)s' is not an amount.") % {"value": value})
    if isinstance(value, int):
        return _checked(Decimal(value), value)
    if isinstance(value, float):
        # Excel keeps 15 significant digits; more are binary noise from formulas (0.1 + 0.2).
        if not math.isfinite(value):
            raise ValueError(_("'%(value)s' is not an amount.") % {"value": value})
        return _checked(Decimal(format(value, ".15g")), value)
    if isinstance(value, Decimal):
        return _checked(value, value)
    shown = text(value)
    body = "".join(_CURRENCY.sub("", shown).split())
    if not body:
        return None
    negative = body.startswith("-")
    body = body.removeprefix("-").removeprefix("+")
    if not _AMOUNT.fullmatch(body):
        raise ValueError(_("'%(value)s' is not an amount.") % {"value": shown})
    if number_format in (COMMA, POINT):
        whole, decimals, thousands = _by_format(body, shown, number_format)
    else:
        if re.fullmatch(r"[1-9]\d{0,2}[.,]\d{3}", body):
            raise _ambiguous(shown, body)
        whole, decimals, thousands = _split(body, shown)
    if thousands is not None and thousands in whole:
        valid = re.fullmatch(rf"\d{{1,3}}(?:{re.escape(thousands)}\d{{3}})+", whole) is not None
    else:
        valid = whole.isdigit()
    broken = body[-1] in ".," or (decimals and not decimals.isdigit())
    if number_format and (not valid or broken):
        raise ValueError(
            _("'%(value)s' is not an amount in this file's number format (%(hint)s).")
            % {"value": shown, "hint": _(FORMAT_HINT)}
        )
    if not valid:
        raise ValueError(
            _("'%(value)s' is not an amount (check the thousands and decimal separators).") % {"value": shown}
        )
    if broken:
        raise ValueError(_("'%(value)s' is not an amount.") % {"value": shown})
    amount = Decimal(whole.replace(thousands or "", "") + (f".{decimals}" if decimals else ""))
    if negative and amount:
        raise ValueError(_("'%(value)s' is negative; a project amount cannot be.") % {"value": shown})
    return _checked(amount, shown)
