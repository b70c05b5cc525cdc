"""Rules for an application's budget, co-financing plan, dates and deadline — plain Python, no Django.

- Co-financing: the EU contribution may not exceed the call's maximum rate of the eligible cost
  (75 %; up to 90 % for specific actions — Regulation (EU) No 514/2014 Art. 16; Regulation (EU)
  2021/1147 Art. 15), nor the call's maximum grant, nor fall below its minimum grant.
- The co-financing plan's parts add up to the total cost, to the cent (no funding gap, no profit:
  Regulation (EU, Euratom) 2018/1046 Art. 192).
- Indirect costs are a flat rate of direct costs, at most 7 % (Regulation (EU) 2021/1060 Art. 54(a)),
  computed by AMIS, never typed in.
- Activities and budget years lie inside the call's eligible period; the deadline is enforced by the
  server to the second.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
INDIRECT_RATE_CEILING = Decimal("0.07")
COST_CATEGORIES = ("staff", "travel", "equipment", "consumables", "subcontracting", "other")
FUNDING_SOURCES = ("eu", "national_public", "own", "other")


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CallTerms:
    max_eu_rate: Decimal
    min_grant: Decimal | None
    max_grant: Decimal | None
    eligible_start: dt.date
    eligible_end: dt.date
    indirect_rate_max: Decimal = INDIRECT_RATE_CEILING


@dataclass(frozen=True)
class BudgetLine:
    category: str
    year: int
    amount: Decimal
    description: str = ""


@dataclass(frozen=True)
class Activity:
    name: str
    start: dt.date | None
    end: dt.date | None


@dataclass(frozen=True)
class Budget:
    lines: list[BudgetLine]
    indirect_rate: Decimal
    funding: dict[str, Decimal]

    @property
    def direct_costs(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def indirect_costs(self) -> Decimal:
        return cents(self.direct_costs * self.indirect_rate)

    @property
    def total_cost(self) -> Decimal:
        return self.direct_costs + self.indirect_costs

    @property
    def funding_total(self) -> Decimal:
        return sum(self.funding.values(), ZERO)

    @property
    def eu_contribution(self) -> Decimal:
        return self.funding.get("eu", ZERO)

    def per_category(self) -> dict[str, Decimal]:
        out = {c: ZERO for c in COST_CATEGORIES}
        for line in self.lines:
            out[line.category] = out.get(line.category, ZERO) + line.amount
        return out

    def per_year(self) -> dict[int, Decimal]:
        out: dict[int, Decimal] = {}
        for line in self.lines:
            out[line.year] = out.get(line.year, ZERO) + line.amount
        return dict(sorted(out.items()))


@dataclass
class Problems:
    """Field -> message. Empty means the rule set passed."""

    by_field: dict[str, str] = field(default_factory=dict)

    def add(self, where: str, message: str) -> None:
        self.by_field.setdefault(where, message)

    def __bool__(self) -> bool:
        return bool(self.by_field)


def amount_problem(value: Decimal) -> str | None:
    if value < 0:
        return "An amount cannot be negative."
    if value != value.quantize(CENT):
        return "Amounts have at most two decimals (cents)."
    return None


def check_budget(budget: Budget, terms: CallTerms, problems: Problems) -> None:
    """Rules that hold for a draft too: every amount is well formed."""
    for index, line in enumerate(budget.lines):
        problem = amount_problem(line.amount)
        if problem:
            problems.add(f"budget.{index}.amount", problem)
        if line.category not in COST_CATEGORIES:
            problems.add(f"budget.{index}.category", f"Unknown cost category '{line.category}'.")
    for source, amount in budget.funding.items():
        if source not in FUNDING_SOURCES:
            problems.add(f"funding.{source}", f"Unknown funding source '{source}'.")
        problem = amount_problem(amount)
        if problem:
            problems.add(f"funding.{source}", problem)
    if budget.indirect_rate < 0 or budget.indirect_rate > terms.indirect_rate_max:
        problems.add(
            "indirect_rate",
            f"The flat rate for indirect costs is at most {terms.indirect_rate_max * 100:.0f} % of direct "
            "costs (Regulation (EU) 2021/1060 Art. 54(a)).",
        )


def check_for_submission(
    budget: Budget, terms: CallTerms, activities: list[Activity], start: dt.date | None, end: dt.date | None
) -> Problems:
    """Everything a submitted application must satisfy (a draft may still break these)."""
    problems = Problems()
    check_budget(budget, terms, problems)
    if not budget.lines:
        problems.add("budget", "The budget has no lines.")
    if budget.funding_total != budget.total_cost:
        problems.add(
            "funding",
            f"The co-financing plan adds up to {budget.funding_total:,.2f} but the total cost is "
            f"{budget.total_cost:,.2f}; the parts must equal the total to the cent.",
        )
    eu = budget.eu_contribution
    if budget.total_cost > 0 and eu > cents(budget.total_cost * terms.max_eu_rate):
        problems.add(
            "funding.eu",
            f"The EU contribution is {eu / budget.total_cost * 100:.2f} % of the total cost; "
            f"this call allows at most {terms.max_eu_rate * 100:.0f} %.",
        )
    if terms.max_grant is not None and eu > terms.max_grant:
        problems.add(
            "funding.eu", f"The EU contribution exceeds the call's maximum grant of {terms.max_grant:,.2f}."
        )
    if terms.min_grant is not None and eu < terms.min_grant:
        problems.add(
            "funding.eu", f"The EU contribution is below the call's minimum grant of {terms.min_grant:,.2f}."
        )
    _check_period(problems, "start", "end", start, end, terms)
    for index, activity in enumerate(activities):
        _check_period(
            problems,
            f"activities.{index}.start",
            f"activities.{index}.end",
            activity.start,
            activity.end,
            terms,
        )
    for index, line in enumerate(budget.lines):
        if not terms.eligible_start.year <= line.year <= terms.eligible_end.year:
            problems.add(f"budget.{index}.year", f"{line.year} is outside the call's eligible period.")
    return problems


def _check_period(
    problems: Problems,
    start_key: str,
    end_key: str,
    start: dt.date | None,
    end: dt.date | None,
    terms: CallTerms,
) -> None:
    if start is None:
        problems.add(start_key, "A start date is required.")
    if end is None:
        problems.add(end_key, "An end date is required.")
    if start is None or end is None:
        return
    if end < start:
        problems.add(end_key, "The end date is before the start date.")
    if start < terms.eligible_start or end > terms.eligible_end:
        problems.add(
            start_key,
            f"The dates must lie within the call's eligible period, {terms.eligible_start:%d/%m/%Y} to "
            f"{terms.eligible_end:%d/%m/%Y}.",
        )


def deadline_problem(now: dt.datetime, opens_at: dt.datetime, closes_at: dt.datetime) -> str | None:
    """Submissions count from `opens_at` up to and including the second of `closes_at`."""
    if now < opens_at:
        return f"The call opens on {opens_at:%d/%m/%Y %H:%M:%S}."
    if now.replace(microsecond=0) > closes_at:
        return f"The call closed on {closes_at:%d/%m/%Y %H:%M:%S}; submissions are no longer accepted."
    return None
