"""Desk verification and on-the-spot sampling — plain rules, with hypothesis where there is arithmetic."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from amis.verification import rules, sampling

CATEGORIES = ("staff", "travel", "other")
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("50000"), places=2)
AGREEMENT = rules.AgreementFigures(
    budget={"staff": Decimal("100000.00"), "travel": Decimal("10000.00"), "other": Decimal("20000.00")},
    tolerance=Decimal("0.10"),
    eu_rate=Decimal("0.7500"),
    max_grant=Decimal("104325.00"),
    indirect_rate=Decimal("0.07"),
)


@st.composite
def decided_lines(draw: st.DrawFn) -> rules.LineDecision:
    declared = draw(amounts)
    decision = draw(st.sampled_from(rules.DECISIONS))
    kept = None
    if decision == rules.REDUCED:
        kept = (
            draw(st.decimals(min_value=Decimal("0"), max_value=declared - Decimal("0.01"), places=2))
            if declared > Decimal("0.01")
            else Decimal("0.00")
        )
    return rules.LineDecision(draw(st.sampled_from(CATEGORIES)), declared, decision, kept, "reason")


@settings(max_examples=200)
@given(
    st.lists(decided_lines(), max_size=60), st.decimals(min_value=0, max_value=Decimal("120000"), places=2)
)
def test_declared_is_eligible_plus_ineligible_plus_reduced_and_eu_never_above_the_grant(
    lines: list[rules.LineDecision], eu_before: Decimal
) -> None:
    result = rules.verify_claim(lines, AGREEMENT, eu_verified_before=eu_before)
    assert result.declared == result.eligible_by_decision + result.ineligible + result.reduced
    assert result.verified == sum(result.verified_by_category.values(), Decimal("0.00"))
    assert result.eu_share <= max(AGREEMENT.max_grant - eu_before, Decimal("0"))
    assert result.eu_share >= 0
    direct = sum((v for k, v in result.verified_by_category.items() if k != "indirect"), Decimal("0.00"))
    assert direct <= sum(AGREEMENT.budget.values(), Decimal("0.00"))
    assert direct <= result.eligible_by_decision


def test_the_working_shows_the_ceiling_and_the_recomputed_flat_rate() -> None:
    lines = [
        rules.LineDecision("travel", Decimal("12000.00")),
        rules.LineDecision("staff", Decimal("1000.00")),
    ]
    result = rules.verify_claim(lines, AGREEMENT)
    assert result.verified_by_category["travel"] == Decimal("11000.00")  # 10,000 + 10 % tolerance
    assert result.verified_by_category["indirect"] == Decimal("840.00")  # 7 % of 12,000
    assert [s.rule for s in result.steps] == ["category_ceiling", "flat_rate"]
    assert result.eu_share == Decimal("9630.00")


def test_a_decision_needs_its_reason_and_a_reduction_its_amount() -> None:
    assert rules.line_problem(rules.LineDecision("staff", Decimal("10"), rules.INELIGIBLE)) is not None
    assert (
        rules.line_problem(rules.LineDecision("staff", Decimal("10"), rules.REDUCED, None, "x")) is not None
    )
    assert (
        rules.line_problem(rules.LineDecision("staff", Decimal("10"), rules.REDUCED, Decimal("12"), "x"))
        is not None
    )
    assert (
        rules.line_problem(rules.LineDecision("staff", Decimal("10"), rules.REDUCED, Decimal("4.50"), "x"))
        is None
    )


candidates = st.lists(
    st.builds(
        sampling.Candidate,
        reference=st.text(alphabet="ABCDEFGH0123456789", min_size=3, max_size=6),
        eu_contribution=amounts,
        factors=st.fixed_dictionaries(
            {f: st.decimals(min_value=0, max_value=1, places=2) for f in sampling.FACTORS}
        ),
        closed=st.booleans(),
        under_implementation=st.booleans(),
    ),
    max_size=40,
    unique_by=lambda c: c.reference,
)
WEIGHTS = {
    "size": Decimal("3"),
    "earlier_findings": Decimal("2"),
    "ineligible_share": Decimal("2"),
    "procurement": Decimal("1"),
}


@settings(max_examples=100)
@given(candidates, st.integers(0, 5), st.integers(0, 5), st.integers(0, 2**31))
def test_the_same_seed_and_data_give_the_same_sample_whatever_the_order(
    found: list[sampling.Candidate], risk: int, drawn: int, seed: int
) -> None:
    first = sampling.select(found, WEIGHTS, risk, drawn, seed)
    again = sampling.select(list(reversed(found)), WEIGHTS, risk, drawn, seed)
    assert first.selected == again.selected
    assert len(set(first.selected)) == len(first.selected) == min(len(found), risk + drawn)
    top = sorted(first.scores.values(), reverse=True)[:risk]
    assert sorted((first.scores[r] for r in first.risk_based), reverse=True) == top


def test_coverage_against_the_2014_2020_minimums() -> None:
    found = [
        sampling.Candidate("P1", Decimal("100000"), {}, closed=True, under_implementation=False),
        sampling.Candidate("P2", Decimal("900000"), {}, closed=True, under_implementation=False),
        *[sampling.Candidate(f"R{i}", Decimal("1000"), {}) for i in range(10)],
    ]
    cover = sampling.coverage(found, ["P1", "R1"], "2014-2020")
    assert cover.financial_share == Decimal("0.1000") and cover.financial_met
    assert cover.operational_share == Decimal("0.1000") and not cover.operational_met
    assert sampling.coverage(found, [], "2021-2027").operational_met
