"""The yearly selection of projects for on-the-spot checks — plain Python, no Django.

Documented and reproducible: a risk score per project from factors and the weights the authority
sets, the riskiest projects first, then a random part drawn with a recorded seed; the same seed and
the same data give the same sample. AMIS computes the coverage against the period's minimums:
2014-2020, financial checks covering at least 10 % of the cumulative EU contribution to projects
closed in the year's accounts, operational checks at least 20 % of the projects under
implementation (Implementing Regulation (EU) 2015/840 Art. 3 and 5); 2021-2027, risk-based, no
fixed share (Regulation (EU) 2021/1060 Art. 74(2)).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from amis.core.money import ZERO

FACTORS = ("size", "beneficiary_type", "history", "earlier_findings", "ineligible_share", "procurement")
FINANCIAL_MINIMUM_2014 = Decimal("0.10")  # 2015/840 Art. 3
OPERATIONAL_MINIMUM_2014 = Decimal("0.20")  # 2015/840 Art. 5(2)


@dataclass(frozen=True)
class Candidate:
    reference: str
    eu_contribution: Decimal
    factors: Mapping[str, Decimal]  # each factor scored 0..1 by the caller
    closed: bool = False  # closed in the year's accounts (financial checks)
    under_implementation: bool = True  # operational checks


@dataclass
class Selection:
    risk_based: list[str]
    random_part: list[str]
    scores: dict[str, Decimal] = field(default_factory=dict)

    @property
    def selected(self) -> list[str]:
        return self.risk_based + self.random_part


def risk_score(candidate: Candidate, weights: Mapping[str, Decimal]) -> Decimal:
    total_weight = sum((weights.get(f, ZERO) for f in FACTORS), ZERO)
    if total_weight == 0:
        return ZERO
    score = sum((weights.get(f, ZERO) * candidate.factors.get(f, ZERO) for f in FACTORS), ZERO)
    return (score / total_weight).quantize(Decimal("0.0001"))


def select(
    candidates: Sequence[Candidate],
    weights: Mapping[str, Decimal],
    risk_count: int,
    random_count: int,
    seed: int,
) -> Selection:
    """The `risk_count` highest scores (ties by reference), then `random_count` drawn from the rest
    with `random.Random(seed)` over the references in sorted order (so the draw does not depend on
    the order the database returned them in)."""
    scores = {c.reference: risk_score(c, weights) for c in candidates}
    ranked = sorted(candidates, key=lambda c: (-scores[c.reference], c.reference))
    risk = [c.reference for c in ranked[:risk_count]]
    rest = sorted(c.reference for c in ranked[risk_count:])
    drawn = random.Random(seed).sample(rest, min(random_count, len(rest)))
    return Selection(risk_based=risk, random_part=sorted(drawn), scores=scores)


@dataclass(frozen=True)
class Coverage:
    financial_share: Decimal | None  # EU contribution of closed projects checked / of all closed
    operational_share: Decimal | None  # projects under implementation checked / all of them
    financial_met: bool
    operational_met: bool


def coverage(candidates: Sequence[Candidate], selected: Sequence[str], period: str) -> Coverage:
    chosen = set(selected)
    closed = [c for c in candidates if c.closed]
    running = [c for c in candidates if c.under_implementation]
    closed_total = sum((c.eu_contribution for c in closed), ZERO)
    financial = (
        (sum((c.eu_contribution for c in closed if c.reference in chosen), ZERO) / closed_total).quantize(
            Decimal("0.0001")
        )
        if closed_total
        else None
    )
    operational = (
        (Decimal(sum(1 for c in running if c.reference in chosen)) / len(running)).quantize(Decimal("0.0001"))
        if running
        else None
    )
    if period != "2014-2020":  # 2021-2027: risk-based, no fixed minimum
        return Coverage(financial, operational, True, True)
    return Coverage(
        financial,
        operational,
        financial is None or financial >= FINANCIAL_MINIMUM_2014,
        operational is None or operational >= OPERATIONAL_MINIMUM_2014,
    )
