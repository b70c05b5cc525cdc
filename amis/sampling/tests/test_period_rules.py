"""The plain rules added for the pages: the two-period design's minimum, period 2's size once its
expenditure is known, and the fixed-points design of a period (no database)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from amis.sampling.rules import methods
from amis.sampling.rules.working import SamplingInputError


def test_two_period_minimum_before_the_split() -> None:
    # BV = 100 000, TE = 2 000, σ = 0.01, 70 %: n = (1.036 × 100 000 × 0.01 / 2 000)² = 0.518² = 0.27 → 1,
    # raised to 30; n1 = ⌈30 × 40 000 / 100 000⌉ = 12, n2 = 18
    design = methods.two_period_design(
        D("40000"), D("60000"), D("0.01"), D("0.01"), D("2000"), D("0"), 70, minimum=30
    )
    assert (design.n, design.n1, design.n2) == (30, 12, 18)
    assert any(s.label == "Sample size within bounds" for s in design.working)
    assert (
        methods.two_period_design(D("40000"), D("60000"), D("0.01"), D("0.01"), D("2000"), D("0"), 70).n == 1
    )


def test_second_period_size_with_the_actual_bv2() -> None:
    # BV1 = 400 000, actual BV2 = 500 000, σr 0.10 / 0.20, TE 18 000, 70 %:
    # σw² = 4/9 × 0.01 + 5/9 × 0.04 = 0.026667; n = 51.8² × 0.026667 = 71.55 → 72; n2 = 72 − 31 = 41
    design = methods.two_period_second(
        D("400000"), D("500000"), D("0.10"), D("0.20"), D("18000"), D("0"), 70, 31, minimum=30
    )
    assert (design.n, design.n1, design.n2) == (72, 31, 41)
    assert design.working[-1].label == "Second period's size with the actual BV2"
    # a period 2 far below its forecast still gets one point: n = 30 (the minimum) < n1 = 40
    small = methods.two_period_second(
        D("400000"), D("1000"), D("0.10"), D("0.20"), D("8020"), D("0"), 70, 40, minimum=30
    )
    assert small.n2 == 1


def test_fixed_points_design_takes_out_the_high_value_units() -> None:
    units = [methods.Unit("A", D("50000")), *(methods.Unit(f"U{i:02}", D("1000")) for i in range(50))]
    # 10 points over 100 000: cut-off 10 000, A above; then 50 000 / 10 = 5 000, none above
    design = methods.fixed_points_design(units, 10)
    assert [u.key for u in design.high_value] == ["A"]
    assert (design.n_sampled, design.bv_sampled, design.cutoff) == (10, D("50000"), D("5000.00"))
    # more points than units left: bounded by the units
    assert methods.fixed_points_design(units[1:6], 9).n_sampled == 5
    with pytest.raises(SamplingInputError):
        methods.fixed_points_design(units, -1)
