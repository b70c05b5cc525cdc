"""Desk verification of a claim — plain Python, no Django. AMIS shows its working: every step that
changes the verified amount is a `Step` the page lists.

- Each expenditure line is decided eligible, ineligible (reason required) or reduced (amount and
  reason): declared = eligible + ineligible + reduction, line by line and in total.
- Category ceilings: the budget of each category of the agreement version in force (after budget
  transfers), plus the agreement's tolerance of that category (the flexibility of the agreement: a
  category may overrun by that share if the total budget holds), counting what earlier reports had
  verified.
- Flat rates are recomputed on the verified base, never taken as declared (Regulation (EU)
  2021/1060 Art. 54; Regulation (EU) No 514/2014 Art. 18).
- The EU share is the verified eligible amount × the agreement's EU co-financing rate, never above
  the maximum grant less the EU share verified in earlier reports (Regulation (EU) 2021/1060
  Art. 74(1)(a); Regulation (EU) No 514/2014 Art. 27).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from amis.core.money import ZERO, cents

ELIGIBLE, INELIGIBLE, REDUCED = "eligible", "ineligible", "reduced"
DECISIONS = (ELIGIBLE, INELIGIBLE, REDUCED)


@dataclass(frozen=True)
class LineDecision:
    category: str
    declared: Decimal
    decision: str = ELIGIBLE
    eligible: Decimal | None = None  # for "reduced": the amount kept
    reason: str = ""


def line_problem(line: LineDecision) -> str | None:
    """Why this decision cannot stand (English; the service translates the codes it shows)."""
    if line.decision not in DECISIONS:
        return "unknown decision"
    if line.decision == INELIGIBLE and not line.reason.strip():
        return "an ineligible line needs its reason"
    if line.decision == REDUCED:
        if not line.reason.strip():
            return "a reduced line needs its reason"
        if line.eligible is None or line.eligible != cents(line.eligible):
            return "a reduced line needs the amount kept, in euro and cents"
        if line.declared >= 0 and not ZERO <= line.eligible < line.declared:
            return "the amount kept is between zero and the amount declared"
        if line.declared < 0 and not line.declared <= line.eligible <= ZERO:
            return "a credit note is kept between its amount and zero"
    return None


def eligible_of(line: LineDecision) -> Decimal:
    if line.decision == ELIGIBLE:
        return line.declared
    if line.decision == INELIGIBLE:
        return ZERO
    return line.eligible if line.eligible is not None else ZERO


@dataclass(frozen=True)
class Step:
    """One line of AMIS's working: what was applied, to which category, and the amount it removed."""

    rule: str
    category: str
    amount: Decimal
    detail: dict[str, str] = field(default_factory=dict)


@dataclass
class ClaimResult:
    declared: Decimal
    eligible_by_decision: Decimal  # after the line decisions
    ineligible: Decimal
    reduced: Decimal
    verified_by_category: dict[str, Decimal]
    verified: Decimal  # after ceilings and the recomputed flat rate
    eu_share: Decimal
    steps: list[Step]


@dataclass(frozen=True)
class AgreementFigures:
    """What the version in force says."""

    budget: Mapping[str, Decimal]  # per category after transfers, `indirect` excluded
    tolerance: Decimal
    eu_rate: Decimal
    max_grant: Decimal
    indirect_rate: Decimal = ZERO
    indirect_base: tuple[str, ...] = ()  # categories the flat rate applies to (all direct if empty)


def verify_claim(
    lines: Iterable[LineDecision],
    agreement: AgreementFigures,
    verified_before: Mapping[str, Decimal] | None = None,
    eu_verified_before: Decimal = ZERO,
) -> ClaimResult:
    """The verified eligible amount and the EU share of one claim, with the working."""
    before = dict(verified_before or {})
    declared = ineligible = reduced = ZERO
    by_category: dict[str, Decimal] = {}
    for line in lines:
        kept = eligible_of(line)
        declared += line.declared
        if line.decision == INELIGIBLE:
            ineligible += line.declared
        elif line.decision == REDUCED:
            reduced += line.declared - kept
        by_category[line.category] = by_category.get(line.category, ZERO) + kept
    eligible_by_decision = declared - ineligible - reduced
    steps: list[Step] = []
    direct_total_budget = sum(agreement.budget.values(), ZERO)
    # 1. category ceilings: budget × (1 + tolerance), cumulative with earlier reports
    for category, amount in sorted(by_category.items()):
        ceiling = cents(agreement.budget.get(category, ZERO) * (1 + agreement.tolerance))
        room = max(ceiling - before.get(category, ZERO), ZERO)
        if amount > room:
            steps.append(
                Step(
                    "category_ceiling",
                    category,
                    amount - room,
                    {"ceiling": str(ceiling), "before": str(before.get(category, ZERO))},
                )
            )
            by_category[category] = room
    # 2. the direct total never above the direct budget (the tolerance moves money, it adds none)
    direct_before = sum((v for k, v in before.items() if k != "indirect"), ZERO)
    direct_now = sum(by_category.values(), ZERO)
    total_room = max(direct_total_budget - direct_before, ZERO)
    if direct_now > total_room:
        excess = direct_now - total_room
        steps.append(Step("total_budget", "", excess, {"budget": str(direct_total_budget)}))
        for category in sorted(by_category, key=lambda c: by_category[c], reverse=True):
            take = min(excess, by_category[category])
            by_category[category] -= take
            excess -= take
            if excess == 0:
                break
    # 3. flat rate recomputed on the verified base
    if agreement.indirect_rate > 0:
        base_categories = set(agreement.indirect_base) or set(by_category)
        base = sum((v for k, v in by_category.items() if k in base_categories), ZERO)
        by_category["indirect"] = cents(base * agreement.indirect_rate)
        steps.append(
            Step("flat_rate", "indirect", ZERO, {"base": str(base), "rate": str(agreement.indirect_rate)})
        )
    verified = sum(by_category.values(), ZERO)
    # 4. EU share: rate, never above what is left of the maximum grant
    eu = cents(verified * agreement.eu_rate)
    left = max(agreement.max_grant - eu_verified_before, ZERO)
    if eu > left:
        steps.append(
            Step(
                "max_grant",
                "",
                eu - left,
                {"max_grant": str(agreement.max_grant), "before": str(eu_verified_before)},
            )
        )
        eu = left
    return ClaimResult(
        declared=declared,
        eligible_by_decision=eligible_by_decision,
        ineligible=ineligible,
        reduced=reduced,
        verified_by_category=by_category,
        verified=verified,
        eu_share=eu,
        steps=steps,
    )
