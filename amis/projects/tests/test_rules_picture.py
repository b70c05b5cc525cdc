"""The financial picture's payments per category: the largest-remainder sharing and `allocate_paid`
(plain rules, no database)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from amis.core.money import ZERO
from amis.projects import rules

D = Decimal


def test_three_equal_weights_share_a_hundred_euros_to_the_cent() -> None:
    shares = rules.largest_remainder(D("100.00"), {"staff": D("1"), "travel": D("1"), "other": D("1")})
    # 33.33 each would leave a cent out; the cent goes to one key, by key order on a full tie
    assert shares == {"other": D("33.34"), "staff": D("33.33"), "travel": D("33.33")}
    assert sum(shares.values(), ZERO) == D("100.00")


def test_the_missing_cents_go_to_the_largest_remainders() -> None:
    # exact shares 0.0166.., 0.0333.., 0.0500: floors 1, 3, 5 cents (9); the missing cent goes to
    # the largest remainder (staff's .66 of a cent), not to the largest weight
    shares = rules.largest_remainder(D("0.10"), {"staff": D("1"), "travel": D("2"), "other": D("3")})
    assert shares == {"staff": D("0.02"), "travel": D("0.03"), "other": D("0.05")}


def test_a_tie_of_remainders_goes_to_the_larger_weight() -> None:
    # 0.01 over weights 1 and 1.0001 is a near tie: the larger weight has the larger remainder
    shares = rules.largest_remainder(D("0.01"), {"a": D("1"), "b": D("1.0001")})
    assert shares == {"a": D("0.00"), "b": D("0.01")}


def test_nothing_to_share_pro_rata_to() -> None:
    assert rules.largest_remainder(D("50.00"), {}) == {}
    assert rules.largest_remainder(D("50.00"), {"staff": ZERO, "travel": D("-5")}) == {
        "staff": ZERO,
        "travel": ZERO,
    }
    assert rules.largest_remainder(ZERO, {"staff": D("3")}) == {"staff": ZERO}


def test_one_weight_takes_all_and_negative_weights_take_nothing() -> None:
    assert rules.largest_remainder(D("12.34"), {"staff": D("7"), "travel": D("-2")}) == {
        "staff": D("12.34"),
        "travel": ZERO,
    }


def test_a_negative_amount_is_shared_as_its_opposite() -> None:
    shares = rules.largest_remainder(D("-100.00"), {"a": D("1"), "b": D("1"), "c": D("1")})
    assert sorted(shares.values()) == [D("-33.34"), D("-33.33"), D("-33.33")]


@given(
    amount=st.decimals(min_value=D("-1000000.00"), max_value=D("10000000.00"), places=2),
    weights=st.dictionaries(
        st.sampled_from(["staff", "travel", "equipment", "other", "indirect"]),
        st.decimals(min_value=D("-1000.00"), max_value=D("5000000.00"), places=4),
        min_size=1,
    ),
)
def test_shares_add_up_to_the_cent_and_stay_within_a_cent_of_pro_rata(
    amount: Decimal, weights: dict[str, Decimal]
) -> None:
    shares = rules.largest_remainder(amount, weights)
    assert set(shares) == set(weights)
    positive = sum((w for w in weights.values() if w > 0), ZERO)
    if positive == 0:
        assert all(s == 0 for s in shares.values())
        return
    assert sum(shares.values(), ZERO) == amount
    for key, share in shares.items():
        assert share == share.quantize(D("0.01"))
        exact = amount * max(weights[key], ZERO) / positive
        assert abs(share - exact) < D("0.01")


def test_payments_are_shared_pro_rata_to_what_each_category_earned() -> None:
    earned = {"staff": D("600.00"), "travel": D("300.00"), "other": D("100.00")}
    shares = rules.allocate_paid(D("500.00"), ZERO, earned)
    assert shares.paid == {"staff": D("300.00"), "travel": D("150.00"), "other": D("50.00")}
    assert shares.recovered == {"staff": ZERO, "travel": ZERO, "other": ZERO}


def test_prefinancing_before_anything_is_verified_is_not_invented_into_categories() -> None:
    shares = rules.allocate_paid(D("96300.00"), ZERO, {})
    assert shares.paid == {rules.UNCLEARED: D("96300.00")}
    # verified with nothing left after corrections: still nothing earned
    shares = rules.allocate_paid(D("96300.00"), ZERO, {"staff": ZERO, "travel": D("-100.00")})
    assert shares.paid == {"staff": ZERO, "travel": ZERO, rules.UNCLEARED: D("96300.00")}


def test_prefinancing_beyond_what_is_verified_stays_uncleared_and_recoveries_take_it_back_first() -> None:
    earned = {"staff": D("20000.00"), "travel": D("10000.00")}
    shares = rules.allocate_paid(D("40000.00"), ZERO, earned)
    assert shares.paid == {"staff": D("20000.00"), "travel": D("10000.00"), rules.UNCLEARED: D("10000.00")}
    # the balance was below the pre-financing: EUR 10,000 recovered, from the uncleared part
    shares = rules.allocate_paid(D("40000.00"), D("10000.00"), earned)
    assert shares.recovered == {"staff": ZERO, "travel": ZERO, rules.UNCLEARED: D("10000.00")}
    # more recovered than was uncleared: the rest pro rata
    shares = rules.allocate_paid(D("40000.00"), D("13000.00"), earned)
    assert shares.recovered == {"staff": D("2000.00"), "travel": D("1000.00"), rules.UNCLEARED: D("10000.00")}


def test_allocated_columns_reconcile_in_the_picture() -> None:
    budget = {"staff": D("1000.00"), "travel": D("500.00")}
    verified = {"staff": D("333.33"), "travel": D("333.33"), "indirect": D("46.67")}
    shares = rules.allocate_paid(D("0.01"), ZERO, verified)
    picture = rules.financial_picture(budget, {}, verified, shares.paid, {}, shares.recovered)
    assert [r.category for r in picture.rows] == ["staff", "travel", "indirect"]
    assert picture.totals["paid"] == D("0.01")
    assert sum(r.paid for r in picture.rows) == D("0.01")
    # remaining: budget less verified plus corrected; indirect, outside the budget, goes below zero
    assert [r.remaining for r in picture.rows] == [D("666.67"), D("166.67"), D("-46.67")]


def test_weights_with_more_than_cents_never_leave_a_fraction_of_a_cent_uncleared() -> None:
    # the EU share earned is a weight (verified × the claim's EU ratio): not a whole number of cents
    earned = {"staff": D("50000.004999"), "travel": D("26223.591")}
    shares = rules.allocate_paid(D("96300.00"), ZERO, earned)
    assert shares.paid[rules.UNCLEARED] == D("20076.41")
    assert sum(shares.paid.values(), ZERO) == D("96300.00")
    assert all(v == v.quantize(D("0.01")) for v in shares.paid.values())


@given(
    paid=st.decimals(min_value=D("-1000.00"), max_value=D("300000.00"), places=2),
    recovered=st.decimals(min_value=D("0.00"), max_value=D("50000.00"), places=2),
    earned=st.dictionaries(
        st.sampled_from(["staff", "travel", "other", "indirect"]),
        st.decimals(min_value=D("-5000"), max_value=D("300000"), places=6),
    ),
)
def test_allocation_keeps_the_totals_to_the_cent(
    paid: Decimal, recovered: Decimal, earned: dict[str, Decimal]
) -> None:
    shares = rules.allocate_paid(paid, recovered, earned)
    assert sum(shares.paid.values(), ZERO) == paid
    assert sum(shares.recovered.values(), ZERO) == recovered
    for value in [*shares.paid.values(), *shares.recovered.values()]:
        assert value == value.quantize(D("0.01"))
    if paid > 0:  # never more shared out to a category than it earned (to the cent)
        for category, share in shares.paid.items():
            if category != rules.UNCLEARED:
                assert share <= max(earned.get(category, ZERO), ZERO) + D("0.01")
