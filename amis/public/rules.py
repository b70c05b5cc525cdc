"""Plain rules of the public list of operations (no Django).

CPR (Reg. (EU) 2021/1060) Art. 49(3): the list names the beneficiary only when it is a legal person;
natural persons are never named. Annex XVII: the EU co-financing rate of an operation is its EU
contribution over its total eligible cost. Reg. (EU) No 514/2014 Art. 53: the 2014-2020 list of
actions (beneficiary, project name, EU amount)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from amis.core.messages import gettext as _

# Organisation kinds that are natural persons. None of AMIS's kinds is one today (every kind is an
# authority or a body); a person is marked per operation instead (`PublicationDetails`).
NATURAL_PERSON_KINDS: frozenset[str] = frozenset()

NUTS_LENGTHS = frozenset({2, 3, 4, 5})


def beneficiary_name(name: str, kind: str, natural_person: bool) -> str:
    """The beneficiary's name as published: empty for a natural person (CPR Art. 49(3))."""
    if natural_person or kind in NATURAL_PERSON_KINDS:
        return ""
    return name


def eu_rate(eu_contribution: Decimal, total_cost: Decimal) -> Decimal | None:
    """The EU co-financing rate as a fraction with four decimals, or None without a cost."""
    if not total_cost:
        return None
    return (eu_contribution / total_cost).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def nuts_problem(code: str) -> str | None:
    """Why a NUTS code is not one (two letters of the country, then up to three letters or digits)."""
    if not code:
        return None
    if len(code) not in NUTS_LENGTHS or not code[:2].isalpha() or not code.isalnum():
        return _("A NUTS code is the country's two letters followed by up to three letters or digits.")
    if code != code.upper():
        return _("A NUTS code is written in capitals.")
    return None


def location_problem(
    postcode: str, municipality: str, nuts_code: str, country_wide: bool, note: str
) -> str | None:
    """Why a location is incomplete: a place (postcode, municipality or NUTS) or a country-wide or
    mobile operation with its note."""
    if country_wide:
        return None if note.strip() else _("Say in a note where a mobile or country-wide operation works.")
    if not (postcode.strip() or municipality.strip() or nuts_code.strip()):
        return _("Give a postcode, a municipality or a NUTS code, or mark the operation country-wide.")
    return nuts_problem(nuts_code.strip())


# Belgian postcodes to NUTS 2 regions (NUTS 2021: Brussels, the five Flemish and five Walloon provinces).
_BELGIAN_NUTS2 = (
    (1000, 1299, "BE10"),  # Brussels-Capital Region
    (1300, 1499, "BE31"),  # Walloon Brabant
    (1500, 1999, "BE24"),  # Flemish Brabant
    (2000, 2999, "BE21"),  # Antwerp
    (3000, 3499, "BE24"),  # Flemish Brabant
    (3500, 3999, "BE22"),  # Limburg
    (4000, 4999, "BE33"),  # Liège
    (5000, 5999, "BE35"),  # Namur
    (6000, 6599, "BE32"),  # Hainaut
    (6600, 6999, "BE34"),  # Luxembourg
    (7000, 7999, "BE32"),  # Hainaut
    (8000, 8999, "BE25"),  # West Flanders
    (9000, 9999, "BE23"),  # East Flanders
)


def belgian_nuts2(postcode: str) -> str:
    """The NUTS 2 region of a Belgian postcode ("" when it is not one)."""
    if not (postcode.isdigit() and len(postcode) == 4):
        return ""
    number = int(postcode)
    return next((code for low, high, code in _BELGIAN_NUTS2 if low <= number <= high), "")
