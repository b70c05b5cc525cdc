"""Projection of the errors found in the sample onto the population, with precision, upper limit of
error and total error rate, each with its working.

An audited unit's error Eᵢ is its irregular amount (positive: expenditure overstated). Its type:

- random: projected onto the population by the method's estimator;
- systemic: not projected with the random errors; the extent the auditor delimited for the whole
  population (at least the systemic errors found in the sample) is added to the total;
- anomalous: not projected; added at its amount. The auditor must justify that the error is unique
  and does not reflect the population (the service refuses an anomalous error without it).

Errors of the 100 % stratum are counted at their amount, whatever their type (guidance, treatment of
errors and the MUS evaluation; 2021-2027: 2023/67 Art. 8(1), the total error rate is "the sum of the
extrapolated random errors, including errors established in the exhaustive strata, and, where
applicable, delimited systemic errors and uncorrected anomalous errors, divided by the expenditure of
the audit population"; 2014-2020: Delegated Regulation (EU) No 480/2014 Art. 28(14), the same without
the exhaustive strata's wording). Both Articles were read (docs/sampling.md "Sources"); the guidance's
section numbers cited below were not.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal

from amis.sampling.rules import tables
from amis.sampling.rules.tables import GUIDANCE
from amis.sampling.rules.working import (
    ONE,
    ZERO,
    SamplingInputError,
    Step,
    money,
    precise,
    rate,
    show,
    sqrt,
)

RANDOM, SYSTEMIC, ANOMALOUS = "random", "systemic", "anomalous"
TREATMENT_SOURCE = (
    f"{GUIDANCE} section 4 (random, systemic and anomalous errors); {tables.DELEGATED} Art. 8(1)"
)
TER_SOURCE = (
    "2014-2020: Delegated Regulation (EU) No 480/2014 Art. 28(14); 2021-2027: "
    f"{tables.DELEGATED} Art. 8(1) (total error rate); {tables.MATERIALITY_SOURCE}"
)


@dataclass(frozen=True)
class Result:
    key: str
    book_value: Decimal
    error: Decimal = ZERO
    kind: str = RANDOM
    hits: int = 1
    stratum: str = "sample"  # "high" or "sample"

    @property
    def rate(self) -> Decimal:
        return self.error / self.book_value if self.book_value else ZERO

    @property
    def random_error(self) -> Decimal:
        return self.error if self.kind == RANDOM else ZERO


@dataclass
class Projection:
    bv: Decimal
    exhaustive: Decimal  # errors of the 100 % stratum
    projected_random: Decimal  # the random errors projected from the sampled part
    systemic: Decimal
    anomalous: Decimal
    precision: Decimal  # SE
    total: Decimal  # total projected error: exhaustive + projected random + systemic + anomalous
    upper_limit: Decimal  # ULE = total + SE
    total_rate: Decimal
    upper_rate: Decimal
    tolerable: Decimal
    working: list[Step] = field(default_factory=list)

    @property
    def material(self) -> bool:
        return self.total > self.tolerable

    @property
    def upper_above_materiality(self) -> bool:
        return self.upper_limit > self.tolerable

    def figures(self) -> dict[str, str]:
        return {
            "bv": show(self.bv),
            "exhaustive": show(self.exhaustive),
            "projected_random": show(self.projected_random),
            "systemic": show(self.systemic),
            "anomalous": show(self.anomalous),
            "precision": show(self.precision),
            "total": show(self.total),
            "upper_limit": show(self.upper_limit),
            "total_rate": show(self.total_rate),
            "upper_rate": show(self.upper_rate),
            "tolerable": show(self.tolerable),
        }


def _split(results: Sequence[Result]) -> tuple[list[Result], list[Result]]:
    high = [r for r in results if r.stratum == "high"]
    sample = [r for r in results if r.stratum != "high"]
    for r in results:
        if r.kind not in (RANDOM, SYSTEMIC, ANOMALOUS):
            raise SamplingInputError(f"unknown error type {r.kind}")
        if r.book_value <= 0:
            raise SamplingInputError(f"unit {r.key} has no positive book value")
    return high, sample


def _std(values: Sequence[Decimal]) -> Decimal:
    """Sample standard deviation, divisor n − 1 (0 for fewer than two values)."""
    count = len(values)
    if count < 2:
        return ZERO
    mean = sum(values, ZERO) / count
    return sqrt(sum(((v - mean) ** 2 for v in values), ZERO) / (count - 1))


def _expand(sample: Sequence[Result], values: Sequence[Decimal]) -> list[Decimal]:
    """A unit hit k times by the selection counts k times."""
    out: list[Decimal] = []
    for r, v in zip(sample, values, strict=True):
        out.extend([v] * r.hits)
    return out


def _common(
    bv: Decimal,
    high: Sequence[Result],
    sample: Sequence[Result],
    systemic_extent: Decimal | None,
) -> tuple[Decimal, Decimal, Decimal, list[Step]]:
    exhaustive = sum((r.error for r in high), ZERO)
    found_systemic = sum((r.error for r in sample if r.kind == SYSTEMIC), ZERO)
    systemic = found_systemic if systemic_extent is None else max(systemic_extent, found_systemic)
    anomalous = sum((r.error for r in sample if r.kind == ANOMALOUS), ZERO)
    steps = [
        Step(
            "Errors in the 100 % stratum",
            "EE_e = Σ Eᵢ (high-value units, not projected)",
            " + ".join(show(r.error) for r in high) or "no unit",
            show(money(exhaustive)),
            f"{GUIDANCE} section 6.3.1.3",
        ),
        Step(
            "Systemic errors",
            "the delimited extent in the population (at least the systemic errors found)",
            f"found {show(found_systemic)}"
            + ("" if systemic_extent is None else f", delimited {show(systemic_extent)}"),
            show(money(systemic)),
            TREATMENT_SOURCE,
        ),
        Step(
            "Anomalous errors",
            "Σ Eᵢ (anomalous, not projected)",
            " + ".join(show(r.error) for r in sample if r.kind == ANOMALOUS) or "none",
            show(money(anomalous)),
            TREATMENT_SOURCE,
        ),
    ]
    return exhaustive, systemic, anomalous, steps


def _finish(
    bv: Decimal,
    exhaustive: Decimal,
    projected: Decimal,
    systemic: Decimal,
    anomalous: Decimal,
    precision: Decimal,
    working: list[Step],
    citation: str,
) -> Projection:
    total = money(exhaustive + projected + systemic + anomalous)
    precision = money(precision)
    upper = total + precision
    te = money(bv * tables.MATERIALITY)
    total_rate = rate(total / bv)
    upper_rate = rate(upper / bv)
    working.extend(
        [
            Step(
                "Total projected error",
                "TPE = EE_e + EE_s + systemic + anomalous",
                f"{show(money(exhaustive))} + {show(money(projected))} + {show(money(systemic))} + "
                f"{show(money(anomalous))}",
                show(total),
                citation,
            ),
            Step(
                "Upper limit of error",
                "ULE = TPE + SE",
                f"{show(total)} + {show(precision)}",
                show(upper),
                citation,
            ),
            Step(
                "Total error rate",
                "TER = TPE / BV, compared with the 2 % materiality",
                f"{show(total)} / {show(bv)}",
                f"{show(total_rate)} ({'above' if total > te else 'not above'} 2 % = {show(te)})",
                TER_SOURCE,
            ),
            Step(
                "Upper limit rate",
                "ULE / BV, compared with the 2 % materiality",
                f"{show(upper)} / {show(bv)}",
                f"{show(upper_rate)} ({'above' if upper > te else 'not above'} 2 % = {show(te)})",
                tables.MATERIALITY_SOURCE,
            ),
        ]
    )
    return Projection(
        bv=bv,
        exhaustive=money(exhaustive),
        projected_random=money(projected),
        systemic=money(systemic),
        anomalous=money(anomalous),
        precision=precision,
        total=total,
        upper_limit=upper,
        total_rate=total_rate,
        upper_rate=upper_rate,
        tolerable=te,
        working=working,
    )


@precise
def mus_standard(
    results: Sequence[Result],
    bv: Decimal,
    bv_sampled: Decimal,
    confidence: int,
    *,
    systemic_extent: Decimal | None = None,
) -> Projection:
    """MUS standard approach, evaluation (guidance section 6.3.1.3; 2023/67 MUS standard approach).

    rᵢ = Eᵢ / BVᵢ (random errors; a unit hit k times counts k times), n_s the points of the sampled
    part; EE_s = BV_s / n_s × Σ rᵢ; s_r the standard deviation of the rᵢ (divisor n_s − 1);
    SE = z × BV_s / √n_s × s_r; ULE = TPE + SE.
    """
    high, sample = _split(results)
    z = tables.z_value(confidence)
    exhaustive, systemic, anomalous, working = _common(bv, high, sample, systemic_extent)
    rates = _expand(sample, [r.random_error / r.book_value for r in sample])
    n_s = len(rates)
    projected = bv_sampled / n_s * sum(rates, ZERO) if n_s else ZERO
    s_r = _std(rates)
    precision = z * bv_sampled / sqrt(Decimal(n_s)) * s_r if n_s else ZERO
    working.extend(
        [
            Step(
                "Projected random error",
                "EE_s = BV_s / n_s × Σ rᵢ, rᵢ = Eᵢ / BVᵢ",
                f"{show(bv_sampled)} / {n_s} × {show(sum(rates, ZERO))}",
                show(money(projected)),
                f"{GUIDANCE} section 6.3.1.3",
            ),
            Step(
                "Standard deviation of the error rates",
                "s_r = √(Σ (rᵢ − r̄)² / (n_s − 1))",
                f"{n_s} rates",
                show(rate(s_r)),
                f"{GUIDANCE} section 6.3.1.3",
            ),
            Step(
                "Precision",
                "SE = z × BV_s / √n_s × s_r",
                f"{show(z)} × {show(bv_sampled)} / √{n_s} × {show(rate(s_r))}",
                show(money(precision)),
                f"{GUIDANCE} section 6.3.1.3",
            ),
        ]
    )
    return _finish(
        bv, exhaustive, projected, systemic, anomalous, precision, working, f"{GUIDANCE} section 6.3.1.3"
    )


@precise
def mus_stratified(
    results: Sequence[Result],
    strata_of: Mapping[str, str],
    bv: Decimal,
    bv_sampled: Mapping[str, Decimal],
    confidence: int,
    *,
    systemic_extent: Decimal | None = None,
) -> Projection:
    """Stratified MUS and MUS in two periods, evaluation (guidance sections 6.3.2 and 6.3.3):
    EE_s = Σ_h BV_sh / n_h × Σ_{i∈h} rᵢ; SE = z × √(Σ_h (BV_sh / √n_h × s_rh)²)."""
    high, sample = _split(results)
    z = tables.z_value(confidence)
    exhaustive, systemic, anomalous, working = _common(bv, high, sample, systemic_extent)
    projected = ZERO
    variance = ZERO
    for name in sorted(bv_sampled):
        members = [r for r in sample if strata_of[r.key] == name]
        rates = _expand(members, [r.random_error / r.book_value for r in members])
        n_h = len(rates)
        if not n_h:
            continue
        ee_h = bv_sampled[name] / n_h * sum(rates, ZERO)
        s_h = _std(rates)
        projected += ee_h
        variance += (bv_sampled[name] / sqrt(Decimal(n_h)) * s_h) ** 2
        working.append(
            Step(
                f"Stratum {name}",
                "EE_h = BV_sh / n_h × Σ rᵢ; s_rh",
                f"{show(bv_sampled[name])} / {n_h} × {show(sum(rates, ZERO))}",
                f"EE_h = {show(money(ee_h))}, s_rh = {show(rate(s_h))}",
                f"{GUIDANCE} section 6.3.2",
            )
        )
    precision = z * sqrt(variance)
    working.append(
        Step(
            "Precision",
            "SE = z × √(Σ_h (BV_sh / √n_h × s_rh)²)",
            f"{show(z)} × √{show(money(variance))}",
            show(money(precision)),
            f"{GUIDANCE} section 6.3.2",
        )
    )
    return _finish(
        bv, exhaustive, projected, systemic, anomalous, precision, working, f"{GUIDANCE} section 6.3.2"
    )


@precise
def _poisson_cdf(k: int, mean: Decimal) -> Decimal:
    term = ONE
    total = ONE
    for j in range(1, k + 1):
        term = term * mean / j
        total += term
    return total * (-mean).exp()


@precise
def poisson_factor(errors: int, confidence: int) -> Decimal:
    """The reliability factor RF(k): the upper confidence limit of a Poisson mean when k errors are
    found, the λ with P(X ≤ k; λ) = 1 − CL, rounded up to two decimals as the guidance's table of
    the conservative approach gives them (section 6.3.4; for k = 0, −ln(1 − CL) =
    `tables.RELIABILITY_FACTORS`). Computed by bisection in `Decimal`."""
    if errors < 0 or not 0 < confidence < 100:
        raise SamplingInputError("errors ≥ 0 and 0 < CL < 100")
    alpha = ONE - Decimal(confidence) / 100
    low, high = ZERO, Decimal(errors * 3 + 30)
    for _ in range(200):
        middle = (low + high) / 2
        if _poisson_cdf(errors, middle) > alpha:
            low = middle
        else:
            high = middle
    return high.quantize(Decimal("0.01"), rounding=ROUND_CEILING)


@precise
def mus_conservative(
    results: Sequence[Result],
    bv: Decimal,
    bv_sampled: Decimal,
    n_sampled: int,
    confidence: int,
    *,
    systemic_extent: Decimal | None = None,
) -> Projection:
    """MUS conservative approach, evaluation (guidance section 6.3.4): SI = BV_s / n_s;
    tᵢ = Eᵢ / BVᵢ; EE_s = SI × Σ tᵢ; basic precision BP = SI × RF(0); the taintings in decreasing
    order, incremental allowance IA = Σ_k (RF(k) − RF(k−1) − 1) × SI × t_(k); SE = BP + IA;
    ULE = TPE + SE (the Poisson bound of the conservative approach)."""
    high, sample = _split(results)
    exhaustive, systemic, anomalous, working = _common(bv, high, sample, systemic_extent)
    if n_sampled <= 0:
        return _finish(bv, exhaustive, ZERO, systemic, anomalous, ZERO, working, f"{GUIDANCE} section 6.3.4")
    interval = bv_sampled / n_sampled
    taints = sorted(_expand(sample, [r.random_error / r.book_value for r in sample]), reverse=True)
    taints = [t for t in taints if t != 0]
    projected = interval * sum(taints, ZERO)
    rf0 = tables.reliability_factor(confidence)
    basic = interval * rf0
    allowance = ZERO
    parts = []
    previous = rf0
    for k, taint in enumerate(taints, start=1):
        factor = poisson_factor(k, confidence)
        allowance += (factor - previous - 1) * interval * taint
        parts.append(f"({show(factor)} − {show(previous)} − 1) × {show(rate(taint))}")
        previous = factor
    precision = basic + allowance
    working.extend(
        [
            Step(
                "Sampling interval",
                "SI = BV_s / n_s",
                f"{show(bv_sampled)} / {n_sampled}",
                show(money(interval)),
                f"{GUIDANCE} section 6.3.4",
            ),
            Step(
                "Projected random error",
                "EE_s = SI × Σ tᵢ",
                f"{show(money(interval))} × {show(sum(taints, ZERO))}",
                show(money(projected)),
                f"{GUIDANCE} section 6.3.4",
            ),
            Step(
                "Basic precision",
                "BP = SI × RF(0)",
                f"{show(money(interval))} × {show(rf0)}",
                show(money(basic)),
                tables.FACTORS_SOURCE,
            ),
            Step(
                "Incremental allowance",
                "IA = SI × Σ_k (RF(k) − RF(k−1) − 1) × t_(k)",
                f"{show(money(interval))} × ({' + '.join(parts) or '0'})",
                show(money(allowance)),
                f"{GUIDANCE} section 6.3.4",
            ),
            Step(
                "Precision",
                "SE = BP + IA",
                f"{show(money(basic))} + {show(money(allowance))}",
                show(money(precision)),
                f"{GUIDANCE} section 6.3.4",
            ),
        ]
    )
    return _finish(
        bv, exhaustive, projected, systemic, anomalous, precision, working, f"{GUIDANCE} section 6.3.4"
    )


@precise
def simple_random(
    results: Sequence[Result],
    units: int,
    bv: Decimal,
    confidence: int,
    *,
    estimator: str = "mean",
    systemic_extent: Decimal | None = None,
) -> Projection:
    """Simple random sampling (guidance section 6.1.3) and difference estimation (section 6.2.3).

    - mean-per-unit: EE = N × Σ Eᵢ / n; SE = z × N × s_e / √n;
    - ratio: R = Σ Eᵢ / Σ BVᵢ, EE = R × BV; qᵢ = Eᵢ − R × BVᵢ, SE = z × N × s_q / √n;
    - difference: EE = N × ē, the corrected book value CBV = BV − EE with its limits CBV ± SE,
      SE = z × N × s_e / √n (as mean-per-unit; ULE = EE + SE is the same bound as BV − (CBV − SE)).

    N is the number of units of the sampled part (the population less any 100 % stratum); the
    results of a 100 % stratum are counted at their amount.
    """
    if estimator not in ("mean", "ratio", "difference"):
        raise SamplingInputError(f"unknown estimator {estimator}")
    high, sample = _split(results)
    z = tables.z_value(confidence)
    exhaustive, systemic, anomalous, working = _common(bv, high, sample, systemic_extent)
    n = len(sample)
    section = "6.2.3" if estimator == "difference" else "6.1.3"
    if n == 0:
        return _finish(
            bv, exhaustive, ZERO, systemic, anomalous, ZERO, working, f"{GUIDANCE} section {section}"
        )
    errors = [r.random_error for r in sample]
    big_n = Decimal(units)
    if estimator == "ratio":
        bv_high = sum((r.book_value for r in high), ZERO)
        sample_bv = sum((r.book_value for r in sample), ZERO)
        ratio = sum(errors, ZERO) / sample_bv
        projected = ratio * (bv - bv_high)
        spread = _std([e - ratio * r.book_value for e, r in zip(errors, sample, strict=True)])
        working.append(
            Step(
                "Projected random error (ratio estimation)",
                "R = Σ Eᵢ / Σ BVᵢ; EE = R × BV_s",
                f"{show(sum(errors, ZERO))} / {show(sample_bv)} × {show(bv - bv_high)}",
                show(money(projected)),
                f"{GUIDANCE} section 6.1.3",
            )
        )
        symbol = "s_q"
    else:
        projected = big_n * sum(errors, ZERO) / n
        spread = _std(errors)
        working.append(
            Step(
                "Projected random error (difference estimation)"
                if estimator == "difference"
                else "Projected random error (mean per unit)",
                "EE = N × Σ Eᵢ / n",
                f"{units} × {show(sum(errors, ZERO))} / {n}",
                show(money(projected)),
                f"{GUIDANCE} section {section}",
            )
        )
        symbol = "s_e"
    precision = z * big_n * spread / sqrt(Decimal(n))
    working.append(
        Step(
            "Precision",
            f"SE = z × N × {symbol} / √n",
            f"{show(z)} × {units} × {show(money(spread))} / √{n}",
            show(money(precision)),
            f"{GUIDANCE} section {section}",
        )
    )
    if estimator == "difference":
        corrected = bv - projected
        working.append(
            Step(
                "Corrected book value",
                "CBV = BV − EE; limits CBV ± SE",
                f"{show(bv)} − {show(money(projected))}",
                f"{show(money(corrected))} ({show(money(corrected - precision))} to "
                f"{show(money(corrected + precision))})",
                f"{GUIDANCE} section 6.2.3",
            )
        )
    return _finish(
        bv, exhaustive, projected, systemic, anomalous, precision, working, f"{GUIDANCE} section {section}"
    )


@precise
def non_statistical(
    results: Sequence[Result], bv: Decimal, *, systemic_extent: Decimal | None = None
) -> Projection:
    """Non-statistical sampling, projection (guidance section 6.4): the error rate of the sampled
    part applied to the book value it stands for, EE = Σ Eᵢ / Σ BVᵢ × BV_s; no precision (a
    non-statistical sample has none), so ULE = TPE. 2021-2027: 2023/67 Art. 8(2) "For non-statistical
    sampling, the sampling precision and upper error limit shall not be calculated" — the ULE shown here
    equals the TPE and is not a statistical limit."""
    high, sample = _split(results)
    exhaustive, systemic, anomalous, working = _common(bv, high, sample, systemic_extent)
    bv_high = sum((r.book_value for r in high), ZERO)
    sample_bv = sum((r.book_value for r in sample), ZERO)
    errors = sum((r.random_error for r in sample), ZERO)
    projected = errors / sample_bv * (bv - bv_high) if sample_bv else ZERO
    working.append(
        Step(
            "Projected random error (non-statistical)",
            "EE = Σ Eᵢ / Σ BVᵢ × BV_s",
            f"{show(errors)} / {show(sample_bv)} × {show(bv - bv_high)}",
            show(money(projected)),
            tables.NON_STATISTICAL_SOURCE,
        )
    )
    return _finish(
        bv, exhaustive, projected, systemic, anomalous, ZERO, working, tables.NON_STATISTICAL_SOURCE
    )


@dataclass
class Subsample:
    error: Decimal
    working: list[Step]


@precise
def subsample(items: Sequence[tuple[Decimal, Decimal]], operation_value: Decimal) -> Subsample:
    """The error of an operation audited through a sub-sample of its expenditure items (2014-2020:
    Delegated Regulation (EU) No 480/2014 Art. 28(9); 2021-2027: 2023/67 Art. 7 and Art. 8(3), "the
    error of the sampling unit ... shall be the error extrapolated from subsampling units to the sampling
    unit of the main sample"): the sub-sample's error rate applied to the operation,
    Eᵢ = Σ e_j / Σ bv_j × BV_op (ratio estimator), to the cent. `items` are (book value, error)."""
    book = sum((b for b, _ in items), ZERO)
    errors = sum((e for _, e in items), ZERO)
    if book <= 0:
        raise SamplingInputError("the sub-sample has no book value")
    error = money(errors / book * operation_value)
    return Subsample(
        error,
        [
            Step(
                "Error of the operation from its sub-sample",
                "E_op = Σ e_j / Σ bv_j × BV_op",
                f"{show(errors)} / {show(book)} × {show(operation_value)}",
                show(error),
                tables.SUBSAMPLE_SOURCE,
            )
        ],
    )


@dataclass
class Residual:
    rate: Decimal
    working: list[Step]


@precise
def residual_rate(total: Decimal, corrections: Decimal, bv: Decimal) -> Residual:
    """Residual total error rate after the financial corrections the responsible authority applied
    for the year (guidance section 7 on the residual error rate; the annual control report,
    2014-2020 Regulation (EU) 2015/207 Annex IX, 2021-2027 Regulation (EU) 2021/1060 Annex XX):
    RTER = (TPE − FC) / (BV − FC), the corrections taken off the expenditure as well, so the rate
    relates to the expenditure that stays in the accounts. Corrections above the projected error
    leave a rate of zero."""
    if bv - corrections <= 0:
        raise SamplingInputError("the corrections take away the whole population")
    left = max(total - corrections, ZERO)
    value = rate(left / (bv - corrections))
    te = tables.MATERIALITY
    return Residual(
        value,
        [
            Step(
                "Residual total error rate",
                "RTER = (TPE − FC) / (BV − FC), compared with 2 %",
                f"({show(total)} − {show(corrections)}) / ({show(bv)} − {show(corrections)})",
                f"{show(value)} ({'above' if value > te else 'not above'} 2 %)",
                f"{GUIDANCE} section 7; {tables.MATERIALITY_SOURCE}",
            )
        ],
    )
