"""Properties of the sampling rules (hypothesis)."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from amis.sampling.rules import methods, projection, selection
from amis.sampling.rules.methods import Unit
from amis.sampling.rules.projection import Result

money = st.decimals(min_value=D("1000.00"), max_value=D("100000000.00"), places=2)
sigma = st.decimals(min_value=D("0.01"), max_value=D("2.00"), places=4)
confidence = st.sampled_from([60, 70, 80, 90, 95])
units = st.lists(
    st.decimals(min_value=D("0.01"), max_value=D("5000000.00"), places=2), min_size=1, max_size=60
).map(lambda values: [Unit(f"op-{i:04}", v) for i, v in enumerate(values)])


@settings(max_examples=150, deadline=None)
@given(bv=money, more=money, s=sigma, cl=confidence)
def test_mus_size_never_falls_as_bv_rises(bv, more, s, cl):
    te, ae = D("1000.00"), D("100.00")
    assert methods.mus_standard_n(bv + more, s, te, ae, cl).n >= methods.mus_standard_n(bv, s, te, ae, cl).n
    assert methods.mus_conservative_n(bv + more, te, ae, cl).n >= methods.mus_conservative_n(bv, te, ae, cl).n


@settings(max_examples=150, deadline=None)
@given(bv=money, s=sigma, more=sigma, cl=confidence)
def test_mus_size_never_falls_as_sigma_rises(bv, s, more, cl):
    te, ae = bv * D("0.02"), bv * D("0.005")
    assert methods.mus_standard_n(bv, s + more, te, ae, cl).n >= methods.mus_standard_n(bv, s, te, ae, cl).n
    assert methods.srs_n(10**6, s + more, te, ae, cl).n >= methods.srs_n(10**6, s, te, ae, cl).n


@settings(max_examples=150, deadline=None)
@given(bv=money, s=sigma, cl=confidence, share=st.decimals(min_value=D("0"), max_value=D("0.99"), places=2))
def test_mus_size_never_falls_as_te_minus_ae_shrinks(bv, s, cl, share):
    te = bv * D("0.02")
    ae_small = te * share / 2
    ae_large = te * share
    assert (
        methods.mus_standard_n(bv, s, te, ae_large, cl).n >= methods.mus_standard_n(bv, s, te, ae_small, cl).n
    )
    if te - ae_large * D("1.9") > 0:
        assert (
            methods.mus_conservative_n(bv, te, ae_large, cl).n
            >= methods.mus_conservative_n(bv, te, ae_small, cl).n
        )


@settings(max_examples=100, deadline=None)
@given(population=units, s=sigma, cl=confidence, seed=st.integers(min_value=0, max_value=2**63))
def test_every_high_value_unit_is_selected(population, s, cl, seed):
    bv = sum((u.value for u in population), D(0))
    te = bv * D("0.02")
    design = methods.mus_standard_design(population, s, te, D(0), cl, minimum=1)
    chosen = selection.systematic_pps(design.high_value, design.rest, design.n_sampled, seed)
    keys = set(chosen.keys)
    assert {u.key for u in design.high_value} <= keys
    # no unit left in the sampled part is above the final cut-off
    assert (
        all(u.value <= design.bv_sampled / design.n_sampled for u in design.rest)
        if design.n_sampled
        else True
    )
    assert sum(p.hits for p in chosen.picks if p.stratum == "sample") == design.n_sampled


@settings(max_examples=100, deadline=None)
@given(population=units, seed=st.integers(min_value=0, max_value=2**63), cl=confidence)
def test_no_errors_means_no_projected_error(population, seed, cl):
    bv = sum((u.value for u in population), D(0))
    n = min(len(population), 5)
    chosen = selection.systematic_pps([], population, n, seed)
    results = [Result(p.unit.key, p.unit.value, hits=p.hits) for p in chosen.picks]
    for p in (
        projection.mus_standard(results, bv, bv, cl),
        projection.mus_conservative(results, bv, bv, n, cl),
        projection.simple_random(results, len(population), bv, cl),
        projection.simple_random(results, len(population), bv, cl, estimator="ratio"),
        projection.non_statistical(results, bv),
    ):
        assert p.projected_random == 0
        assert p.total == 0


@settings(max_examples=100, deadline=None)
@given(population=units, seed=st.integers(min_value=0, max_value=2**63), data=st.data())
def test_a_fixed_seed_gives_the_same_sample(population, seed, data):
    n = data.draw(st.integers(min_value=0, max_value=len(population)))
    shuffled = data.draw(st.permutations(population))
    first = selection.systematic_pps([], population, n, seed)
    again = selection.systematic_pps([], shuffled, n, seed)
    assert [(p.unit, p.hits) for p in first.picks] == [(p.unit, p.hits) for p in again.picks]
    assert (
        selection.simple_random(population, n, seed).keys == selection.simple_random(shuffled, n, seed).keys
    )
