"""Sample sizes: how many units to audit, by method, with the working.

Notation as in the guidance: BV book value of the population (the expenditure declared), N its
number of units, TE tolerable error (materiality × BV), AE anticipated error, z the normal coefficient
of the confidence level, σr the standard deviation of the error rates (MUS), σe of the errors (simple
random sampling, difference estimation), RF/EF the reliability and expansion factors.

Citations: the Regulations' Articles quoted in `tables` were read (docs/sampling.md "Sources"); the
section numbers of EGESIF_16-0014-01 in the docstrings below were not (the guidance could not be read
beyond its first pages) and stay to be checked — a third-party transcription of its table of contents
numbers the MUS conservative approach 6.3.5 (not 6.3.4), SRS sample size 6.1.1.2 (not 6.1.2),
difference estimation 6.2.1 (not 6.2.2) and two-stage sampling 7.6.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from amis.sampling.rules import tables
from amis.sampling.rules.tables import GUIDANCE
from amis.sampling.rules.working import (
    ZERO,
    SamplingInputError,
    Step,
    ceiling,
    money,
    precise,
    short,
    show,
)

MINIMUM_STATISTICAL = tables.STATISTICAL_MINIMUM
MINIMUM_SOURCE = tables.STATISTICAL_MINIMUM_SOURCE


@dataclass(frozen=True)
class Unit:
    """A sampling unit: an operation or a payment claim, its stable key and its book value."""

    key: str
    value: Decimal


@dataclass
class SizeResult:
    n: int
    working: list[Step] = field(default_factory=list)


@dataclass
class Design:
    """A MUS design: the 100 % stratum of high-value units and the sample size of the rest."""

    n: int  # total: high-value units plus the sampled ones
    n_sampled: int
    high_value: list[Unit]
    rest: list[Unit]
    cutoff: Decimal
    bv: Decimal
    bv_sampled: Decimal
    working: list[Step] = field(default_factory=list)


def _positive_gap(te: Decimal, ae: Decimal, label: str = "TE − AE") -> Decimal:
    gap = te - ae
    if gap <= 0:
        raise SamplingInputError(f"{label} must be above zero (TE {te}, AE {ae})")
    return gap


@precise
def tolerable_error(bv: Decimal, materiality: Decimal = tables.MATERIALITY) -> tuple[Decimal, Step]:
    """TE = materiality × BV, materiality 2 % (guidance section 4; the Regulations cited in
    `tables.MATERIALITY_SOURCE`)."""
    te = money(bv * materiality)
    return te, Step(
        "Tolerable error",
        "TE = 2 % × BV",
        f"{show(materiality)} × {show(bv)}",
        show(te),
        tables.MATERIALITY_SOURCE,
    )


@precise
def mus_standard_n(bv: Decimal, sigma_r: Decimal, te: Decimal, ae: Decimal, confidence: int) -> SizeResult:
    """MUS standard approach: n = (z × BV × σr / (TE − AE))², rounded up.

    Guidance section 6.3.1.2 (MUS standard approach, sample size); 2021-2027: 2023/67 Art. 2(5)
    (definition), Art. 5(1)(a) (an off-the-shelf method) and Art. 5(4) (formula in its Annex I, not read:
    the formula here is the guidance's).
    """
    z = tables.z_value(confidence)
    gap = _positive_gap(te, ae)
    raw = (z * bv * sigma_r / gap) ** 2
    n = ceiling(raw)
    return SizeResult(
        n,
        [
            Step("z coefficient", "z(CL)", f"CL = {confidence} %", show(z), tables.Z_SOURCE),
            Step(
                "Sample size (MUS standard approach)",
                "n = (z × BV × σr / (TE − AE))²",
                f"({show(z)} × {show(bv)} × {show(sigma_r)} / ({show(te)} − {show(ae)}))² = {short(raw)}",
                show(n),
                f"{GUIDANCE} section 6.3.1.2; {tables.DELEGATED}",
            ),
        ],
    )


@precise
def mus_conservative_n(bv: Decimal, te: Decimal, ae: Decimal, confidence: int) -> SizeResult:
    """MUS conservative approach: n = BV × RF / (TE − AE × EF), rounded up; RF the reliability
    factor for zero errors, EF the expansion factor (guidance section 6.3.4, tables in
    `tables.FACTORS_SOURCE`)."""
    rf = tables.reliability_factor(confidence)
    ef = tables.expansion_factor(confidence)
    gap = _positive_gap(te, ae * ef, "TE − AE × EF")
    raw = bv * rf / gap
    n = ceiling(raw)
    return SizeResult(
        n,
        [
            Step(
                "Reliability and expansion factors",
                "RF(CL), EF(CL)",
                f"CL = {confidence} %",
                f"RF = {show(rf)}, EF = {show(ef)}",
                tables.FACTORS_SOURCE,
            ),
            Step(
                "Sample size (MUS conservative approach)",
                "n = BV × RF / (TE − AE × EF)",
                f"{show(bv)} × {show(rf)} / ({show(te)} − {show(ae)} × {show(ef)}) = {short(raw)}",
                show(n),
                f"{GUIDANCE} section 6.3.4",
            ),
        ],
    )


@precise
def srs_n(
    units: int, sigma: Decimal, te: Decimal, ae: Decimal, confidence: int, *, estimator: str = "mean"
) -> SizeResult:
    """Simple random sampling: n = (z × N × σe / (TE − AE))², rounded up.

    σe is the standard deviation of the errors for mean-per-unit estimation and for difference
    estimation, of the residuals qᵢ = Eᵢ − R × BVᵢ for ratio estimation (guidance section 6.1.2
    simple random sampling, sample size; section 6.2.2 difference estimation, the same formula;
    2021-2027: 2023/67, simple random sampling, Art. 2(6)).
    """
    z = tables.z_value(confidence)
    gap = _positive_gap(te, ae)
    raw = (z * Decimal(units) * sigma / gap) ** 2
    n = min(ceiling(raw), units)
    symbol = {"mean": "σe", "ratio": "σq", "difference": "σe"}[estimator]
    section = "6.2.2" if estimator == "difference" else "6.1.2"
    return SizeResult(
        n,
        [
            Step("z coefficient", "z(CL)", f"CL = {confidence} %", show(z), tables.Z_SOURCE),
            Step(
                "Sample size (simple random sampling)"
                if estimator != "difference"
                else "Sample size (difference estimation)",
                f"n = (z × N × {symbol} / (TE − AE))²",
                f"({show(z)} × {units} × {show(sigma)} / ({show(te)} − {show(ae)}))² = {short(raw)}",
                show(n),
                f"{GUIDANCE} section {section}; {tables.DELEGATED}",
            ),
        ],
    )


def _iterate_high_value(
    units: Sequence[Unit], size: Callable[[Decimal], SizeResult], label: str, minimum: int
) -> Design:
    """Units above the cut-off BV_s / n_s go to a 100 % stratum; n_s is computed again on the rest
    and the cut-off with it, until no unit of the rest is above it (guidance section 6.3.1.2, the
    high-value stratum; 2021-2027: 2023/67 Art. 5(2) "All high value units above the interval of
    selection shall be audited", the interval "calculated using the expenditure of a low value stratum
    after determining an exhaustive high value stratum")."""
    ordered = sorted(units, key=lambda u: u.key)
    bv = sum((u.value for u in ordered), ZERO)
    if not ordered or bv <= 0:
        raise SamplingInputError("the population is empty")
    high: list[Unit] = []
    rest = list(ordered)
    working: list[Step] = []
    rounds = 0
    while True:
        rounds += 1
        bv_rest = sum((u.value for u in rest), ZERO)
        result = size(bv_rest)
        n_rest = min(max(result.n, min(minimum, len(rest))), len(rest))
        working.extend(result.working)
        if n_rest != result.n:
            working.append(
                Step(
                    "Sample size within bounds",
                    "n_s = min(max(n, 30), units left)",
                    f"min(max({result.n}, {minimum}), {len(rest)})",
                    str(n_rest),
                    MINIMUM_SOURCE,
                )
            )
        cutoff = bv_rest / n_rest if n_rest else ZERO
        above = [u for u in rest if n_rest and u.value > cutoff]
        working.append(
            Step(
                f"{label}: cut-off, round {rounds}",
                "cut-off = BV_s / n_s; units above it go to the 100 % stratum",
                f"{show(bv_rest)} / {n_rest} = {show(money(cutoff))}",
                f"{len(above)} unit(s) above",
                f"{GUIDANCE} section 6.3.1.2 (high-value items)",
            )
        )
        if not above:
            break
        keys = {u.key for u in above}
        high.extend(above)
        rest = [u for u in rest if u.key not in keys]
        if not rest:
            n_rest, cutoff, bv_rest = 0, ZERO, ZERO
            break
    high.sort(key=lambda u: u.key)
    return Design(
        n=len(high) + n_rest,
        n_sampled=n_rest,
        high_value=high,
        rest=rest,
        cutoff=money(cutoff),
        bv=bv,
        bv_sampled=bv_rest,
        working=working,
    )


@precise
def mus_standard_design(
    units: Sequence[Unit],
    sigma_r: Decimal,
    te: Decimal,
    ae: Decimal,
    confidence: int,
    *,
    minimum: int = MINIMUM_STATISTICAL,
) -> Design:
    """MUS standard approach with its high-value stratum (guidance section 6.3.1.2): the size of the
    sampled part is (z × BV_s × σr / (TE − AE))², TE and AE those of the whole population."""
    return _iterate_high_value(
        units, lambda bv_s: mus_standard_n(bv_s, sigma_r, te, ae, confidence), "MUS", minimum
    )


@precise
def mus_conservative_design(
    units: Sequence[Unit],
    te: Decimal,
    ae: Decimal,
    confidence: int,
    *,
    minimum: int = MINIMUM_STATISTICAL,
) -> Design:
    """MUS conservative approach with its high-value stratum (guidance section 6.3.4)."""
    return _iterate_high_value(
        units, lambda bv_s: mus_conservative_n(bv_s, te, ae, confidence), "MUS conservative", minimum
    )


@precise
def capped_design(
    design: Design, category: int, period: str, *, enhanced_proportionate: bool = False
) -> Design:
    """The 2021-2027 capped sample size (2023/67 Art. 5(7)): for a programme in category 1 or 2 not
    under the enhanced proportionate arrangements of Regulation (EU) 2021/1060 Art. 83, the audit
    authority may cap the sample at 50 sampling units; "all units in random strata and only high value
    units in exhaustive strata shall count". The high-value units stay audited in full (Art. 5(2)), so
    the random part is cut to n_s = min(n_s, 50 − high-value units); the interval of selection becomes
    BV_s / n_s. Refused for 2014-2020, categories 3-4, programmes under Art. 83, and when the
    high-value units alone reach the cap. A design already at or below 50 is returned as it is."""
    cap = tables.CAPPED_SAMPLE_SIZE
    if period != "2021-2027":
        raise SamplingInputError(f"the capped sample size is a 2021-2027 option ({tables.CAPPED_SOURCE})")
    if category not in tables.CAPPED_CATEGORIES:
        raise SamplingInputError(
            f"the capped sample size is for programmes in category 1 or 2, not {category} "
            f"({tables.CAPPED_SOURCE})"
        )
    if enhanced_proportionate:
        raise SamplingInputError(
            "a programme under the enhanced proportionate arrangements (Regulation (EU) 2021/1060 "
            "Art. 83) has its own sample of 30 units; the cap of 50 does not apply"
        )
    high = len(design.high_value)
    if design.n <= cap:
        return design
    if high >= cap:
        raise SamplingInputError(
            f"the {high} high-value units alone reach the cap of {cap}: they are all audited "
            "(2023/67 Art. 5(2)), the cap cannot be applied"
        )
    n_sampled = min(design.n_sampled, cap - high)
    cutoff = design.bv_sampled / n_sampled
    working = [
        *design.working,
        Step(
            "Capped sample size",
            "n_s = min(n_s, 50 − high-value units); interval = BV_s / n_s",
            f"min({design.n_sampled}, {cap} − {high}); {show(design.bv_sampled)} / {n_sampled}",
            f"n_s = {n_sampled}, n = {high + n_sampled}, interval {show(money(cutoff))}",
            tables.CAPPED_SOURCE,
        ),
    ]
    return Design(
        n=high + n_sampled,
        n_sampled=n_sampled,
        high_value=list(design.high_value),
        rest=list(design.rest),
        cutoff=money(cutoff),
        bv=design.bv,
        bv_sampled=design.bv_sampled,
        working=working,
    )


@dataclass
class StratifiedDesign:
    n: int
    weighted_sigma: Decimal
    allocation: dict[str, int]
    design: Design
    working: list[Step] = field(default_factory=list)


@precise
def mus_stratified_design(
    strata: Mapping[str, Sequence[Unit]],
    sigmas: Mapping[str, Decimal],
    te: Decimal,
    ae: Decimal,
    confidence: int,
    *,
    minimum: int = MINIMUM_STATISTICAL,
    period: str | None = None,
) -> StratifiedDesign:
    """Stratified MUS (guidance section 6.3.2): σw² = Σ_h (BV_h / BV) × σr_h², the size is that of
    the standard approach with σw, the high-value stratum taken out over all strata, and the sampled
    units allocated to the strata in proportion to their book value left,
    n_h = n_s × BV_sh / BV_s (largest remainders, so that Σ n_h = n_s).

    For the 2021-2027 period (`period="2021-2027"`) every random stratum has at least 3 units, or all
    its units when it has fewer (2023/67 Art. 5(5)); a stratum raised to 3 adds to n. Without a period
    (the callers that do not pass one yet) no stratum minimum is applied."""
    if not strata:
        raise SamplingInputError("no strata")
    bv = sum((u.value for units in strata.values() for u in units), ZERO)
    if bv <= 0:
        raise SamplingInputError("the population is empty")
    variance = sum(
        (sum((u.value for u in units), ZERO) / bv * sigmas[name] ** 2 for name, units in strata.items()),
        ZERO,
    )
    sigma_w = variance.sqrt()
    parts = " + ".join(
        f"{show(sum((u.value for u in units), ZERO))}/{show(bv)} × {show(sigmas[name])}²"
        for name, units in sorted(strata.items())
    )
    working = [
        Step(
            "Weighted standard deviation of the error rates",
            "σw = √(Σ_h BV_h / BV × σr_h²)",
            f"√({parts})",
            show(sigma_w),
            f"{GUIDANCE} section 6.3.2",
        )
    ]
    stratum_of = {u.key: name for name, units in strata.items() for u in units}
    all_units = [u for units in strata.values() for u in units]
    design = mus_standard_design(all_units, sigma_w, te, ae, confidence, minimum=minimum)
    working.extend(design.working)
    left = {name: sum((u.value for u in design.rest if stratum_of[u.key] == name), ZERO) for name in strata}
    allocation = _largest_remainder(left, design.n_sampled)
    counts = {name: sum(1 for u in design.rest if stratum_of[u.key] == name) for name in strata}
    allocation = {name: min(allocation[name], counts[name]) for name in allocation}
    if period == "2021-2027":
        floors = {name: min(tables.STRATUM_MINIMUM_2021, counts[name]) for name in allocation}
        raised = {name: max(allocation[name], floors[name]) for name in allocation}
        if raised != allocation:
            working.append(
                Step(
                    "At least 3 units in each random stratum",
                    "n_h = max(n_h, min(3, N_h))",
                    ", ".join(
                        f"{name}: max({allocation[name]}, min(3, {counts[name]}))"
                        for name in sorted(allocation)
                    ),
                    ", ".join(f"{name}: {raised[name]}" for name in sorted(raised)),
                    tables.STATISTICAL_MINIMUM_SOURCE,
                )
            )
        allocation = raised
    working.append(
        Step(
            "Allocation to the strata",
            "n_h = n_s × BV_sh / BV_s",
            ", ".join(
                f"{name}: {design.n_sampled} × {show(left[name])} / {show(design.bv_sampled)}"
                for name in sorted(left)
            ),
            ", ".join(f"{name}: {allocation[name]}" for name in sorted(allocation)),
            f"{GUIDANCE} section 6.3.2",
        )
    )
    return StratifiedDesign(
        n=len(design.high_value) + sum(allocation.values()),
        weighted_sigma=sigma_w,
        allocation=allocation,
        design=design,
        working=working,
    )


def _largest_remainder(weights: Mapping[str, Decimal], total: int) -> dict[str, int]:
    whole = sum(weights.values(), ZERO)
    if whole <= 0 or total == 0:
        return {name: 0 for name in weights}
    shares = {name: Decimal(total) * w / whole for name, w in weights.items()}
    floors = {name: int(s) for name, s in shares.items()}
    missing = total - sum(floors.values())
    order = sorted(weights, key=lambda name: (-(shares[name] - floors[name]), name))
    for name in order[:missing]:
        floors[name] += 1
    return floors


@dataclass
class TwoPeriodDesign:
    n: int
    n1: int
    n2: int
    working: list[Step] = field(default_factory=list)


@precise
def two_period_design(
    bv1: Decimal,
    bv2: Decimal,
    sigma_r1: Decimal,
    sigma_r2: Decimal,
    te: Decimal,
    ae: Decimal,
    confidence: int,
    *,
    minimum: int = 0,
) -> TwoPeriodDesign:
    """MUS in two periods of the accounting year (guidance section 6.3.3): BV2 is the forecast of
    the second period's expenditure when the first sample is drawn. The periods are strata:
    σw² = (BV1 / BV) σr1² + (BV2 / BV) σr2², n = (z × BV × σw / (TE − AE))², split in proportion to
    book value, n1 = n × BV1 / BV and n2 = n − n1 (the split AMIS follows; with σr1 = σr2 it is the
    standard approach's n). The second period's sample is drawn, and n2 recomputed with the actual
    BV2, when its expenditure is declared (`two_period_second`). With `minimum` the year's n is at
    least that many points (the guidance's 30 for a statistical sample) before it is split.
    """
    bv = bv1 + bv2
    if bv <= 0:
        raise SamplingInputError("the population is empty")
    sigma_w = (bv1 / bv * sigma_r1**2 + bv2 / bv * sigma_r2**2).sqrt()
    size = mus_standard_n(bv, sigma_w, te, ae, confidence)
    if size.n < minimum:
        size.working.append(
            Step(
                "Sample size within bounds",
                "n = max(n, 30)",
                f"max({size.n}, {minimum})",
                str(minimum),
                MINIMUM_SOURCE,
            )
        )
        size = SizeResult(minimum, size.working)
    n1 = ceiling(Decimal(size.n) * bv1 / bv)
    n1 = min(n1, size.n)
    n2 = size.n - n1
    working = [
        Step(
            "Weighted standard deviation of the two periods",
            "σw = √(BV1/BV × σr1² + BV2/BV × σr2²)",
            f"√({show(bv1)}/{show(bv)} × {show(sigma_r1)}² + {show(bv2)}/{show(bv)} × {show(sigma_r2)}²)",
            show(sigma_w),
            f"{GUIDANCE} section 6.3.3",
        ),
        *size.working,
        Step(
            "Split between the periods",
            "n1 = ⌈n × BV1 / BV⌉, n2 = n − n1",
            f"⌈{size.n} × {show(bv1)} / {show(bv)}⌉",
            f"n1 = {n1}, n2 = {n2}",
            f"{GUIDANCE} section 6.3.3",
        ),
    ]
    return TwoPeriodDesign(size.n, n1, n2, working)


@precise
def two_period_second(
    bv1: Decimal,
    bv2: Decimal,
    sigma_r1: Decimal,
    sigma_r2: Decimal,
    te: Decimal,
    ae: Decimal,
    confidence: int,
    n1_drawn: int,
    *,
    minimum: int = 0,
) -> TwoPeriodDesign:
    """The second period's size once its expenditure is declared (guidance section 6.3.3): the
    year's n computed again as in `two_period_design` with the actual BV2 (and the σr2 the auditor
    now expects), TE that of the actual year; period 1's n1 is already drawn, so
    n2 = max(n − n1, 1) — at least one point when period 2 has expenditure (AMIS's rule, so that no
    period goes unsampled)."""
    design = two_period_design(bv1, bv2, sigma_r1, sigma_r2, te, ae, confidence, minimum=minimum)
    n2 = max(design.n - n1_drawn, 1 if bv2 > 0 else 0)
    working = [
        *design.working[:-1],
        Step(
            "Second period's size with the actual BV2",
            "n2 = max(n − n1, 1), n1 as drawn in period 1",
            f"max({design.n} − {n1_drawn}, 1)",
            f"n2 = {n2}",
            f"{GUIDANCE} section 6.3.3",
        ),
    ]
    return TwoPeriodDesign(n1_drawn + n2, n1_drawn, n2, working)


@precise
def fixed_points_design(units: Sequence[Unit], points: int, label: str = "MUS") -> Design:
    """A MUS selection of a given number of points (a period of two-period sampling, whose n_t
    comes from the split): units above the cut-off BV_s / n_t go to the 100 % stratum and the cut-off
    is computed again on the rest with the same n_t, until no unit is above it (guidance section
    6.3.1.2 on high-value items, applied per period as in section 6.3.3). n_t is bounded by the
    units left."""
    if points < 0:
        raise SamplingInputError("the number of points cannot be negative")
    return _iterate_high_value(
        units,
        lambda bv_s: SizeResult(
            points,
            [
                Step(
                    "Points of the period",
                    "n_t from the split between the periods",
                    f"BV_s = {show(bv_s)}",
                    str(points),
                    f"{GUIDANCE} section 6.3.3",
                )
            ],
        ),
        label,
        0,
    )


@precise
def non_statistical_size(units: Sequence[Unit], category: int, period: str = "2021-2027") -> SizeResult:
    """Non-statistical sampling of a small population.

    2021-2027: allowed for fewer than 300 sampling units, at least 10 % of the units whatever the
    category, the units of exhaustive strata counted in (2023/67 Art. 6(1)-(2), recital (12); Regulation
    (EU) 2021/1060 Art. 79(2)).

    2014-2020: AMIS allows it below 800 units (AMIS's reading of the guidance, unverified: Regulation
    (EU) 1303/2013 Art. 127(1) sets no number) and audits at least the share of units of the system
    category in `tables.NON_STATISTICAL_UNITS_SHARE` (5 % for category 1, the legal floor of Art. 127(1);
    the higher shares for weaker systems are AMIS's reading of the guidance's table, unverified) and
    units covering at least 10 % of the expenditure (Art. 127(1)) — the caller selects the largest or at
    random until that cover is met, see `selection.non_statistical`.
    """
    count = len(units)
    limit = tables.NON_STATISTICAL_MAXIMUM_UNITS.get(period)
    if limit is None:
        raise SamplingInputError(f"no period {period}")
    if count == 0:
        raise SamplingInputError("the population is empty")
    if count >= limit:
        raise SamplingInputError(
            f"{count} units: non-statistical sampling is for populations below {limit} units"
        )
    share = tables.non_statistical_share(category, period)
    n = max(ceiling(Decimal(count) * share), 1)
    return SizeResult(
        n,
        [
            Step(
                "Sample size (non-statistical)",
                "n = ⌈N × 10 %⌉" if period == "2021-2027" else "n = ⌈N × share(category)⌉",
                f"⌈{count} × {show(share)}⌉",
                str(n),
                tables.NON_STATISTICAL_SOURCE,
            )
        ],
    )


@precise
def subsample_size(items: int, minimum: int = tables.SUBSAMPLE_MINIMUM) -> SizeResult:
    """Sub-sampling within an operation made of many expenditure items: audit min(items, 30) items
    drawn at random, the error of the operation projected from them (`projection.subsample`).
    2014-2020: Delegated Regulation (EU) No 480/2014 Art. 28(9), "not less than 30 underlying payment
    claims or invoices for each sampling unit" (the auditor may take more). 2021-2027: 2023/67 Art. 7
    (random subsampling allowing the extrapolation; high-value subsampling units above the interval
    audited) sets no number in its Articles; AMIS keeps 30."""
    n = min(items, minimum)
    return SizeResult(
        n,
        [
            Step(
                "Sub-sample size",
                "m = min(M, 30)",
                f"min({items}, {minimum})",
                str(n),
                tables.SUBSAMPLE_SOURCE,
            )
        ],
    )


__all__ = [
    "Design",
    "capped_design",
    "SizeResult",
    "StratifiedDesign",
    "TwoPeriodDesign",
    "Unit",
    "fixed_points_design",
    "mus_conservative_design",
    "mus_conservative_n",
    "mus_standard_design",
    "mus_standard_n",
    "mus_stratified_design",
    "non_statistical_size",
    "srs_n",
    "subsample_size",
    "tolerable_error",
    "two_period_design",
    "two_period_second",
]
