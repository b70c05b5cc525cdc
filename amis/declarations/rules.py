"""The plain rules of what the authority declares to the Commission (no Django): the financial or
accounting year of each period, which articles the payment applications and the accounts follow,
the accounts' arithmetic and its reconciliation with the payment applications, and the
decommitment risk (Reg. (EU) No 514/2014 Art. 50; Reg. (EU) 2021/1060 Art. 105).

A year is named by the calendar year in which it ends: financial year 2019 of 2014-2020 runs from
16 October 2018 to 15 October 2019; accounting year 2023 of 2021-2027 runs from 1 July 2022 to
30 June 2023.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from amis.core.money import ZERO, cents


@dataclass(frozen=True)
class PeriodRules:
    code: str
    # (month, day) of the first day of the year ending in year N (the start lies in N-1)
    year_start: tuple[int, int]
    year_end: tuple[int, int]
    year_article: str
    application_article: str
    prefinancing_article: str
    accounts_article: str
    accounts_template: str
    # the accounts are due by (month, day) of N+1, extendable to (month, day)
    accounts_due: tuple[int, int]
    accounts_due_extended: tuple[int, int]
    # the last financial or accounting year of the period (the final accounts)
    last_year: int
    decommitment_article: str
    # years after the commitment year by which it must be covered, and the day in that year
    decommitment_years: int
    decommitment_day: tuple[int, int]
    # the first commitment year spread in equal shares over the later years (2014-2020 only)
    spread_year: int | None = None
    spread_over: tuple[int, ...] = ()
    spread_article: str = ""
    # commitment years whose open part is decommitted only at closure, and the article
    at_closure: tuple[int, ...] = ()
    closure_article: str = ""


PERIODS: dict[str, PeriodRules] = {
    "2014-2020": PeriodRules(
        code="2014-2020",
        year_start=(10, 16),
        year_end=(10, 15),
        year_article="Reg. (EU, Euratom) No 966/2012 Art. 60(5); Reg. (EU) No 514/2014 Art. 39",
        application_article="Reg. (EU) No 514/2014 Art. 44 (request for payment of the annual balance)",
        prefinancing_article="Reg. (EU) No 514/2014 Art. 35",
        accounts_article="Reg. (EU) No 514/2014 Art. 39 and 44; Implementing Reg. (EU) 2015/378",
        accounts_template="Implementing Reg. (EU) 2015/378 (annual accounts)",
        accounts_due=(2, 15),
        accounts_due_extended=(3, 1),
        # expenditure paid by 30 June 2024 (Art. 17(3) as amended by Reg. (EU) 2022/585): FY 2024
        last_year=2024,
        decommitment_article="Reg. (EU) No 514/2014 Art. 50(1) as amended by Reg. (EU) 2020/1543",
        decommitment_years=2,
        decommitment_day=(2, 15),
        spread_year=2014,
        spread_over=(2015, 2016, 2017, 2018, 2019, 2020),
        spread_article="Reg. (EU) No 514/2014 Art. 50(1) as amended: 2014 in sixths over 2015-2020",
        at_closure=(2019, 2020),
        closure_article="Reg. (EU) No 514/2014 Art. 50(4) as amended by Reg. (EU) 2022/585",
    ),
    "2021-2027": PeriodRules(
        code="2021-2027",
        year_start=(7, 1),
        year_end=(6, 30),
        year_article="Reg. (EU) 2021/1060 Art. 2(29)",
        application_article="Reg. (EU) 2021/1060 Art. 91-92, Annex XXIII",
        prefinancing_article="Reg. (EU) 2021/1060 Art. 90; Reg. (EU) 2021/1147 Art. 14",
        accounts_article="Reg. (EU) 2021/1060 Art. 98, Annex XXIV",
        accounts_template="Reg. (EU) 2021/1060 Annex XXIV",
        accounts_due=(2, 15),
        accounts_due_extended=(3, 1),
        # expenditure paid by 31 December 2029 (CPR Art. 63(2)): the accounting year ending 30 June 2030
        last_year=2030,
        decommitment_article="Reg. (EU) 2021/1060 Art. 105(1)",
        decommitment_years=3,
        decommitment_day=(12, 31),
        # the 2027 commitment is covered by the end of the period: 31 December 2029 (Art. 105(2))
        at_closure=(2027,),
        closure_article="Reg. (EU) 2021/1060 Art. 105(2): open on 31 December 2029",
    ),
}


def period_rules(period: str) -> PeriodRules:
    try:
        return PERIODS[period]
    except KeyError:
        raise ValueError(f"No declaration rules for the period {period}.") from None


FIRST_YEAR = {"2014-2020": 2014, "2021-2027": 2021}


def year_in_period(period: str, year: int) -> bool:
    """Whether `year` names a financial or accounting year of the period (the first one begins in
    the period's first year, the last is the one of the final accounts)."""
    return period in PERIODS and FIRST_YEAR[period] < year <= PERIODS[period].last_year


def year_bounds(period: str, year: int) -> tuple[dt.date, dt.date]:
    """First and last day of the financial (2014-2020) or accounting (2021-2027) year ending in `year`."""
    rules = period_rules(period)
    return dt.date(year - 1, *rules.year_start), dt.date(year, *rules.year_end)


def year_of(period: str, day: dt.date) -> int:
    """The year (named by its last calendar year) a day belongs to."""
    rules = period_rules(period)
    return day.year + 1 if (day.month, day.day) >= rules.year_start else day.year


def year_label(period: str, year: int) -> str:
    start, end = year_bounds(period, year)
    return f"{start.isoformat()} – {end.isoformat()}"


def accounts_due(period: str, year: int) -> tuple[dt.date, dt.date]:
    """The accounts of `year` are due by 15 February of the next year, extendable to 1 March."""
    rules = period_rules(period)
    return dt.date(year + 1, *rules.accounts_due), dt.date(year + 1, *rules.accounts_due_extended)


# -- amounts ----------------------------------------------------------------------------------------

COLUMNS = ("eligible", "public", "eu")


@dataclass
class Amounts:
    """Total eligible expenditure, public contribution and EU amount, to the cent."""

    eligible: Decimal = ZERO
    public: Decimal = ZERO
    eu: Decimal = ZERO

    def __add__(self, other: Amounts) -> Amounts:
        return Amounts(self.eligible + other.eligible, self.public + other.public, self.eu + other.eu)

    def __sub__(self, other: Amounts) -> Amounts:
        return Amounts(self.eligible - other.eligible, self.public - other.public, self.eu - other.eu)

    def as_dict(self) -> dict[str, str]:
        return {c: str(cents(getattr(self, c))) for c in COLUMNS}

    @classmethod
    def from_dict(cls, data: Mapping[str, str]) -> Amounts:
        return cls(*(Decimal(str(data.get(c, "0"))) for c in COLUMNS))


def total(values: Iterable[Amounts]) -> Amounts:
    out = Amounts()
    for value in values:
        out = out + value
    return out


@dataclass(frozen=True)
class Movement:
    """One figure behind the accounts of a specific objective: an item declared in a payment
    application, an item held back from the accounts, a correction (withdrawal) or a recovery."""

    kind: str  # declared | held_back | corrected | recovered
    specific_objective: str
    amounts: Amounts
    ref: str = ""  # what it comes from: item, correction or receipt, for the reader
    explanation: str = ""


KINDS = ("declared", "held_back", "corrected", "recovered")
DIFFERENCE_KINDS = ("held_back", "corrected", "recovered")


@dataclass
class ObjectiveAccounts:
    specific_objective: str
    declared: Amounts = field(default_factory=Amounts)  # in the year's payment applications
    held_back: Amounts = field(default_factory=Amounts)  # declared, kept out of the accounts
    corrected: Amounts = field(default_factory=Amounts)  # withdrawn after a correction
    recovered: Amounts = field(default_factory=Amounts)  # recovered from beneficiaries

    @property
    def in_accounts(self) -> Amounts:
        """Expenditure entered into the accounts before withdrawals and recoveries."""
        return self.declared - self.held_back

    @property
    def net(self) -> Amounts:
        """The accounts' figure: declared less held back, corrections and recoveries."""
        return self.declared - self.held_back - self.corrected - self.recovered

    @property
    def difference(self) -> Amounts:
        """Declared in the payment applications less the accounts, every part explained."""
        return self.declared - self.net


def accounts(movements: Iterable[Movement]) -> dict[str, ObjectiveAccounts]:
    """Per specific objective (sorted by code), the movements summed by kind."""
    out: dict[str, ObjectiveAccounts] = {}
    for m in movements:
        if m.kind not in KINDS:
            raise ValueError(f"Unknown movement {m.kind}.")
        row = out.setdefault(m.specific_objective, ObjectiveAccounts(m.specific_objective))
        setattr(row, m.kind, getattr(row, m.kind) + m.amounts)
    return dict(sorted(out.items()))


def paid_parts(
    claims: Iterable[tuple[Decimal, bool]], paid: Decimal, declared: Decimal
) -> list[Decimal | None]:
    """2014-2020, one project: the EU amount the responsible authority paid for each claim not yet
    declared, given in the order the claims were verified as (EU share verified, settled: the
    claim is the final report and its balance is paid), with what the authority has paid the
    beneficiary (`paid`) and what earlier items already declare (`declared`). A claim the money
    left covers is declared in full; a settled claim gets what is left (nothing more will be paid);
    any other claim waits (None), and so do the claims after it."""
    available = paid - declared
    out: list[Decimal | None] = []
    waiting = False
    for eu, settled in claims:
        if not waiting and eu >= 0 and available >= eu:
            out.append(eu)
            available -= eu
        elif not waiting and settled and available > 0:
            out.append(available)
            available = ZERO
        else:
            out.append(None)
            waiting = True
    return out


def expenditure_for(eu: Decimal, declared: Amounts) -> Decimal:
    """The eligible expenditure an EU amount stands for, at the rate of what the project declared
    (its items' eligible over EU amounts), to the cent and never above what was declared: a
    recovery is an EU amount, and the accounts withdraw the expenditure behind it as well."""
    if eu <= 0 or declared.eu <= 0:
        return ZERO
    return min(cents(eu * declared.eligible / declared.eu), cents(declared.eligible))


def recovered_beyond_corrections(receipts: Iterable[tuple[Decimal, Decimal]]) -> list[Decimal]:
    """What each receipt of a recovery takes out of the accounts, given in date order as (amount
    received, EU amount already withdrawn by corrections of the same finding by that date): the
    money recovered first makes good what a correction already withdrew (the same expenditure is
    not taken out twice), only the rest is a recovery of the accounts. Never negative nor above
    the receipt."""
    out: list[Decimal] = []
    received = counted = ZERO
    for amount, corrected in receipts:
        received += amount
        now = max(ZERO, min(amount, max(ZERO, received - corrected) - counted))
        counted += now
        out.append(now)
    return out


# -- decommitment -----------------------------------------------------------------------------------

OK, WARNING, LATE, AT_CLOSURE = "ok", "warning", "decommitted", "at_closure"


@dataclass(frozen=True)
class DecommitmentYear:
    year: int
    commitment: Decimal  # the plan's commitment of the year, with the spread of the first year
    to_cover: Decimal  # cumulated commitments that must be covered by the deadline
    deadline: dt.date | None  # None: covered at closure
    covered: Decimal  # pre-financing and payment applications up to the deadline (or today)
    gap: Decimal
    level: str
    article: str


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = [
        31,
        29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ]
    return dt.date(year, month, min(day.day, last[month - 1]))


def spread(period: str, commitments_by_year: Mapping[int, Decimal]) -> dict[int, Decimal]:
    """The commitments per year after spreading the first one (2014-2020: the 2014 commitment in
    sixths over 2015-2020, the last sixth taking the cents left over)."""
    rules = period_rules(period)
    out = {int(y): Decimal(v) for y, v in commitments_by_year.items()}
    if rules.spread_year is None or rules.spread_year not in out or not rules.spread_over:
        return dict(sorted(out.items()))
    first = out.pop(rules.spread_year)
    share = cents(first / len(rules.spread_over))
    given = ZERO
    for i, year in enumerate(rules.spread_over):
        part = share if i < len(rules.spread_over) - 1 else first - given
        out[year] = out.get(year, ZERO) + part
        given += part
    return dict(sorted(out.items()))


def deadline(period: str, year: int) -> dt.date | None:
    rules = period_rules(period)
    if year in rules.at_closure:
        return None
    return dt.date(year + rules.decommitment_years, *rules.decommitment_day)


def decommitment(
    period: str,
    commitments_by_year: Mapping[int, Decimal],
    covered_by_date: Mapping[dt.date, Decimal],
    today: dt.date,
    warn_months: int = 6,
) -> list[DecommitmentYear]:
    """Per commitment year: what must be covered (the commitments cumulated up to that year, the
    first year spread where the period says so), by which date, how much pre-financing received
    and payment applications submitted cover by then (or by today, if the date is still ahead),
    the gap, and the level: `decommitted` once the date passed with a gap, `warning` when the date
    is within `warn_months` months with a gap, `at_closure` for the years settled at closure,
    else `ok`. The test is cumulative, as the Commission computes it (N+2: 514/2014 Art. 50(1);
    N+3: 2021/1060 Art. 105(1))."""
    rules = period_rules(period)
    events = sorted((d, Decimal(a)) for d, a in covered_by_date.items())
    out: list[DecommitmentYear] = []
    cumulated = ZERO
    for year, commitment in spread(period, commitments_by_year).items():
        cumulated += commitment
        due = deadline(period, year)
        until = today if due is None else min(due, today)
        covered = sum((a for d, a in events if d <= until), ZERO)
        gap = max(ZERO, cumulated - covered)
        if due is None:
            level, article = AT_CLOSURE, rules.closure_article
        else:
            article = rules.decommitment_article
            if gap == 0:
                level = OK
            elif due < today:
                level = LATE
            elif due <= _add_months(today, warn_months):
                level = WARNING
            else:
                level = OK
        out.append(DecommitmentYear(year, commitment, cumulated, due, covered, gap, level, article))
    return out


# -- public contribution ----------------------------------------------------------------------------

# Beneficiaries whose own contribution is public money: the whole eligible expenditure is public.
PUBLIC_BODIES = frozenset(
    {"state_authority", "local_public_body", "responsible_authority", "delegated_authority"}
)


def public_contribution(
    eligible: Decimal, eu: Decimal, beneficiary_kind: str, funding: Mapping[str, object] | None = None
) -> Decimal:
    """The public contribution of verified expenditure: the whole of it when the beneficiary is a
    public body (its own share is public money); otherwise the EU amount plus the national public
    co-financing, as the share of the application's co-financing plan (`national_public` over the
    plan's total) applied to the eligible expenditure, to the cent and never above it."""
    if beneficiary_kind in PUBLIC_BODIES:
        return cents(eligible)
    plan = {k: Decimal(str(v)) for k, v in (funding or {}).items() if v not in (None, "")}
    whole = sum(plan.values(), ZERO)
    national = plan.get("national_public", ZERO)
    extra = cents(eligible * national / whole) if whole > 0 and national > 0 else ZERO
    return min(cents(eligible), cents(eu + extra))
