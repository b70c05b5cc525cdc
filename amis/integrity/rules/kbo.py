"""Company numbers, the key on which AMIF applications meet ESF/ISF projects: the Belgian enterprise
number (KBO/BCE) and, for organisations of other member states, their EU VAT number.

The other funds' exports write the same number as 0401.234.560, BE0401234560 or 401234560; comparing
the raw text would miss double funding (Regulation (EU) 2021/1060 Art. 63(9), AMIF national programme
BE section 6.6), so every number is reduced by python-stdnum first: a Belgian one to its 10 digits,
another country's VAT number to its compact form with the country prefix (FR40303265045).
"""

from __future__ import annotations

from stdnum.be import vat as be_vat
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError

from amis.core.messages import gettext as _


def compact(value: str) -> str:
    """The number without dots, spaces or 'BE' prefix, a leading 0 restored; not checked."""
    return str(be_vat.compact(value))


def _foreign(value: str) -> bool:
    """Written with another member state's prefix (FR, NL, DE, EL...): an EU VAT number."""
    prefix = "".join(value.split()).upper()[:2]
    return prefix.isalpha() and prefix != "BE"


def key(value: str | None) -> str | None:
    """The comparable form of a number as either side writes it (not checked): 10 digits for a
    Belgian number, the compact VAT number with its country prefix for another country's."""
    if not value or not value.strip():
        return None
    if _foreign(value):
        return str(eu_vat.compact(value)) or None
    return compact(value) or None


def validate(value: str) -> str:
    """The 10-digit form (or another country's compact VAT number), or `ValueError` with a message
    an officer can act on."""
    if _foreign(value):
        try:
            return str(eu_vat.validate(value))
        except ValidationError as exc:
            raise ValueError(
                _(
                    "'%(value)s' is not a valid EU VAT number: the country prefix and a number with a "
                    "valid check digit, like FR40303265045."
                )
                % {"value": value}
            ) from exc
    try:
        return str(be_vat.validate(value))
    except ValidationError as exc:
        raise ValueError(
            _(
                "'%(value)s' is not a valid Belgian enterprise number (KBO/BCE): "
                "10 digits with a valid check number, like 0401.234.560."
            )
            % {"value": value}
        ) from exc


def display(value: str) -> str:
    """'0401234560' -> '0401.234.560', the way the KBO/BCE register prints it."""
    return f"{value[:4]}.{value[4:7]}.{value[7:]}" if len(value) == 10 else value
