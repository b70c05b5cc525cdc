"""Rules of grant agreements — plain Python, no Django. Each cites its article and its period.

- Eligibility window of expenditure: 2014-2020, incurred and paid between 1 January 2014 and
  30 June 2024 (Regulation (EU) No 514/2014 Art. 17(3), as amended by Regulation (EU) 2022/585);
  2021-2027, between 1 January 2021 and 31 December 2029 (Regulation (EU) 2021/1060 Art. 63(2)).
  An agreement's eligibility period lies inside its programme period's window.
- Simplified cost options: 2021-2027 operations of at most EUR 200,000 total cost take the form of
  unit costs, lump sums or flat rates (Regulation (EU) 2021/1060 Art. 53(2)); 2014-2020 allows them,
  combined across categories (Regulation (EU) No 514/2014 Art. 18).
- Budget transfers between cost categories: within the agreement's tolerance (a share of the
  receiving category's budget, set per call) without an amendment; above it, only by an amendment.
- The financial picture: budget, declared, verified, corrected, paid, recovered and remaining per
  cost category, each total the sum of its categories to the cent. Payments are made to the project,
  not to a category: `allocate_paid` spreads them over the categories pro rata to the EU share of
  the expenditure verified less corrected there, by the largest-remainder method (`largest_remainder`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from amis.core import messages
from amis.core.messages import gettext as _
from amis.core.money import ZERO, cents

PERIOD_2014 = "2014-2020"
PERIOD_2021 = "2021-2027"

# (first day, last day) on which expenditure may be incurred and paid, per programming period
ELIGIBILITY_WINDOW: dict[str, tuple[dt.date, dt.date]] = {
    PERIOD_2014: (dt.date(2014, 1, 1), dt.date(2024, 6, 30)),  # 514/2014 Art. 17(3), 2022/585
    PERIOD_2021: (dt.date(2021, 1, 1), dt.date(2029, 12, 31)),  # 2021/1060 Art. 63(2)
}
ELIGIBILITY_ARTICLE = {
    PERIOD_2014: "Regulation (EU) No 514/2014 Art. 17(3)",
    PERIOD_2021: "Regulation (EU) 2021/1060 Art. 63(2)",
}
SCO_THRESHOLD = Decimal("200000.00")  # 2021/1060 Art. 53(2)


class SimplifiedCostKind:
    UNIT = "unit"
    LUMP_SUM = "lump_sum"
    FLAT_RATE = "flat_rate"
    ALL = ("unit", "lump_sum", "flat_rate")


@dataclass(frozen=True)
class SimplifiedCost:
    """One simplified cost option of an agreement: `code` is how expenditure lines name it.

    unit: `amount` per unit of `unit` (e.g. per participant-day); lump_sum: `amount` once its
    deliverable is reached; flat_rate: `rate` of the categories in `base`."""

    code: str
    kind: str
    category: str
    label: str = ""
    amount: Decimal | None = None
    unit: str = ""
    rate: Decimal | None = None
    base: tuple[str, ...] = ()


@dataclass(frozen=True)
class CalendarEntry:
    number: int
    kind: str  # "interim" or "final"
    period_start: dt.date
    period_end: dt.date
    due_date: dt.date


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
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


def reporting_calendar(
    start: dt.date, end: dt.date, interim_months: int, due_days: int
) -> list[CalendarEntry]:
    """An interim report for every `interim_months` of the eligibility period (none if the project
    is shorter), then the final report on the whole period; each due `due_days` after its period."""
    entries: list[CalendarEntry] = []
    period_start = start
    if interim_months > 0:
        while True:
            period_end = _add_months(period_start, interim_months) - dt.timedelta(days=1)
            if period_end >= end:
                break
            entries.append(
                CalendarEntry(
                    len(entries) + 1,
                    "interim",
                    period_start,
                    period_end,
                    period_end + dt.timedelta(days=due_days),
                )
            )
            period_start = period_end + dt.timedelta(days=1)
    entries.append(CalendarEntry(len(entries) + 1, "final", start, end, end + dt.timedelta(days=due_days)))
    return entries


def eligibility_problem(period: str, start: dt.date, end: dt.date) -> str | None:
    """The agreement's eligibility period must lie inside the programme period's window."""
    window = ELIGIBILITY_WINDOW.get(period)
    if start > end:
        return _("The eligibility period ends before it starts.")
    if window is None:
        return None
    if start < window[0] or end > window[1]:
        return _(
            "Expenditure of %(period)s is eligible between %(first)s and %(last)s (%(article)s); "
            "the agreement's period %(start)s – %(end)s is not inside it."
        ) % {
            "period": period,
            "first": messages.date(window[0]),
            "last": messages.date(window[1]),
            "article": ELIGIBILITY_ARTICLE[period],
            "start": messages.date(start),
            "end": messages.date(end),
        }
    return None


def sco_problem(
    period: str, total_cost: Decimal, categories: Iterable[str], options: Iterable[SimplifiedCost]
) -> str | None:
    """2021-2027: an operation of at most EUR 200,000 total cost is paid on simplified costs only:
    every cost category with a budget must be covered by a unit cost, lump sum or flat rate
    (Regulation (EU) 2021/1060 Art. 53(2))."""
    if period != PERIOD_2021 or total_cost > SCO_THRESHOLD:
        return None
    covered = {o.category for o in options}
    missing = sorted(set(categories) - covered)
    if not missing:
        return None
    return _(
        "An operation of at most %(threshold)s total cost is supported by unit costs, lump sums or flat "
        "rates (Regulation (EU) 2021/1060 Art. 53(2)); no simplified cost option covers: %(categories)s."
    ) % {"threshold": messages.amount(SCO_THRESHOLD), "categories": ", ".join(missing)}


def transfer_problem(
    budget: Mapping[str, Decimal],
    transferred_in: Mapping[str, Decimal],
    transferred_out: Mapping[str, Decimal],
    source: str,
    target: str,
    amount: Decimal,
    tolerance: Decimal,
) -> str | None:
    """May `amount` move from `source` to `target` without an amendment?

    `budget` is the version's budget per category; `transferred_in/out` what earlier transfers under
    the same version already moved. What a category received in all may not exceed `tolerance` of its
    budget in the version; the source keeps a budget of at least zero."""
    if source == target:
        return _("A transfer moves budget between two different cost categories.")
    if amount <= 0 or amount != cents(amount):
        return _("The amount of a transfer is positive, in euro and cents.")
    for category in (source, target):
        if category not in budget:
            return _("The agreement has no cost category '%(category)s'.") % {"category": category}
    available = budget[source] + transferred_in.get(source, ZERO) - transferred_out.get(source, ZERO)
    if amount > available:
        return _("Only %(available)s is left in %(category)s to move.") % {
            "available": messages.amount(available),
            "category": source,
        }
    ceiling = cents(budget[target] * tolerance)
    received = transferred_in.get(target, ZERO) + amount
    if received > ceiling:
        return _(
            "%(category)s may receive at most %(ceiling)s (%(rate)s %% of its budget) without an amendment; "
            "with this transfer it would receive %(received)s. Ask for an amendment instead."
        ) % {
            "category": target,
            "ceiling": messages.amount(ceiling),
            "rate": messages.figure(tolerance * 100, 0),
            "received": messages.amount(received),
        }
    return None


def current_budget(
    budget: Mapping[str, Decimal], transfers: Iterable[tuple[str, str, Decimal]]
) -> dict[str, Decimal]:
    """The version's budget per category after its transfers (source, target, amount); same total."""
    out = dict(budget)
    for source, target, amount in transfers:
        out[source] = out.get(source, ZERO) - amount
        out[target] = out.get(target, ZERO) + amount
    return out


