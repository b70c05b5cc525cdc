"""A year's several samples combined into the figures of the annual control report.

An audit authority may draw more than one sample for a programme's accounting year: strata sampled
separately, a complementary sample of expenditure the first population did not hold, two periods of
the year. Each sample is projected onto its own population; the year's figures combine them as the
guidance combines strata (EGESIF_16-0014-01 section 6.3.2, stratified MUS, and section 6.3.3, MUS in
two periods: each part projected on its own, the projected errors summed, the precisions combined as
the square root of the sum of their squares):

    BV   = Σ BV_i                         (the populations do not overlap: checked by `overlaps`)
    TPE  = Σ TPE_i                        (each with its 100 % stratum, systemic and anomalous errors)
    SE   = √(Σ SE_i²)                     (SE_i at one confidence level, see below)
    ULE  = TPE + SE
    TER  = TPE / BV,  ULE / BV            compared with the 2 % materiality
    FC   = Σ FC_i                         (the corrections each sample's projection recorded)
    RTER = (TPE − FC) / (BV − FC)         (`projection.residual_rate`)

Each SE_i = z_i × (the sample's spread): when the samples were drawn at different confidence levels,
AMIS brings every precision to the highest of them before combining, SE_i' = SE_i × z / z_i (the
conservative choice: the year's upper limit is never at a lower confidence than any sample's). For
the conservative MUS approach, whose precision comes from Poisson factors rather than z, the same
ratio is an approximation, and the working says so.

Plain Python (no Django), so it is tested with hand-worked numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from amis.sampling.rules import tables
from amis.sampling.rules.projection import residual_rate
from amis.sampling.rules.tables import GUIDANCE
from amis.sampling.rules.working import ZERO, SamplingInputError, Step, money, precise, rate, show, sqrt

SOURCE = f"{GUIDANCE} sections 6.3.2 and 6.3.3 (strata and periods combined)"
CONSERVATIVE = "mus_conservative"


@dataclass(frozen=True)
class Part:
    """One projected sample of the year, as its stored projection gives it."""

    sample: int
    population: int
    method: str
    confidence: int
    bv: Decimal
    size: int
    exhaustive: Decimal
    projected_random: Decimal
    systemic: Decimal
    anomalous: Decimal
    precision: Decimal
    total: Decimal
    corrections: Decimal = ZERO


@dataclass
class Combined:
    parts: list[Part]
    confidence: int
    bv: Decimal
    exhaustive: Decimal
    projected_random: Decimal
    systemic: Decimal
    anomalous: Decimal
    precision: Decimal
    total: Decimal
    upper_limit: Decimal
    total_rate: Decimal
    upper_rate: Decimal
    corrections: Decimal
    residual_rate: Decimal
    tolerable: Decimal
    working: list[Step] = field(default_factory=list)


def _sum(values: Iterable[Decimal]) -> Decimal:
    return sum(values, ZERO)


def _terms(values: Sequence[Decimal]) -> str:
    return " + ".join(show(v) for v in values)


@precise
def combine(parts: Sequence[Part]) -> Combined:
    """The year's figures from its projected samples (see the module's formulas), with the working."""
    if not parts:
        raise SamplingInputError("no projected sample to combine")
    ordered = sorted(parts, key=lambda p: p.sample)
    names = ", ".join(f"sample {p.sample}" for p in ordered)
    bv = money(_sum(p.bv for p in ordered))
    if bv <= 0:
        raise SamplingInputError("the populations hold no expenditure")
    exhaustive = money(_sum(p.exhaustive for p in ordered))
    projected = money(_sum(p.projected_random for p in ordered))
    systemic = money(_sum(p.systemic for p in ordered))
    anomalous = money(_sum(p.anomalous for p in ordered))
    total = money(_sum(p.total for p in ordered))
    working = [
        Step(
            "Samples combined",
            "each sample projected onto its own population; the populations do not overlap",
            names,
            str(len(ordered)),
            SOURCE,
        ),
        Step("Book value of the year", "BV = Σ BV_i", _terms([p.bv for p in ordered]), show(bv), SOURCE),
        Step(
            "Projected random errors",
            "EE = Σ EE_i",
            _terms([p.projected_random for p in ordered]),
            show(projected),
            SOURCE,
        ),
        Step(
            "Errors of the 100 % strata, systemic and anomalous errors",
            "Σ EE_e,i; Σ systemic_i; Σ anomalous_i",
            f"{_terms([p.exhaustive for p in ordered])}; {_terms([p.systemic for p in ordered])}; "
            f"{_terms([p.anomalous for p in ordered])}",
            f"{show(exhaustive)}; {show(systemic)}; {show(anomalous)}",
            SOURCE,
        ),
        Step(
            "Total projected error",
            "TPE = Σ TPE_i (TPE_i = EE_e,i + EE_i + systemic_i + anomalous_i)",
            _terms([p.total for p in ordered]),
            show(total),
            SOURCE,
        ),
    ]
    confidence = max(p.confidence for p in ordered)
    z = tables.z_value(confidence)
    precisions = []
    for p in ordered:
        if p.confidence == confidence:
            precisions.append(p.precision)
            continue
        z_i = tables.z_value(p.confidence)
        scaled = p.precision * z / z_i
        precisions.append(scaled)
        working.append(
            Step(
                f"Precision of sample {p.sample} at {confidence} %",
                "SE_i' = SE_i × z / z_i (brought to the highest confidence level of the year's samples)",
                f"{show(p.precision)} × {show(z)} / {show(z_i)}",
                show(money(scaled))
                + (
                    " (approximation: a conservative MUS precision is not z-based)"
                    if p.method == CONSERVATIVE
                    else ""
                ),
                SOURCE,
            )
        )
    squares = _sum(se * se for se in precisions)
    precision = money(sqrt(squares))
    upper = total + precision
    te = money(bv * tables.MATERIALITY)
    total_rate = rate(total / bv)
    upper_rate = rate(upper / bv)
    corrections = money(_sum(p.corrections for p in ordered))
    residual = residual_rate(total, corrections, bv)
    working.extend(
        [
            Step(
                "Precision",
                "SE = √(Σ SE_i²)",
                "√("
                + " + ".join(f"{show(money(se))}²" for se in precisions)
                + f") = √{show(money(squares))}",
                show(precision),
                SOURCE,
            ),
            Step(
                "Upper limit of error",
                "ULE = TPE + SE",
                f"{show(total)} + {show(precision)}",
                show(upper),
                SOURCE,
            ),
            Step(
                "Total error rate",
                "TER = TPE / BV, compared with the 2 % materiality",
                f"{show(total)} / {show(bv)}",
                f"{show(total_rate)} ({'above' if total > te else 'not above'} 2 % = {show(te)})",
                tables.MATERIALITY_SOURCE,
            ),
            Step(
                "Upper limit rate",
                "ULE / BV, compared with the 2 % materiality",
                f"{show(upper)} / {show(bv)}",
                f"{show(upper_rate)} ({'above' if upper > te else 'not above'} 2 % = {show(te)})",
                tables.MATERIALITY_SOURCE,
            ),
            Step(
                "Financial corrections",
                "FC = Σ FC_i",
                _terms([p.corrections for p in ordered]),
                show(corrections),
                SOURCE,
            ),
            *residual.working,
        ]
    )
    return Combined(
        parts=ordered,
        confidence=confidence,
        bv=bv,
        exhaustive=exhaustive,
        projected_random=projected,
        systemic=systemic,
        anomalous=anomalous,
        precision=precision,
        total=total,
        upper_limit=upper,
        total_rate=total_rate,
        upper_rate=upper_rate,
        corrections=corrections,
        residual_rate=residual.rate,
        tolerable=te,
        working=working,
    )


@dataclass(frozen=True)
class Overlap:
    first: int  # population ids
    second: int
    shared: tuple[str, ...]  # the first few units (or operations) both hold


def overlaps(
    populations: Mapping[int, tuple[str, Iterable[tuple[str, str]]]], shown: int = 5
) -> list[Overlap]:
    """Populations that hold the same expenditure, so that their samples cannot be summed:
    `populations[id] = (unit_kind, [(key, operation), ...])`. Two populations by the same kind of unit
    overlap when they share a unit (the same operation, or the same payment claim); populations by
    different kinds overlap when they share an operation. AMIS cannot tell two periods of one operation
    apart by operation, so populations of two periods are combined when built by payment claim."""
    found = []
    listed = {
        pk: (kind, {key for key, _op in units}, {op for _key, op in units})
        for pk, (kind, units) in populations.items()
    }
    ids = sorted(listed)
    for i, first in enumerate(ids):
        for second in ids[i + 1 :]:
            kind_a, keys_a, ops_a = listed[first]
            kind_b, keys_b, ops_b = listed[second]
            shared = keys_a & keys_b if kind_a == kind_b else ops_a & ops_b
            if shared:
                found.append(Overlap(first, second, tuple(sorted(shared)[:shown])))
    return found
