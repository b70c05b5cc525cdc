"""Formula tests: small populations worked out by hand, the arithmetic written beside each figure."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from amis.sampling.rules import methods, projection, selection, tables
from amis.sampling.rules.methods import Unit
from amis.sampling.rules.projection import ANOMALOUS, SYSTEMIC, Result
from amis.sampling.rules.working import SamplingInputError


def test_tolerable_error_is_two_percent():
    te, step = methods.tolerable_error(D("1234567.89"))
    # 0.02 × 1 234 567.89 = 24 691.3578 → 24 691.36
    assert te == D("24691.36")
    assert step.formula == "TE = 2 % × BV"


def test_mus_standard_sample_size():
    result = methods.mus_standard_n(D("10000000"), D("0.05"), D("200000"), D("50000"), 80)
    # z(80 %) = 1.282; 1.282 × 10 000 000 × 0.05 = 641 000; / 150 000 = 4.27333…; squared 18.2614 → 19
    assert result.n == 19
    assert result.working[-1].substituted.endswith("= 18.2614")
    assert "6.3.1.2" in result.working[-1].citation


def test_mus_standard_refuses_te_not_above_ae():
    with pytest.raises(SamplingInputError):
        methods.mus_standard_n(D("1000"), D("0.1"), D("20"), D("20"), 80)


def test_high_value_stratum_iterated_until_stable():
    units = [Unit("L", D("50000"))] + [Unit(f"S{i}", D("1000")) for i in range(9)]
    design = methods.mus_standard_design(units, D("0.02"), D("1180"), D("0"), 90, minimum=1)
    # round 1: BV 59 000; 1.645 × 59 000 × 0.02 / 1 180 = 1.645; squared 2.706 → n 3;
    #          cut-off 19 666.67: L above
    # round 2: BV_s 9 000; 1.645 × 9 000 × 0.02 / 1 180 = 0.25093; squared 0.0630 → n_s 1;
    #          cut-off 9 000: none above
    assert [u.key for u in design.high_value] == ["L"]
    assert design.n_sampled == 1
    assert design.n == 2
    assert design.bv_sampled == D("9000")
    assert design.cutoff == D("9000.00")


def test_the_minimum_of_thirty_bounded_by_the_units_left():
    units = [Unit(f"S{i:02}", D("1000")) for i in range(12)]
    design = methods.mus_standard_design(units, D("0.02"), D("240"), D("0"), 60)
    # n = (0.842 × 12 000 × 0.02 / 240)² = 0.842² = 0.709 → 1, raised to 30, bounded by the 12 units
    assert design.n_sampled == 12


def test_mus_conservative_sample_size():
    result = methods.mus_conservative_n(D("1000000"), D("20000"), D("5000"), 90)
    # RF(90 %) = 2.31, EF(90 %) = 1.5: 1 000 000 × 2.31 / (20 000 − 5 000 × 1.5)
    #   = 2 310 000 / 12 500 = 184.8 → 185
    assert result.n == 185


def test_srs_sample_size():
    result = methods.srs_n(1000, D("100"), D("20000"), D("0"), 95)
    # 1.96 × 1 000 × 100 / 20 000 = 9.8; squared 96.04 → 97
    assert result.n == 97
    # with σe 500: 49² = 2 401 > N, so every unit
    assert methods.srs_n(1000, D("500"), D("20000"), D("0"), 95).n == 1000
    assert methods.srs_n(1000, D("100"), D("20000"), D("0"), 95, estimator="difference").n == 97


def test_two_period_split():
    design = methods.two_period_design(D("600000"), D("400000"), D("0.1"), D("0.1"), D("20000"), D("0"), 80)
    # σw = √(0.6 × 0.01 + 0.4 × 0.01) = 0.1; n = (1.282 × 1 000 000 × 0.1 / 20 000)² = 6.41² = 41.09 → 42
    # n1 = ⌈42 × 0.6⌉ = ⌈25.2⌉ = 26, n2 = 16
    assert (design.n, design.n1, design.n2) == (42, 26, 16)


def test_stratified_mus_weighted_sigma_and_allocation():
    strata = {
        "a": [Unit(f"a{i:03}", D("1000")) for i in range(600)],
        "b": [Unit(f"b{i:03}", D("1000")) for i in range(400)],
    }
    design = methods.mus_stratified_design(strata, {"a": D("0.2"), "b": D("0.1")}, D("20000"), D("0"), 80)
    # σw² = 0.6 × 0.04 + 0.4 × 0.01 = 0.028;
    # n = 1.282² × (1 000 000 / 20 000)² × 0.028 = 1.643524 × 2 500 × 0.028
    #     = 115.0467 → 116; cut-off 1 000 000 / 116 = 8 620.69, no unit above
    # allocation 116 × 0.6 = 69.6 and 116 × 0.4 = 46.4: floors 69 + 46,
    # the one left to the larger remainder (a)
    assert design.weighted_sigma.quantize(D("0.000001")) == D("0.167332")
    assert design.n == 116
    assert design.allocation == {"a": 70, "b": 46}


def test_non_statistical_size():
    units = [Unit(f"u{i:03}", D("10")) for i in range(120)]
    # 2014-2020: the share by category (Reg. 1303/2013 Art. 127(1) floor 5 % for category 1)
    assert methods.non_statistical_size(units, 1, "2014-2020").n == 6  # ⌈120 × 5 %⌉
    assert methods.non_statistical_size(units, 2, "2014-2020").n == 9  # ⌈120 × 7.5 %⌉
    with pytest.raises(SamplingInputError):
        methods.non_statistical_size([Unit(f"u{i:03}", D("10")) for i in range(300)], 1, "2021-2027")
    assert (
        methods.non_statistical_size([Unit(f"u{i:03}", D("10")) for i in range(300)], 1, "2014-2020").n == 15
    )


def test_non_statistical_size_2021_is_ten_percent_of_the_units_whatever_the_category():
    # Delegated Regulation (EU) 2023/67 Art. 6(1)-(2): fewer than 300 units, at least 10 % of them.
    # Before this correction the 2021-2027 default gave ⌈120 × 5 %⌉ = 6 for category 1 and
    # ⌈120 × 7.5 %⌉ = 9 for category 2.
    units = [Unit(f"u{i:03}", D("10")) for i in range(120)]
    for category in (1, 2, 3, 4):
        size = methods.non_statistical_size(units, category, "2021-2027")
        assert size.n == 12  # ⌈120 × 10 %⌉ = 12
        assert size.working[0].formula == "n = ⌈N × 10 %⌉"
    assert methods.non_statistical_size(units, 1).n == 12  # the default period is 2021-2027
    # 299 units, the largest population allowed: ⌈299 × 0.10⌉ = ⌈29.9⌉ = 30
    assert methods.non_statistical_size([Unit(f"u{i:03}", D("10")) for i in range(299)], 1).n == 30
    with pytest.raises(SamplingInputError):
        methods.non_statistical_size(units, 5, "2021-2027")
    with pytest.raises(SamplingInputError):
        methods.non_statistical_size(units, 1, "2007-2013")


def _design_with_three_high_value_units():
    # 1 000 units of 1 000 and 3 of 100 000: BV = 1 300 000, σr 0.20, TE 20 000, AE 0, CL 80 % (z 1.282)
    units = [Unit(f"u{i:04}", D("1000")) for i in range(1000)]
    units += [Unit(f"h{i}", D("100000")) for i in range(3)]
    return methods.mus_standard_design(units, D("0.2"), D("20000"), D("0"), 80)


def test_capped_sample_size_2021():
    design = _design_with_three_high_value_units()
    # round 1: n = (1.282 × 1 300 000 × 0.2 / 20 000)² = 16.666² = 277.76 → 278,
    #          cut-off 1 300 000 / 278 = 4 676.26: the three units of 100 000 are above;
    # round 2: n = (1.282 × 1 000 000 × 0.2 / 20 000)² = 12.82² = 164.35 → 165,
    #          cut-off 1 000 000 / 165 = 6 060.61: none above
    assert (design.n, design.n_sampled, len(design.high_value)) == (168, 165, 3)
    capped = methods.capped_design(design, 2, "2021-2027")
    # 2023/67 Art. 5(7): the high-value units count, n_s = min(165, 50 − 3) = 47, n = 50;
    # interval 1 000 000 / 47 = 21 276.595… → 21 276.60
    assert (capped.n, capped.n_sampled, len(capped.high_value)) == (50, 47, 3)
    assert capped.cutoff == D("21276.60")
    assert capped.working[-1].label == "Capped sample size"
    assert methods.capped_design(design, 1, "2021-2027").n == 50
    for category, period, proportionate in ((3, "2021-2027", False), (4, "2021-2027", False),
                                            (1, "2014-2020", False), (1, "2021-2027", True)):  # fmt: skip
        with pytest.raises(SamplingInputError):
            methods.capped_design(design, category, period, enhanced_proportionate=proportionate)


def test_capped_sample_size_leaves_a_small_design_alone_and_refuses_when_high_values_reach_the_cap():
    small = methods.mus_standard_design(
        [Unit(f"u{i:03}", D("1000")) for i in range(100)], D("0.1"), D("2000"), D("0"), 60
    )
    # n = (0.842 × 100 000 × 0.1 / 2 000)² = 4.21² = 17.72 → 18, raised to the minimum 30
    assert small.n == 30
    assert methods.capped_design(small, 1, "2021-2027") is small
    # 60 units of 100 000 and 1 000 of 10: every large unit is above any cut-off BV_s / n_s
    units = [Unit(f"h{i:02}", D("100000")) for i in range(60)] + [
        Unit(f"u{i:04}", D("10")) for i in range(1000)
    ]
    design = methods.mus_standard_design(units, D("0.2"), D("20000"), D("0"), 80)
    assert len(design.high_value) == 60
    with pytest.raises(SamplingInputError):
        methods.capped_design(design, 1, "2021-2027")


def test_stratified_mus_2021_has_at_least_three_units_per_random_stratum():
    strata = {
        "a": [Unit(f"a{i:03}", D("1000")) for i in range(990)],
        "b": [Unit(f"b{i:03}", D("1000")) for i in range(10)],
    }
    sigmas = {"a": D("0.2"), "b": D("0.2")}
    # σw² = 0.99 × 0.04 + 0.01 × 0.04 = 0.04, σw = 0.2;
    # n = (1.282 × 1 000 000 × 0.2 / 20 000)² = 12.82² = 164.3524 → 165, no unit above 6 060.61;
    # allocation 165 × 0.99 = 163.35 and 165 × 0.01 = 1.65: floors 163 + 1, the one left to b (.65 > .35)
    plain = methods.mus_stratified_design(strata, sigmas, D("20000"), D("0"), 80)
    assert (plain.n, plain.allocation) == (165, {"a": 163, "b": 2})
    # 2023/67 Art. 5(5): at least 3 units in each random stratum, b raised to min(3, 10) = 3, n = 166
    design = methods.mus_stratified_design(strata, sigmas, D("20000"), D("0"), 80, period="2021-2027")
    assert (design.n, design.allocation) == (166, {"a": 163, "b": 3})
    assert any(step.label == "At least 3 units in each random stratum" for step in design.working)
    # a stratum of 2 units keeps its 2 (all its units)
    strata["b"] = strata["b"][:2]
    design = methods.mus_stratified_design(strata, sigmas, D("20000"), D("0"), 80, period="2021-2027")
    assert design.allocation["b"] == 2


def test_subsample_size_and_projection():
    assert methods.subsample_size(500).n == 30
    assert methods.subsample_size(12).n == 12
    # 10 / (100 + 300) × 20 000 = 500
    assert projection.subsample([(D("100"), D("10")), (D("300"), D("0"))], D("20000")).error == D("500.00")


def _mus_results():
    return [
        Result("H", D("200000"), D("2000"), stratum="high"),
        Result("s1", D("10000"), D("1000")),  # r = 0.1
        Result("s2", D("20000"), D("0")),
        Result("s3", D("5000"), D("500")),  # r = 0.1
        Result("s4", D("40000"), D("0")),
    ]


def test_mus_standard_projection():
    p = projection.mus_standard(_mus_results(), D("1000000"), D("800000"), 80)
    # EE_e = 2 000; EE_s = 800 000 / 4 × (0.1 + 0 + 0.1 + 0) = 40 000
    # s_r: mean 0.05, squares 4 × 0.0025 = 0.01, / 3 → √0.003333 = 0.0577350
    # SE = 1.282 × 800 000 / √4 × 0.0577350 = 1.282 × 23 094.0108 = 29 606.52
    assert p.exhaustive == D("2000.00")
    assert p.projected_random == D("40000.00")
    assert p.precision == D("29606.52")
    assert p.total == D("42000.00")
    assert p.upper_limit == D("71606.52")
    assert p.total_rate == D("0.042000")
    assert p.tolerable == D("20000.00")
    assert p.material and p.upper_above_materiality
    assert any("6.3.1.3" in s.citation for s in p.working)


def test_systemic_and_anomalous_errors_are_not_projected():
    results = [*_mus_results()[:4], Result("s4", D("40000"), D("300"), kind=SYSTEMIC)]
    p = projection.mus_standard(results, D("1000000"), D("800000"), 80)
    assert p.projected_random == D("40000.00")  # the systemic error's rate counts as 0
    assert p.systemic == D("300.00")
    assert p.total == D("42300.00")
    delimited = projection.mus_standard(results, D("1000000"), D("800000"), 80, systemic_extent=D("5000"))
    assert delimited.systemic == D("5000.00")
    results[-1] = Result("s4", D("40000"), D("300"), kind=ANOMALOUS)
    anomalous = projection.mus_standard(results, D("1000000"), D("800000"), 80)
    assert (anomalous.anomalous, anomalous.total) == (D("300.00"), D("42300.00"))


def test_unit_hit_twice_counts_twice():
    results = [Result("s1", D("10000"), D("1000"), hits=2), Result("s2", D("10000"), D("0"), hits=2)]
    p = projection.mus_standard(results, D("100000"), D("100000"), 80)
    # 4 points, rates 0.1, 0.1, 0, 0: EE = 100 000 / 4 × 0.2 = 5 000
    assert p.projected_random == D("5000.00")


def test_stratified_projection():
    results = [
        Result("a1", D("1000"), D("100")),
        Result("a2", D("1000"), D("0")),
        Result("b1", D("500"), D("0")),
    ]
    strata = {"a1": "a", "a2": "a", "b1": "b"}
    p = projection.mus_stratified(results, strata, D("300000"), {"a": D("200000"), "b": D("100000")}, 80)
    # a: 200 000 / 2 × (0.1 + 0) = 10 000; s_a = √((0.05² + 0.05²) / 1) = 0.0707107
    # b: 100 000 / 1 × 0 = 0 (one unit: s = 0)
    # SE = 1.282 × √((200 000 / √2 × 0.0707107)²) = 1.282 × 10 000 = 12 820
    assert p.projected_random == D("10000.00")
    assert p.precision == D("12820.00")


def test_conservative_projection_and_poisson_factors():
    assert [projection.poisson_factor(k, 95) for k in range(3)] == [D("3.00"), D("4.75"), D("6.30")]
    for confidence, factor in tables.RELIABILITY_FACTORS.items():
        assert projection.poisson_factor(0, confidence) == factor
    results = [Result("u1", D("2000"), D("1000")), Result("u2", D("5000"), D("1000"))]
    results += [Result(f"z{i}", D("3000")) for i in range(8)]
    p = projection.mus_conservative(results, D("100000"), D("100000"), 10, 95)
    # SI = 100 000 / 10 = 10 000; taints 0.5, 0.2 → EE = 10 000 × 0.7 = 7 000
    # BP = 10 000 × 3.00 = 30 000; IA = (4.75 − 3.00 − 1) × 10 000 × 0.5 + (6.30 − 4.75 − 1) × 10 000 × 0.2
    #    = 3 750 + 1 100 = 4 850; SE = 34 850; ULE = 7 000 + 34 850 = 41 850
    assert p.projected_random == D("7000.00")
    assert p.precision == D("34850.00")
    assert p.upper_limit == D("41850.00")


def _srs_results():
    return [
        Result("u1", D("1000"), D("100")),
        Result("u2", D("2000"), D("0")),
        Result("u3", D("500"), D("50")),
        Result("u4", D("500"), D("50")),
    ]


def test_mean_per_unit_projection():
    p = projection.simple_random(_srs_results(), 100, D("200000"), 90)
    # EE = 100 × 200 / 4 = 5 000; s_e: mean 50, squares 2 500 + 2 500 + 0 + 0 = 5 000, / 3 → s_e = 40.8248
    # SE = 1.645 × 100 × 40.824829 / √4 = 3 357.84
    assert p.projected_random == D("5000.00")
    assert p.precision == D("3357.84")
    assert p.upper_limit == D("8357.84")


def test_ratio_projection():
    p = projection.simple_random(_srs_results(), 100, D("200000"), 90, estimator="ratio")
    # R = 200 / 4 000 = 0.05; EE = 0.05 × 200 000 = 10 000
    # q = 100 − 50, 0 − 100, 50 − 25, 50 − 25 = 50, −100, 25, 25;
    # Σq² = 13 750, / 3 = 4 583.33 → s_q = 67.70032
    # SE = 1.645 × 100 × 67.70032 / 2 = 11 136.70 / 2 = 5 568.35
    assert p.projected_random == D("10000.00")
    assert p.precision == D("5568.35")


def test_difference_projection():
    p = projection.simple_random(_srs_results(), 100, D("200000"), 90, estimator="difference")
    # EE = N × ē = 100 × 50 = 5 000; CBV = 200 000 − 5 000 = 195 000; SE as mean per unit
    assert p.projected_random == D("5000.00")
    assert p.precision == D("3357.84")
    assert "195000.00" in p.working[-5].result


def test_non_statistical_projection():
    results = [Result("u1", D("10000"), D("500")), Result("u2", D("10000"), D("0"))]
    p = projection.non_statistical(results, D("100000"))
    # 500 / 20 000 = 2.5 %; × 100 000 = 2 500; no precision
    assert p.projected_random == D("2500.00")
    assert p.precision == D("0.00")
    assert p.upper_limit == p.total == D("2500.00")


def test_residual_rate_after_corrections():
    r = projection.residual_rate(D("42000"), D("12000"), D("1000000"))
    # (42 000 − 12 000) / (1 000 000 − 12 000) = 30 000 / 988 000 = 0.0303644
    assert r.rate == D("0.030364")
    assert projection.residual_rate(D("1000"), D("5000"), D("1000000")).rate == D("0")


def test_population_nets_lines_and_leaves_out_negative_units():
    population = selection.build_population(
        [("op-2", D("100")), ("op-1", D("50")), ("op-2", D("-30")), ("op-3", D("-10")), ("op-4", D("0"))]
    )
    assert [(u.key, u.value) for u in population.units] == [("op-1", D("50")), ("op-2", D("70"))]
    assert [u.key for u in population.excluded] == ["op-3", "op-4"]
    assert population.bv == D("120")
    assert population.lines == 5


def test_systematic_selection_one_per_interval():
    units = [Unit(k, D("25")) for k in "abcd"]
    chosen = selection.systematic_pps([Unit("H", D("1000"))], units, 2, seed=7)
    # SI = 100 / 2 = 50; points s and s + 50 with 0 ≤ s < 50: one of a, b then the one 50 further (c or d)
    assert chosen.interval == D("50")
    assert chosen.keys[0] == "H"
    first, second = chosen.keys[1:]
    assert (first, second) in (("a", "c"), ("b", "d"))
    assert (
        chosen.keys == selection.systematic_pps([Unit("H", D("1000"))], list(reversed(units)), 2, seed=7).keys
    )
