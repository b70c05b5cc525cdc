"""Identifier checks, delegated to well-kept libraries: python-stdnum (KBO/BCE, EU VAT) and schwifty
(IBAN, BIC).

Each function returns the normalised form or raises `ValueError` with a message a user can act on.
"""

from __future__ import annotations

from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException
from stdnum.be import vat as be_vat
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError as StdnumError

from amis.core.messages import gettext as _


def enterprise_number(value: str) -> str:
    """Belgian enterprise number (KBO/BCE), e.g. '0308.357.159' -> '0308357159'."""
    try:
        return str(be_vat.validate(value))
    except StdnumError as exc:
        raise ValueError(
            _(
                "'%(value)s' is not a valid Belgian enterprise number (KBO/BCE): "
                "10 digits with a valid check number, like 0308.357.159."
            )
            % {"value": value}
        ) from exc


def format_enterprise_number(value: str) -> str:
    return f"{value[:4]}.{value[4:7]}.{value[7:]}" if len(value) == 10 else value


def vat_number(value: str) -> str:
    """An EU VAT number with its country prefix, e.g. 'NL004495445B01'."""
    try:
        return str(eu_vat.validate(value))
    except StdnumError as exc:
        raise ValueError(
            _(
                "'%(value)s' is not a valid EU VAT number: it starts with the country code "
                "(e.g. NL, FR, DE) and must pass that country's check."
            )
            % {"value": value}
        ) from exc


def iban(value: str) -> str:
    try:
        return str(IBAN(value).compact)
    except SchwiftyException as exc:
        raise ValueError(
            _("'%(value)s' is not a valid IBAN (%(reason)s).") % {"value": value, "reason": exc}
        ) from exc


def bic(value: str) -> str:
    try:
        return str(BIC(value).compact)
    except SchwiftyException as exc:
        raise ValueError(
            _("'%(value)s' is not a valid BIC (%(reason)s).") % {"value": value, "reason": exc}
        ) from exc


def format_iban(value: str) -> str:
    """Groups of four for reading aloud and copying, e.g. 'BE71 0961 2345 6769'; unchanged if not an IBAN."""
    try:
        return str(IBAN(value).formatted)
    except SchwiftyException:
        return value
