"""The population and the reproducible selection of the sample.

The population is put in one order by each unit's stable key (its reference), so the same seed and
the same population always give the same sample, on any machine. The random start of the systematic
selection is drawn with `random.Random(seed)` as an integer (it is a position, not money), turned
into a `Decimal` exactly.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from amis.sampling.rules.methods import Unit
from amis.sampling.rules.tables import GUIDANCE
from amis.sampling.rules.working import ZERO, SamplingInputError, Step, money, precise, show

START_RESOLUTION = 10**12


@dataclass
class Population:
    units: list[Unit]  # positive units, in key order: the population sampled
    excluded: list[Unit]  # units whose net value is zero or negative
    bv: Decimal
    lines: int
    working: list[Step] = field(default_factory=list)


@precise
def build_population(lines: Iterable[tuple[str, Decimal]]) -> Population:
    """Expenditure lines (unit key, amount) summed per sampling unit (operation or payment claim).

    Negative and zero units: a unit sampled with probability proportional to size must have a
    positive size, so units whose net amount is negative or zero are taken out of the MUS population
    and listed apart, to be audited separately (guidance section 7, negative sampling units; the
    population's BV is the sum of the positive units). Negative lines within a unit are netted
    against its other lines first (the unit's declared expenditure is its net amount).
    """
    totals: dict[str, Decimal] = {}
    count = 0
    for key, amount in lines:
        totals[key] = totals.get(key, ZERO) + amount
        count += 1
    units = [Unit(k, v) for k, v in sorted(totals.items()) if v > 0]
    excluded = [Unit(k, v) for k, v in sorted(totals.items()) if v <= 0]
    # money: the units' amounts are to the cent, but a sum read from the database may carry the
    # column's every decimal (3146432.7500000000); the population's BV is an amount
    bv = money(sum((u.value for u in units), ZERO))
    return Population(
        units,
        excluded,
        bv,
        count,
        [
            Step(
                "Population",
                "BV = Σ net value of the units with a positive net value",
                f"{count} lines, {len(units)} units, {len(excluded)} unit(s) at zero or below left out "
                f"({show(money(sum((u.value for u in excluded), ZERO)))})",
                show(bv),
                f"{GUIDANCE} section 7 (negative sampling units)",
            )
        ],
    )


@dataclass(frozen=True)
class Pick:
    unit: Unit
    hits: int  # how many selection points fell in the unit (MUS: a unit may be hit more than once)
    stratum: str  # "high" (100 % stratum) or "sample"


@dataclass
class Selection:
    picks: list[Pick]
    seed: int
    interval: Decimal
    start: Decimal
    working: list[Step] = field(default_factory=list)

    @property
    def keys(self) -> list[str]:
        return [p.unit.key for p in self.picks]


def _start(seed: int, interval: Decimal) -> Decimal:
    draw = random.Random(seed).randrange(START_RESOLUTION)
    return interval * Decimal(draw) / Decimal(START_RESOLUTION)


@precise
def systematic_pps(high_value: Sequence[Unit], rest: Sequence[Unit], n: int, seed: int) -> Selection:
    """Systematic selection with probability proportional to size and a random start (guidance
    section 6.3.1.2 and 4 on selection; 2023/67 "random selection", Art. 2(7)).

    The units of the rest, in key order, lie end to end on the line of their cumulated values;
    interval SI = BV_s / n, start s drawn in [0, SI) from the seed, points s + k × SI for
    k = 0 … n−1; each point selects the unit it falls in. Every high-value unit is selected.
    """
    picks = [Pick(u, 1, "high") for u in sorted(high_value, key=lambda u: u.key)]
    ordered = sorted(rest, key=lambda u: u.key)
    bv_s = sum((u.value for u in ordered), ZERO)
    if any(u.value <= 0 for u in ordered):
        raise SamplingInputError("units at zero or below cannot be selected by size")
    if n < 0 or (n > 0 and bv_s <= 0):
        raise SamplingInputError("nothing to select from")
    if n == 0:
        return Selection(picks, seed, ZERO, ZERO, [])
    interval = bv_s / n
    start = _start(seed, interval)
    hits: dict[str, int] = {}
    index = 0
    cumulated = ZERO
    for k in range(n):
        point = start + interval * k
        while index < len(ordered) - 1 and cumulated + ordered[index].value <= point:
            cumulated += ordered[index].value
            index += 1
        key = ordered[index].key
        hits[key] = hits.get(key, 0) + 1
    picks.extend(Pick(u, hits[u.key], "sample") for u in ordered if u.key in hits)
    working = [
        Step(
            "Sampling interval",
            "SI = BV_s / n_s",
            f"{show(bv_s)} / {n}",
            show(money(interval)),
            f"{GUIDANCE} section 6.3.1.2",
        ),
        Step(
            "Random start",
            "s = SI × r, r drawn from the recorded seed",
            f"seed {seed}",
            show(money(start)),
            f"{GUIDANCE} section 4 (systematic selection with a random start)",
        ),
        Step(
            "Selection",
            "unit j selected when C_{j−1} ≤ s + k × SI < C_j, k = 0 … n−1",
            f"{n} points over {len(ordered)} units",
            f"{len(hits)} unit(s) selected, {len(picks) - len(hits)} in the 100 % stratum",
            f"{GUIDANCE} section 6.3.1.2",
        ),
    ]
    return Selection(picks, seed, interval, start, working)


def simple_random(units: Sequence[Unit], n: int, seed: int) -> Selection:
    """Equal-probability selection without replacement (simple random sampling, difference
    estimation, non-statistical sampling, sub-sampling; guidance sections 6.1, 6.2, 6.4; 2023/67
    Art. 2(6)-(7)): `random.Random(seed).sample` over the units in key order."""
    ordered = sorted(units, key=lambda u: u.key)
    if n > len(ordered) or n < 0:
        raise SamplingInputError(f"cannot draw {n} of {len(ordered)} units")
    chosen = random.Random(seed).sample(range(len(ordered)), n)
    picks = [Pick(ordered[i], 1, "sample") for i in sorted(chosen)]
    return Selection(
        picks,
        seed,
        ZERO,
        ZERO,
        [
            Step(
                "Random selection",
                "n of N units with equal probability, without replacement",
                f"{n} of {len(ordered)}, seed {seed}",
                f"{n} unit(s)",
                f"{GUIDANCE} section 6.1",
            )
        ],
    )
