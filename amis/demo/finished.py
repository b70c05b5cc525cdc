"""Four short projects of the decided 2021-2027 call that have already ended, so the demo shows the
last stages of a grant: six months of work (each above EUR 200,000 total cost, so real costs are
declared: below it, 2021/1060 Art. 53(2) asks simplified cost options) that ended at the end of the
month before last, one final report each (the call's grant terms ask an interim report every six
months, so a six-month project has only its final report), submitted four weeks after its period.

What becomes of each is in `amis.demo.money`; here are the data the call's applications are made
from (`amis.demo.projects.load_projects` submits them with the others while the call is open) and
the expenditure lines of each final report, imported from the template as the flagship's are.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from amis.core.money import cents
from amis.demo.expenditure import SUPPLIERS, add_months, enterprise_number
from amis.reporting import rules as reporting_rules

CARITAS = "beneficiary@caritas.example"
REDCROSS = "beneficiary@redcross.example"


@dataclass(frozen=True)
class Finished:
    key: str
    email: str
    short: str
    signatory: str
    title: str
    summary: str
    per_category: dict[str, str]
    participants: str
    scores: dict[str, str]


# the balance proposed, awaiting the authorising officer's approval
BALANCE_PROPOSED = Finished(
    "balance_proposed",
    CARITAS,
    "Caritas",
    "Fatima El Amrani",
    "Wegwijs in de buurt",
    "Wegwijs in de buurt: buurtgidsen leren nieuwkomers de diensten van hun gemeente kennen.",
    {"staff": "156000.00", "travel": "6000.00", "other": "32000.00"},
    "30",
    {"A1": "36", "A2": "34"},
)
# the final report submitted, waiting for the verifier
AWAITING_VERIFICATION = Finished(
    "awaiting_verification",
    REDCROSS,
    "Rode Kruis",
    "Tom Wouters",
    "Eerste stappen naar werk",
    "Eerste stappen naar werk: sollicitatietraining en werkplekbezoeken voor erkende vluchtelingen.",
    {"staff": "156000.00", "travel": "6000.00", "other": "32000.00"},
    "30",
    {"A1": "35", "A2": "34"},
)
# visited on the spot with a finding and a correction, final report verified, balance not proposed:
# the project a recovery ordered after the finding, offset against the balance, is made on
RECOVERY = Finished(
    "recovery",
    CARITAS,
    "Caritas",
    "Fatima El Amrani",
    "Taalbad voor jonge nieuwkomers",
    "Taalbad voor jonge nieuwkomers: een zomerschool Nederlands voor jongeren van 16 tot 18 jaar.",
    {"staff": "156000.00", "travel": "6000.00", "other": "32000.00"},
    "30",
    {"A1": "35", "A2": "33"},
)
# final report verified, balance paid: the project the closure is made on
CLOSURE = Finished(
    "closure",
    REDCROSS,
    "Rode Kruis",
    "Tom Wouters",
    "Samen aan tafel",
    "Samen aan tafel: kookateliers waar nieuwkomers en buurtbewoners samen Nederlands oefenen.",
    {"staff": "156000.00", "travel": "6000.00", "other": "32000.00"},
    "30",
    {"A1": "34", "A2": "33"},
)
FINISHED = (BALANCE_PROPOSED, AWAITING_VERIFICATION, RECOVERY, CLOSURE)


def period(today: dt.date) -> tuple[dt.date, dt.date]:
    """Six months that ended on the last day of the month before last (relative to `today`)."""
    first = today.replace(day=1)
    return add_months(first, -8), add_months(first, -2) - dt.timedelta(days=1)


def final_rows(start: dt.date, end: dt.date, seed: int) -> list[dict[str, str]]:
    """About 40 lines in the expenditure template's columns, close to the budget as a project that
    ended declares it: three coaches' payroll, train passes, the class room and lunches per month;
    course books, an extra lesson day's room, translation and interpreters. Deterministic (seeded)."""
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []

    def add(key: str, category: str, number: str, invoice: dt.date, description: str, excl: Decimal) -> None:
        name, base, vat = SUPPLIERS[key]
        incl = cents(excl * (1 + vat))
        rows.append(
            {
                "category": category,
                "cost_type": reporting_rules.REAL,
                "supplier_name": name,
                "supplier_number": f"BE {enterprise_number(base)}",
                "invoice_number": number,
                "invoice_date": invoice.isoformat(),
                "payment_date": min(invoice + dt.timedelta(days=rng.randint(3, 20)), end).isoformat(),
                "description": description,
                "amount_excl_vat": str(excl),
                "amount_incl_vat": str(incl),
                "vat_recoverable": "nee",
                "amount_declared": str(incl),
                "units": "",
                "simplified_cost": "",
                "credit_note_for": "",
                "document_name": f"{number}.pdf",
            }
        )

    def amount(low: int, high: int) -> Decimal:
        return Decimal(rng.randint(low * 100, high * 100)) / 100

    month, n = start, 1
    while month <= end:
        last = min(add_months(month, 1) - dt.timedelta(days=1), end)
        for who in ("trajectbegeleider", "taalcoach", "jobcoach"):
            number = f"LB-{month:%Y%m}-{seed:02d}{n:02d}"
            add("payroll", "staff", number, last, f"Loon {who} {month:%m/%Y}", amount(7900, 8300))
            n += 1
        # each month: the participants' train passes, the class room, the lunches
        for what, key, category, prefix, low, high in (
            ("Treinabonnementen deelnemers", "rail", "travel", "PR", 500, 640),
            ("Zaalhuur lesdagen", "room", "other", "HP", 1300, 1700),
            ("Broodjeslunch deelnemers", "catering", "other", "DK", 520, 680),
        ):
            add(
                key,
                category,
                f"{prefix}{month:%y}-{seed:02d}{n:02d}",
                last,
                f"{what} {month:%m/%Y}",
                amount(low, high),
            )
            n += 1
        month = add_months(month, 1)
    days = (end - start).days
    for what, key, low, high in (
        ("Cursusboeken en werkbladen", "books", 2200, 2800),
        ("Cursusboeken en werkbladen", "books", 2200, 2800),
        ("Zaalhuur extra lesdag", "room", 250, 600),
        ("Vertaling uitnodigingen", "translation", 700, 1100),
        ("Sociaal tolk bij intakegesprekken", "interpreting", 300, 500),
        ("Sociaal tolk bij intakegesprekken", "interpreting", 300, 500),
    ):
        invoice = start + dt.timedelta(days=rng.randint(0, days))
        add(
            key, "other", f"{key[:2].upper()}{invoice:%y}-{seed:02d}{n:02d}", invoice, what, amount(low, high)
        )
        n += 1
    return rows