COLUMNS = ("budget", "declared", "verified", "corrected", "paid", "recovered", "remaining")
# the row of pre-financing paid beyond the EU share of what is verified so far: money paid to the
# project that no category has earned yet (it clears as the claims are verified)
UNCLEARED = "prefinancing_uncleared"


@dataclass
class PictureRow:
    """One cost category. Budget, declared, verified and corrected are eligible expenditure (total
    cost, EU and beneficiary's shares together); paid and recovered are EU money, the payments to the
    project and what came back from it, allocated to the category (`allocate_paid`)."""

    category: str
    budget: Decimal = ZERO
    declared: Decimal = ZERO
    verified: Decimal = ZERO
    paid: Decimal = ZERO
    corrected: Decimal = ZERO
    recovered: Decimal = ZERO

    @property
    def remaining(self) -> Decimal:
        """Budget not yet used by verified expenditure: budget − verified + corrected. What is
        declared but not verified yet still counts as remaining (it may be found ineligible), and a
        correction gives its amount back to the category's budget."""
        return self.budget - self.verified + self.corrected


@dataclass
class FinancialPicture:
    """A project's money per cost category; every total is the sum of its rows."""

    rows: list[PictureRow] = field(default_factory=list)

    def total(self, column: str) -> Decimal:
        return sum((getattr(row, column) for row in self.rows), ZERO)

    @property
    def totals(self) -> dict[str, Decimal]:
        return {column: self.total(column) for column in COLUMNS}


