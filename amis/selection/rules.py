"""Quality assessment arithmetic and the proposal down the ranking — plain Python.

Each award criterion has a weight (its maximum points, weights add up to 100) and a minimum score.
At least two assessors score every eligible application; when they differ by more than the
threshold on the total or on any criterion, a consolidation step sets the final scores. An
application passes when it reaches the call's pass mark and every criterion's minimum. Passing
applications are proposed down the ranking while the call budget lasts; the others that pass go
on the reserve list (AMIF national programme BE section 6.2: the Monitoring Committee validates
the selection).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from amis.core import messages
from amis.core.messages import gettext as _

MIN_ASSESSORS = 2
DIVERGENCE_POINTS = Decimal("15")  # on the total, out of 100


@dataclass(frozen=True)
class Criterion:
    code: str
    weight: Decimal
    min_score: Decimal


def score_problems(
    criteria: list[Criterion], scores: dict[str, Decimal], justifications: dict[str, str]
) -> dict[str, str]:
    problems: dict[str, str] = {}
    for c in criteria:
        score = scores.get(c.code)
        if score is None:
            problems[c.code] = _("Score every criterion.")
        elif not Decimal("0") <= score <= c.weight:
            problems[c.code] = _("A score for %(criterion)s lies between 0 and %(weight)s.") % {
                "criterion": c.code,
                "weight": messages.figure(c.weight, None),
            }
        elif score != score.quantize(Decimal("0.1")):
            problems[c.code] = _("Scores have at most one decimal.")
        if not (justifications.get(c.code) or "").strip():
            problems.setdefault(
                f"{c.code}.justification", _("Justify the score for %(criterion)s.") % {"criterion": c.code}
            )
    unknown = set(scores) - {c.code for c in criteria}
    for code in sorted(unknown):
        problems[code] = _("The call has no criterion %(criterion)s.") % {"criterion": code}
    return problems


def total(scores: dict[str, Decimal]) -> Decimal:
    return sum(scores.values(), Decimal("0"))


def diverges(a: dict[str, Decimal], b: dict[str, Decimal], criteria: list[Criterion]) -> bool:
    if abs(total(a) - total(b)) > DIVERGENCE_POINTS:
        return True
    return any(
        abs(a.get(c.code, Decimal(0)) - b.get(c.code, Decimal(0))) > c.weight * Decimal("0.3")
        for c in criteria
    )


def needs_consolidation(assessments: list[dict[str, Decimal]], criteria: list[Criterion]) -> bool:
    return any(
        diverges(assessments[i], assessments[j], criteria)
        for i in range(len(assessments))
        for j in range(i + 1, len(assessments))
    )


def final_scores(
    assessments: list[dict[str, Decimal]], consolidated: dict[str, Decimal] | None
) -> dict[str, Decimal]:
    if consolidated is not None:
        return dict(consolidated)
    codes = {code for a in assessments for code in a}
    return {
        code: (sum((a.get(code, Decimal(0)) for a in assessments), Decimal(0)) / len(assessments)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
        for code in sorted(codes)
    }


def passes(scores: dict[str, Decimal], criteria: list[Criterion], pass_mark: Decimal) -> bool:
    return total(scores) >= pass_mark and all(scores.get(c.code, Decimal(0)) >= c.min_score for c in criteria)


@dataclass(frozen=True)
class Ranked:
    reference: str
    score: Decimal
    eu_requested: Decimal
    submitted_at: dt.datetime
    passed: bool


@dataclass(frozen=True)
class Proposal:
    proposed: list[str]
    reserve: list[str]
    not_passed: list[str]
    budget_used: Decimal


def propose(ranked: list[Ranked], budget: Decimal) -> Proposal:
    """Highest score first (earlier submission wins a tie); fund while the budget lasts, then reserve."""
    order = sorted(ranked, key=lambda r: (-r.score, r.submitted_at, r.reference))
    proposed: list[str] = []
    reserve: list[str] = []
    used = Decimal("0.00")
    full = False
    for r in order:
        if not r.passed:
            continue
        if not full and used + r.eu_requested <= budget:
            proposed.append(r.reference)
            used += r.eu_requested
        else:
            full = True
            reserve.append(r.reference)
    return Proposal(proposed, reserve, [r.reference for r in order if not r.passed], used)
