"""Reference data AMIS ships with: funds, programming periods, EU member states.

Loaded by a data migration; maintained afterwards in the admin. EU usage: Greece is EL.
"""

from pathlib import Path

import yaml

CATALOGUE = Path(__file__).with_name("data") / "common_indicators_amif_2014_2020.yaml"

FUNDS = [
    ("AMIF", "Asylum, Migration and Integration Fund"),
    ("ISF", "Internal Security Fund"),
    ("BMVI", "Instrument for Financial Support for Border Management and Visa Policy"),
]

PERIODS = [("2014-2020", 2014, 2020), ("2021-2027", 2021, 2027)]

MEMBER_STATES = [
    ("AT", "Austria"),
    ("BE", "Belgium"),
    ("BG", "Bulgaria"),
    ("HR", "Croatia"),
    ("CY", "Cyprus"),
    ("CZ", "Czechia"),
    ("DK", "Denmark"),
    ("EE", "Estonia"),
    ("FI", "Finland"),
    ("FR", "France"),
    ("DE", "Germany"),
    ("EL", "Greece"),
    ("HU", "Hungary"),
    ("IE", "Ireland"),
    ("IT", "Italy"),
    ("LV", "Latvia"),
    ("LT", "Lithuania"),
    ("LU", "Luxembourg"),
    ("MT", "Malta"),
    ("NL", "Netherlands"),
    ("PL", "Poland"),
    ("PT", "Portugal"),
    ("RO", "Romania"),
    ("SK", "Slovakia"),
    ("SI", "Slovenia"),
    ("ES", "Spain"),
    ("SE", "Sweden"),
    ("UK", "United Kingdom (2014-2020)"),
]


def load(apps) -> None:  # type: ignore[no-untyped-def]
    Fund = apps.get_model("programme", "Fund")
    ProgrammingPeriod = apps.get_model("programme", "ProgrammingPeriod")
    MemberState = apps.get_model("programme", "MemberState")
    for code, name in FUNDS:
        Fund.objects.update_or_create(code=code, defaults={"name": name})
    for code, start, end in PERIODS:
        ProgrammingPeriod.objects.update_or_create(code=code, defaults={"start_year": start, "end_year": end})
    for code, name in MEMBER_STATES:
        MemberState.objects.update_or_create(code=code, defaults={"name": name})
    CommonIndicator = apps.get_model("programme", "CommonIndicator")
    amif = Fund.objects.get(code="AMIF")
    period = ProgrammingPeriod.objects.get(code="2014-2020")  # the catalogue file's fund and period
    catalogue = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    for row in catalogue["indicators"]:
        CommonIndicator.objects.update_or_create(
            fund=amif,
            period=period,
            specific_objective=row["specific_objective"],
            code=row["code"],
            defaults={"name": row["name"], "unit": row["unit"]},
        )
