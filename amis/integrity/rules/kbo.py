"""Belgian enterprise numbers (KBO/BCE), the key on which AMIF applications meet ESF/ISF projects.

The other funds' exports write the same number as 0401.234.560, BE0401234560 or 401234560; comparing
the raw text would miss double funding (Regulation (EU) 2021/1060 Art. 63(9), AMIF national programme
BE section 6.6), so every number is reduced to its 10 digits by python-stdnum first.
"""

from __future__ import annotations

from stdnum.be import vat as be_vat
from stdnum.exceptions import ValidationError

from amis.core.messages import gettext as _


def compact(value: str) -> str:
    """The number without dots, spaces or 'BE' prefix, a leading 0 restored; not checked."""
    return str(be_vat.compact(value))


def validate(value: str) -> str:
    """The 10-digit form, or `ValueError` with a message an officer can act on."""
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
