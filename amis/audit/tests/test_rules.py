"""The audit authority's plain rules, by hand: risk scores, the worst-category combination, the
suggested opinion, the key requirements per period."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from amis.audit import key_requirements, rules


def test_risk_score_and_level() -> None:
    factors = {"size": 5, "complexity": 4, "changes": 3, "previous_results": 4, "time_since_audit": 2}
    assert rules.risk_score(factors) == 18  # 5 + 4 + 3 + 4 + 2
    assert (
        rules.risk_level(18) == "high" and rules.risk_level(17) == "medium" and rules.risk_level(10) == "low"
    )
    assert rules.risk_problems(factors) == []
    assert rules.risk_problems({**factors, "size": 0}) == ["size: a whole number from 1 to 5"]
    assert rules.risk_problems({**factors, "weather": 1}) == ["unknown risk factor weather"]
    assert rules.risk_problems({**factors, "size": True}) == ["size: a whole number from 1 to 5"]


@given(st.lists(st.integers(min_value=1, max_value=4), min_size=1))
def test_a_body_is_never_better_than_its_weakest_requirement(categories: list[int]) -> None:
    overall = rules.body_category(categories)
    assert overall == max(categories)
    # one more requirement in a worse category never improves the body
    assert rules.body_category([*categories, 4]) == 4


def test_the_system_takes_the_worst_completed_body() -> None:
    assert rules.system_category([]) is None
    assert rules.system_category([None, None]) is None
    assert rules.system_category([1, 2, None]) == 2
    found = rules.assurance([("RA", 1), ("DA", 3)])
    assert (found.category, found.assurance) == (3, "average")


def test_suggested_opinion() -> None:
    assert rules.suggested_opinion(None) is None
    assert rules.suggested_opinion(1) == "unqualified"
    assert rules.suggested_opinion(2, Decimal("2.00")) == "unqualified"  # at materiality, not above
    assert rules.suggested_opinion(2, Decimal("2.01")) == "qualified"
    assert rules.suggested_opinion(3) == "qualified"
    assert rules.suggested_opinion(1, Decimal("5.5")) == "adverse"
    assert rules.suggested_opinion(4, Decimal("0")) == "adverse"


def test_key_requirements_per_period_cite_their_source_word_for_word() -> None:
    r2021 = key_requirements.requirements_for("2021-2027")
    r2014 = key_requirements.requirements_for("2014-2020")
    assert [kr.code for kr in r2021] == [f"KR{n}" for n in range(1, 16)]
    assert [kr.code for kr in r2014] == [f"KR{n}" for n in range(1, 19)]
    assert all(kr.source.startswith("Regulation (EU) 2021/1060, Annex XI") for kr in r2021)
    assert all(kr.source.startswith("Delegated Regulation (EU) No 480/2014, Annex IV") for kr in r2014)
    # checked against the texts (docs/audit-authority.md "Sources"): no label is a paraphrase any more
    assert not any(kr.paraphrased for kr in [*r2021, *r2014])
    # CPR Annex XI Table 1: KR9 is the managing authority's ("expenditure entered into the accounts is
    # legal and regular"), KR10 covers payment applications and the accounts (accounting function)
    kr9, kr10 = (
        key_requirements.requirement("2021-2027", "KR9"),
        key_requirements.requirement("2021-2027", "KR10"),
    )
    assert kr9 is not None and kr10 is not None
    assert kr9.function == key_requirements.MANAGEMENT and "legal and regular" in kr9.label
    assert (
        kr10.function == key_requirements.ACCOUNTING and "payment applications and of accounts" in kr10.label
    )
    assert key_requirements.CATEGORIES[1] == "Works well. No or only minor improvement needed."
    assert key_requirements.CATEGORIES_2014[1] == "Works well. No, or only minor improvement(s) needed."
    assert key_requirements.requirements_for("2028-2034") == []
    # a delegated authority: the managing functions only (KR1-KR9 since KR9 is the managing authority's);
    # the audit authority's own KRs never default
    assert key_requirements.default_codes("2021-2027", "delegated") == [f"KR{n}" for n in range(1, 10)]
    assert key_requirements.default_codes("2021-2027", "accounting") == ["KR10"]
    assert key_requirements.default_codes("2021-2027", "audit") == []