def financial_picture(
    budget: Mapping[str, Decimal],
    declared: Mapping[str, Decimal],
    verified: Mapping[str, Decimal] | None = None,
    paid: Mapping[str, Decimal] | None = None,
    corrected: Mapping[str, Decimal] | None = None,
    recovered: Mapping[str, Decimal] | None = None,
) -> FinancialPicture:
    """One row per category of the budget, then one per category declared, verified or corrected
    outside it (so nothing is ever left out of the totals), then the pre-financing not yet cleared
    (`UNCLEARED`) if any was paid or recovered there."""
    verified, paid, corrected, recovered = verified or {}, paid or {}, corrected or {}, recovered or {}
    outside = (set(declared) | set(verified) | set(corrected) | set(paid) | set(recovered)) - set(budget)
    categories = list(budget) + sorted(outside - {UNCLEARED})
    if UNCLEARED in outside:
        categories.append(UNCLEARED)
    return FinancialPicture(
        [
            PictureRow(
                category=c,
                budget=budget.get(c, ZERO),
                declared=declared.get(c, ZERO),
                verified=verified.get(c, ZERO),
                paid=paid.get(c, ZERO),
                corrected=corrected.get(c, ZERO),
                recovered=recovered.get(c, ZERO),
            )
            for c in categories
        ]
    )


