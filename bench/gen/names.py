"""Belgian-looking names, places and identifiers that pass the real checks (KBO/BCE, IBAN).

The numbers are fictitious: they are derived from a counter, so two generated organisations never
share one, and the check digits are computed the way the registries compute them.
"""

from __future__ import annotations

import random

CITIES = [
    ("1000", "Brussel", "nl"),
    ("1000", "Bruxelles", "fr"),
    ("2000", "Antwerpen", "nl"),
    ("9000", "Gent", "nl"),
    ("8000", "Brugge", "nl"),
    ("3000", "Leuven", "nl"),
    ("2800", "Mechelen", "nl"),
    ("3500", "Hasselt", "nl"),
    ("8500", "Kortrijk", "nl"),
    ("9300", "Aalst", "nl"),
    ("4000", "Liège", "fr"),
    ("6000", "Charleroi", "fr"),
    ("5000", "Namur", "fr"),
    ("7000", "Mons", "fr"),
    ("1300", "Wavre", "fr"),
    ("6700", "Arlon", "fr"),
    ("4700", "Eupen", "de"),
]
STREETS = {
    "nl": ["Kerkstraat", "Stationsstraat", "Dorpsstraat", "Molenstraat", "Nieuwstraat", "Kouter"],
    "fr": ["Rue de la Station", "Rue de l'Église", "Place Saint-Lambert", "Rue Royale", "Avenue Louise"],
    "de": ["Kirchstraße", "Bahnhofstraße", "Klötzerbahn"],
}
THEMES = {
    "nl": ["Integratie", "Onthaal", "Taal en Werk", "Nieuwkomers", "Samenleven", "Vluchtelingenwerk"],
    "fr": ["Intégration", "Accueil", "Langue et Emploi", "Primo-arrivants", "Vivre Ensemble", "Asile"],
    "de": ["Integration", "Aufnahme", "Sprache und Arbeit"],
}
NGO_FORM = {"nl": "vzw", "fr": "ASBL", "de": "VoG"}
LOCAL_BODY = {"nl": "OCMW", "fr": "CPAS", "de": "ÖSHZ"}
FIRST = ["An", "Bram", "Chloé", "Dries", "Elise", "Farid", "Hanne", "Ilse", "Jonas", "Karim", "Lotte", "Nora"]
LAST = [
    "Peeters",
    "Janssens",
    "Maes",
    "Jacobs",
    "Dubois",
    "Lambert",
    "Dupont",
    "Claes",
    "Wouters",
    "Goossens",
]


def kbo(n: int) -> str:
    """The n-th fictitious enterprise number: 10 digits, the last two 97 minus the first eight mod 97."""
    base = 2_000_000 + n  # "02......": like the numbers given out since the 1990s
    return f"{base:08d}{97 - base % 97:02d}"


def iban(n: int) -> str:
    """A Belgian IBAN: 12-digit account with its mod-97 check, then the ISO 13616 check digits."""
    account = 100_000_000 + n
    check = account % 97 or 97
    bban = f"{account:010d}{check:02d}"
    numeric = int(bban + "111400")  # "BE" -> 11 14, then "00"
    return f"BE{98 - numeric % 97:02d}{bban}"


def organisation(rnd: random.Random, n: int) -> dict[str, str]:
    postcode, city, lang = rnd.choice(CITIES)
    theme = rnd.choice(THEMES[lang])
    if rnd.random() < 0.2:
        kind, name = "local_public_body", f"{LOCAL_BODY[lang]} {city} - {theme} {n}"
    else:
        kind, name = "ngo", f"{NGO_FORM[lang]} {theme} {city} {n}"
    return {
        "kind": kind,
        "name": name,
        "short_name": f"{theme[:20]} {n}",
        "street": f"{rnd.choice(STREETS[lang])} {rnd.randint(1, 250)}",
        "postcode": postcode,
        "city": city,
        "lang": lang,
    }


def person(rnd: random.Random) -> tuple[str, str]:
    return rnd.choice(FIRST), rnd.choice(LAST)
