"""The plain rules of the public list (no database)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from amis.public import rules


def test_a_natural_person_is_never_named() -> None:
    assert rules.beneficiary_name("Caritas vzw", "ngo", natural_person=False) == "Caritas vzw"
    assert rules.beneficiary_name("Jan Janssens", "partner", natural_person=True) == ""


@given(
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1000000"), places=2),
    st.decimals(min_value=Decimal("0"), max_value=Decimal("1"), places=4),
)
def test_eu_rate_is_the_share_of_the_cost(total: Decimal, share: Decimal) -> None:
    eu = (total * share).quantize(Decimal("0.01"))
    rate = rules.eu_rate(eu, total)
    assert rate is not None and Decimal("0") <= rate <= Decimal("1")
    assert abs(rate * total - eu) <= total * Decimal("0.00005") + Decimal("0.01")


def test_no_rate_without_a_cost() -> None:
    assert rules.eu_rate(Decimal("10"), Decimal("0")) is None


def test_location() -> None:
    assert rules.location_problem("2800", "Mechelen", "BE21", False, "") is None
    assert rules.location_problem("", "", "", True, "Mobile team") is None
    assert rules.location_problem("", "", "", True, " ") is not None
    assert rules.location_problem("", "", "", False, "") is not None
    assert rules.location_problem("", "", "be21", False, "") is not None
    assert rules.location_problem("", "", "B-21", False, "") is not None