def largest_remainder(amount: Decimal, weights: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """`amount` shared out pro rata to `weights` in whole cents, the shares adding up to `amount`
    exactly.

    Why: rounding each share to the cent on its own can leave the parts a cent or more away from
    their total (three equal weights for EUR 100.00 give 33.33 three times: 99.99), and the financial
    picture must reconcile to the cent. The largest-remainder (Hamilton) method gives every key its
    share rounded down to the cent, then hands the cents still missing one each to the keys with the
    largest remainders (ties to the larger weight, then in key order, so the result is the same every
    time). No share moves more than one cent from its exact value. Weights below zero count as zero;
    with no positive weight there is nothing to share pro rata to and every key gets zero (the
    caller shows such an amount apart). A negative amount is shared as its opposite, negated."""
    if amount < 0:
        return {key: -share for key, share in largest_remainder(-amount, weights).items()}
    positive = {key: w for key, w in weights.items() if w > 0}
    out = {key: ZERO for key in weights}
    total_weight = sum(positive.values(), ZERO)
    if not positive or amount == 0:
        return out
    amount_cents = int((cents(amount) * 100).to_integral_value())
    floors: dict[str, int] = {}
    remainders: list[tuple[Decimal, Decimal, str]] = []
    for key, weight in positive.items():
        exact = Decimal(amount_cents) * weight / total_weight
        floor = int(exact)  # exact >= 0, so truncation is the floor
        floors[key] = floor
        remainders.append((exact - floor, weight, key))
    missing = amount_cents - sum(floors.values())
    for _rest, _weight, key in sorted(remainders, key=lambda r: (-r[0], -r[1], r[2]))[:missing]:
        floors[key] += 1
    for key, n in floors.items():
        out[key] = (Decimal(n) / 100).quantize(Decimal("0.01"))
    return out


@dataclass(frozen=True)
class PaidAllocation:
    paid: dict[str, Decimal]
    recovered: dict[str, Decimal]


def allocate_paid(paid: Decimal, recovered: Decimal, eu_earned: Mapping[str, Decimal]) -> PaidAllocation:
    """Paid and recovered per cost category, from the project's totals.

    A payment pays the project, not a category: pre-financing is a share of the grant, an interim
    payment the EU share of all verified expenditure less what was paid. The only honest way to say
    what a category has been paid is pro rata to what it has earned, the EU share of its verified
    expenditure less the EU share of its corrections (`eu_earned`, below zero counted as zero). What
    was paid beyond all that has been earned — pre-financing not yet cleared by verified claims —
    is not invented into categories: it stays in the row `UNCLEARED`. Recoveries take back first
    from that uncleared money (a balance below the pre-financing is recovered from it), the rest pro
    rata like the payments. Shares by `largest_remainder`: each column adds up to its total to the
    cent."""
    paid, recovered = cents(paid), cents(recovered)
    # what the categories have earned, down to the cent (never share out more than was earned)
    earned = sum((w for w in eu_earned.values() if w > 0), ZERO).quantize(Decimal("0.01"), ROUND_DOWN)
    allocated = min(paid, earned) if paid > 0 else paid
    if earned <= 0:
        allocated = ZERO
    paid_rows = largest_remainder(allocated, eu_earned)
    uncleared = paid - allocated
    back_uncleared = min(recovered, uncleared) if uncleared > 0 and recovered > 0 else ZERO
    rest = recovered - back_uncleared
    if earned <= 0:
        back_uncleared, rest = recovered, ZERO
    recovered_rows = largest_remainder(rest, eu_earned)
    if uncleared:
        paid_rows[UNCLEARED] = uncleared
    if back_uncleared:
        recovered_rows[UNCLEARED] = back_uncleared
        paid_rows.setdefault(UNCLEARED, ZERO)
    return PaidAllocation(paid_rows, recovered_rows)


# ---------------------------------------------------------------------------------------------------
# Amendments: what changes between two versions, and the grant a changed budget gives.


@dataclass(frozen=True)
class TermChange:
    """One term whose value differs between two versions (values as the terms store them)."""

    key: str
    old: object
    new: object


@dataclass(frozen=True)
class BudgetChange:
    """One cost category and year of two versions' budgets (direct costs)."""

    category: str
    year: int
    old: Decimal
    new: Decimal

    @property
    def difference(self) -> Decimal:
        return self.new - self.old

    @property
    def changed(self) -> bool:
        return self.new != self.old


@dataclass(frozen=True)
class TermsDiff:
    changes: list[TermChange]
    budget: list[BudgetChange]

    @property
    def changed(self) -> bool:
        return bool(self.changes) or any(row.changed for row in self.budget)

    def budget_total(self, column: str) -> Decimal:
        return sum((getattr(row, column) for row in self.budget), ZERO)


def _budget_map(terms: Mapping[str, object]) -> dict[tuple[str, int], Decimal]:
    out: dict[tuple[str, int], Decimal] = {}
    lines = terms.get("budget") or []
    for line in lines if isinstance(lines, list) else []:
        key = (str(line["category"]), int(line["year"]))
        out[key] = out.get(key, ZERO) + Decimal(str(line["amount"]))
    return out


def terms_diff(old: Mapping[str, object], new: Mapping[str, object]) -> TermsDiff:
    """Every term of `new` that differs from `old` (a term missing on one side counts as changed),
    and the budget per category and year on both sides with the difference: the side-by-side view
    of an amendment (the budget is compared as amounts, so "100" and "100.00" are the same)."""
    changes = [
        TermChange(key, old.get(key), new.get(key))
        for key in sorted(set(old) | set(new))
        if key != "budget" and old.get(key) != new.get(key)
    ]
    before, after = _budget_map(old), _budget_map(new)
    budget = [
        BudgetChange(category, year, before.get((category, year), ZERO), after.get((category, year), ZERO))
        for category, year in sorted(set(before) | set(after))
    ]
    return TermsDiff(changes, budget)


@dataclass(frozen=True)
class GrantFigures:
    direct: Decimal
    indirect: Decimal
    total_cost: Decimal
    max_grant: Decimal

    def increase_over(self, ceiling: Decimal) -> Decimal:
        """How much the grant rises above `ceiling` (zero when it does not)."""
        return max(self.max_grant - ceiling, ZERO)


def grant_figures(direct: Iterable[Decimal], indirect_rate: Decimal, eu_rate: Decimal) -> GrantFigures:
    """A budget's total cost (direct costs plus the flat rate of indirect costs, Regulation (EU)
    2021/1060 Art. 54 / 514/2014 Art. 18) and the maximum grant at the agreement's EU co-financing
    rate, each to the cent: an amended budget keeps the rate of the agreement."""
    direct_total = sum(direct, ZERO)
    indirect = cents(direct_total * indirect_rate)
    total = direct_total + indirect
    return GrantFigures(direct_total, indirect, total, cents(total * eu_rate))


def simplified_cost_problem(option: Mapping[str, object], existing_codes: Iterable[str]) -> str | None:
    """A simplified cost option as an agreement lists it: a new code, a known kind, a category, an
    amount (unit cost, lump sum) or a rate (flat rate) above zero."""
    code = str(option.get("code") or "").strip()
    if not code:
        return _("Give the simplified cost option a code.")
    if code in set(existing_codes):
        return _("The agreement already has a simplified cost option %(code)s.") % {"code": code}
    kind = option.get("kind")
    if kind not in SimplifiedCostKind.ALL:
        return _("Choose a unit cost, a lump sum or a flat rate.")
    if not str(option.get("category") or "").strip():
        return _("Name the cost category the option covers.")
    if kind == SimplifiedCostKind.FLAT_RATE:
        rate = option.get("rate")
        if not isinstance(rate, Decimal) or not ZERO < rate <= 1:
            return _("A flat rate is a percentage above 0 and at most 100.")
    else:
        amount = option.get("amount")
        if not isinstance(amount, Decimal) or amount <= 0 or amount != cents(amount):
            return _("A unit cost or lump sum is an amount above zero, in euro and cents.")
        if kind == SimplifiedCostKind.UNIT and not str(option.get("unit") or "").strip():
            return _("Say per what unit the unit cost is paid (e.g. participant-day).")
    return None
