"""Minimum shares (516/2014 Art. 15(1)(a)), the TA ceiling (514/2014 Art. 20) and co-financing ceilings."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from amis.programme.rules.cofinancing import ActionType, check_eu_share, maximum_rate
from amis.programme.rules.financing import plan_from_document
from amis.programme.rules.money import format_money
from amis.programme.rules.parameters import AMIF_2014_2020, AMIF_2021_2027, rules_for
from amis.programme.rules.shares import check_minimum_shares, check_technical_assistance, share_of

cents = st.integers(min_value=1, max_value=10**10)


def _doc(so1: int, so2: int, so3: int, ta: int = 0, special: int = 0) -> dict:
    def money(c: int) -> str:
        return format_money(Decimal(c) / 100)  # type: ignore[return-value]

    return {
        "specific_objectives": [
            {"code": "SO1", "national_objectives": [{"code": "NO1", "amount": money(so1)}]},
            {"code": "SO2", "national_objectives": [{"code": "NO1", "amount": money(so2)}]},
            {"code": "SO3", "national_objectives": [{"code": "NO1", "amount": money(so3)}]},
        ],
        "technical_assistance": money(ta),
        "special_cases": {"types": [{"code": "r", "annual_amounts": {"2016": money(special)}}]},
    }


@given(cents, cents, cents, st.integers(0, 10**9), st.integers(0, 10**10))
def test_minimum_share_error_exactly_when_below_20_percent(
    so1: int, so2: int, so3: int, ta: int, special: int
) -> None:
    plan = plan_from_document(_doc(so1, so2, so3, ta, special))
    basic = Decimal(so1 + so2 + so3 + ta) / 100
    findings = check_minimum_shares(plan, AMIF_2014_2020.minimum_shares, justification="")
    expected = [
        code
        for code, amount in (("SO1", so1), ("SO2", so2))
        if Decimal(amount) / 100 / basic < Decimal("0.20")
    ]
    assert [f.code for f in findings] == [f"SHARE.{c}" for c in expected]
    assert all(f.severity == "error" for f in findings)
    assert share_of(plan, "SO1") == Decimal(so1) / 100 / basic


def test_justification_turns_the_share_error_into_a_warning() -> None:
    plan = plan_from_document(_doc(100, 1000, 1000))
    findings = check_minimum_shares(plan, AMIF_2014_2020.minimum_shares, justification="Structural reasons.")
    assert [(f.severity, f.code) for f in findings] == [("warning", "SHARE.SO1")]
    assert "Art. 15(1)(a)" in findings[0].reference


def test_exactly_20_percent_is_enough() -> None:
    plan = plan_from_document(_doc(2000, 2000, 6000))
    assert check_minimum_shares(plan, AMIF_2014_2020.minimum_shares, justification="") == []


@given(st.integers(0, 10**11), st.integers(1, 10**11))
def test_technical_assistance_ceiling_is_5_5_percent_plus_500000(ta: int, rest: int) -> None:
    plan = plan_from_document(_doc(rest, 0, 0, ta))
    limit = plan.total * Decimal("0.055") + Decimal("500000.00")
    findings = check_technical_assistance(plan, AMIF_2014_2020.technical_assistance)
    assert bool(findings) == (plan.technical_assistance > limit)  # type: ignore[operator]


def test_periods_have_their_own_minimum_shares() -> None:
    assert [m.share for m in rules_for("AMIF", "2021-2027").minimum_shares] == [Decimal("0.15")] * 2
    assert rules_for("ISF", "2014-2020").minimum_shares == []


@given(st.integers(1, 10**10), st.integers(0, 10**10), st.sampled_from(list(ActionType)))
def test_eu_share_within_ceiling(cost_cents: int, eu_cents: int, action_type: ActionType) -> None:
    cost, eu = Decimal(cost_cents) / 100, Decimal(eu_cents) / 100
    for ceilings in (AMIF_2014_2020.co_financing, AMIF_2021_2027.co_financing):
        assert ceilings is not None
        findings = check_eu_share(
            eu_contribution=eu, eligible_cost=cost, ceilings=ceilings, action_type=action_type
        )
        assert bool(findings) == (eu > cost * maximum_rate(ceilings, action_type))


def test_cofinancing_rates_by_action_type() -> None:
    c = AMIF_2014_2020.co_financing
    assert c is not None
    assert maximum_rate(c, ActionType.STANDARD) == Decimal("0.75")
    assert maximum_rate(c, ActionType.SPECIFIC_ACTION) == Decimal("0.90")
    findings = check_eu_share(
        eu_contribution=Decimal("75.01"),
        eligible_cost=Decimal("100.00"),
        ceilings=c,
        action_type=ActionType.STANDARD,
    )
    assert findings[0].code == "COFIN.RATE" and "75.01 %" in findings[0].message
    assert (
        check_eu_share(
            eu_contribution=Decimal("-1"),
            eligible_cost=Decimal("1"),
            ceilings=c,
            action_type=ActionType.STANDARD,
        )[0].code
        == "COFIN.NEGATIVE"
    )
