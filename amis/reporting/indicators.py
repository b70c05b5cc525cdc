"""Reference data: the breakdowns a report gives for an indicator's achieved value.

Data, not code: one list per indicator code (the code as the agreement's terms name it). 2014-2020
common indicators of persons (Regulation (EU) No 516/2014 Annex IV; Delegated Regulation (EU)
2017/207, Annex: "of which vulnerable persons", "of which unaccompanied minors"); 2021-2027 AMIF
output and result indicators (Regulation (EU) 2021/1147 Annex VIII, with the breakdowns of the
Commission's guidance on indicators). An indicator not listed has no breakdown.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

PERSONS = (
    ("vulnerable", _("of which vulnerable persons")),
    ("unaccompanied_minors", _("of which unaccompanied minors")),
)
PARTICIPANTS_2021 = (
    ("minors", _("of which minors")),
    ("unaccompanied_minors", _("of which unaccompanied minors")),
    ("women", _("of which women")),
)

BREAKDOWNS: dict[str, tuple[tuple[str, object], ...]] = {
    # 2014-2020 AMIF common indicators counting persons
    "C1": PERSONS,
    "C2": PERSONS,
    "C6": PERSONS,
    # 2021-2027 AMIF output indicators counting persons (codes of data/reference/
    # common-indicators-amif-2021-2027.yaml; O.2.2 counts authorities, not persons, and Annex VIII
    # has no R.2.5: neither has a breakdown)
    "O.1.1": PARTICIPANTS_2021,
    "O.2.1": PARTICIPANTS_2021,
    "O.2.3": PARTICIPANTS_2021,
    "O.3.1": PARTICIPANTS_2021,
    "O.4.1": PARTICIPANTS_2021,
}


def breakdowns(code: str) -> tuple[tuple[str, object], ...]:
    return BREAKDOWNS.get(code, ())
