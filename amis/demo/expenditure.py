"""The expenditure of the demo's reports as the beneficiaries' bookkeepers fill the expenditure template:
realistic lines (payroll per month, tickets, laptops, books, rooms, catering, translation, a credit note)
from suppliers with valid Belgian enterprise numbers, seeded so every demo has the same lines."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from decimal import Decimal

from amis.core.money import cents
from amis.reporting import rules as reporting_rules

# The columns of the expenditure template (one per field of an expenditure line), in its order.
TEMPLATE_COLUMNS = (
    "category",
    "cost_type",
    "supplier_name",
    "supplier_number",
    "invoice_number",
    "invoice_date",
    "payment_date",
    "description",
    "amount_excl_vat",
    "amount_incl_vat",
    "vat_recoverable",
    "amount_declared",
    "units",
    "simplified_cost",
    "credit_note_for",
    "document_name",
)


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month `months` after (negative: before) `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def enterprise_number(base: int) -> str:
    """A Belgian enterprise number from its first eight digits (the first 0 or 1): the last two are
    97 minus the first eight modulo 97, as the Crossroads Bank for Enterprises computes them."""
    check = 97 - base % 97
    digits = f"{base:08d}{check:02d}"
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


# Suppliers of the Mechelen project: (name, first eight digits of the enterprise number, VAT rate)
SUPPLIERS = {
    "payroll": ("Sociaal Secretariaat Flandria vzw", 4123456, Decimal("0")),
    "rail": ("Pendeldienst Rupel bv", 4234511, Decimal("0.06")),
    "taxi": ("Taxi Dijlestad bv", 7512345, Decimal("0.06")),
    "it": ("IT-Partners Mechelen bv", 8123467, Decimal("0.21")),
    "print": ("Drukkerij Van Damme bv", 4456723, Decimal("0.21")),
    "books": ("Uitgeverij Taalkompas nv", 4567819, Decimal("0.06")),
    "room": ("Zaalverhuur Het Pand vzw", 8234561, Decimal("0.21")),
    "catering": ("Broodjesbar De Kaai", 6612347, Decimal("0.06")),
    "translation": ("Vertaalbureau Babel bv", 8345672, Decimal("0.21")),
    "interpreting": ("Sociaal Tolken Vlaanderen vzw", 4678921, Decimal("0")),
    "childcare": ("Kinderopvang De Speelvogel vzw", 8456783, Decimal("0")),
    "insurance": ("Verzekeringen Lier cv", 4789034, Decimal("0.00")),
}


# --- the expenditure of interim report 1 --------------------------------------------------------------


def expenditure_rows(period_start: dt.date, period_end: dt.date, seed: int = 14) -> list[dict[str, str]]:
    """About 200 expenditure lines of the Mechelen project's first six months, as the beneficiary's
    bookkeeper fills the template: payroll per month and person, train tickets and taxis, laptops,
    course books, rooms, catering, translation, interpreters, childcare, one credit note.
    Deterministic (seeded), so every demo has the same lines."""
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []
    days = (period_end - period_start).days

    def day_in(first: dt.date, last: dt.date) -> dt.date:
        return first + dt.timedelta(days=rng.randint(0, max((last - first).days, 0)))

    def add(
        key: str,
        category: str,
        number: str,
        invoice: dt.date,
        description: str,
        excl: Decimal,
        *,
        recoverable: bool = False,
        credit_for: str = "",
    ) -> None:
        name, base, vat = SUPPLIERS[key]
        incl = cents(excl * (1 + vat))
        declared = excl if recoverable else incl
        payment = min(invoice + dt.timedelta(days=rng.randint(3, 30)), period_end)
        rows.append(
            {
                "category": category,
                "cost_type": reporting_rules.REAL,
                "supplier_name": name,
                "supplier_number": f"BE {enterprise_number(base)}",
                "invoice_number": number,
                "invoice_date": invoice.isoformat(),
                "payment_date": payment.isoformat(),
                "description": description,
                "amount_excl_vat": str(excl),
                "amount_incl_vat": str(incl),
                "vat_recoverable": "ja" if recoverable else "nee",
                "amount_declared": str(declared),
                "units": "",
                "simplified_cost": "",
                "credit_note_for": credit_for,
                "document_name": f"{number.replace('/', '-')}.pdf",
            }
        )

    # staff: three people, one payroll statement each per month
    people = (
        ("trajectbegeleider Yasmina Bouzid", Decimal("3412.56")),
        ("taalcoach Jeroen Verlinden", Decimal("3188.20")),
        ("jobcoach Ahmad Rahimi (80 %)", Decimal("2604.75")),
    )
    month = period_start
    counter = 1
    while month <= period_end:
        last = min(add_months(month, 1) - dt.timedelta(days=1), period_end)
        for who, gross in people:
            add(
                "payroll",
                "staff",
                f"SSF/{month.year}/{counter:05d}",
                last,
                f"Loonkost {month.strftime('%m/%Y')}: {who}",
                gross + Decimal(rng.randint(0, 4000)) / 100,
            )
            counter += 1
        month = add_months(month, 1)
    # travel: train tickets and taxis to employers and participants
    for n in range(70):
        key = "rail" if n % 5 else "taxi"
        invoice = period_start + dt.timedelta(days=rng.randint(0, days))
        amount = Decimal(rng.randint(450, 2600) if key == "rail" else rng.randint(1800, 6400)) / 100
        where = rng.choice(["Mechelen–Antwerpen", "Mechelen–Brussel", "Mechelen–Leuven", "Lier–Mechelen"])
        add(
            key,
            "travel",
            f"{'PR' if key == 'rail' else 'TD'}-{invoice.year}-{1000 + n}",
            invoice,
            f"{'Treinticket' if key == 'rail' else 'Taxirit'} {where}, bezoek werkgever",
            amount,
        )
    # equipment: laptops and a projector (VAT not recoverable for the NGO)
    for n, (what, amount) in enumerate(
        (
            ("Laptops voor taallessen (4 stuks)", Decimal("3196.00")),
            ("Beamer en projectiescherm", Decimal("1240.00")),
            ("Headsets voor luistertoetsen (12 stuks)", Decimal("538.80")),
        )
    ):
        add(
            "it",
            "equipment",
            f"ITM-{period_start.year}-{301 + n}",
            day_in(period_start, period_end),
            what,
            amount,
        )
    # other costs: books, printing, rooms, catering, translation, interpreting, childcare, insurance
    others = (
        ("books", "BK", "Cursusboeken 'Nederlands op de werkvloer'", 90, 460),
        ("print", "DVD", "Drukwerk: werkboekjes en affiches", 60, 320),
        ("room", "HP", "Zaalhuur lesdag", 120, 260),
        ("catering", "DK", "Broodjeslunch deelnemers", 45, 180),
        ("translation", "VB", "Vertaling brochure naar het Arabisch en Dari", 120, 440),
        ("interpreting", "STV", "Sociaal tolk bij intakegesprek", 60, 150),
        ("childcare", "SV", "Kinderopvang tijdens de les", 35, 120),
    )
    for n in range(118):
        key, prefix, what, low, high = others[n % len(others)]
        invoice = period_start + dt.timedelta(days=rng.randint(0, days))
        amount = Decimal(rng.randint(low * 100, high * 100)) / 100
        add(key, "other", f"{prefix}{invoice.strftime('%y')}-{2000 + n}", invoice, what, amount)
    add(
        "insurance",
        "other",
        f"VL-{period_start.year}-0042",
        period_start + dt.timedelta(days=3),
        "Verzekering burgerlijke aansprakelijkheid deelnemers",
        Decimal("612.00"),
    )
    # a credit note: the printer refunds a misprinted batch
    first_print = next(r for r in rows if r["supplier_name"] == SUPPLIERS["print"][0])
    add(
        "print",
        "other",
        f"CN-{period_start.year}-007",
        dt.date.fromisoformat(first_print["invoice_date"]),
        "Creditnota: foutief gedrukte werkboekjes",
        -Decimal("48.40"),
        credit_for=first_print["invoice_number"],
    )
    return rows


def template_csv(rows: list[dict[str, str]]) -> bytes:
    """The rows as a CSV file in the template's columns (UTF-8 with BOM, semicolons, as Excel writes
    it in Belgium)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=TEMPLATE_COLUMNS, delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode()
