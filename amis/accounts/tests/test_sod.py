"""Segregation-of-duties rules (plain Python)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from amis.accounts.sod import CONFLICT_OF_INTEREST_DUTIES, CONFLICTS, Duty, conflict, conflict_of_interest

duties = st.sampled_from(list(Duty))


@given(duties, st.lists(duties, max_size=6))
def test_a_duty_is_refused_exactly_when_it_conflicts_with_one_done_before(
    duty: Duty, done: list[Duty]
) -> None:
    expected = any(frozenset({duty, d}) in CONFLICTS for d in done if d != duty)
    assert (conflict(duty, done) is not None) == expected


@given(duties)
def test_doing_the_same_duty_twice_is_allowed(duty: Duty) -> None:
    assert conflict(duty, [duty]) is None


def test_the_pairs_the_regulation_names() -> None:
    assert (
        conflict(Duty.DECIDE, [Duty.ASSESS])
        == "You assessed this application; another person must take the decision."
    )
    assert (
        conflict(Duty.PAY, [Duty.VERIFY]) == "You verified this claim; another person must order the payment."
    )
    assert conflict(Duty.ASSESS, [Duty.DECIDE]) is not None
    assert conflict(Duty.SUBMIT, [Duty.PREPARE]) is not None
    assert conflict(Duty.APPROVE, [Duty.REGISTER]) is not None
    assert conflict(Duty.PAY, [Duty.ASSESS]) is None


@given(duties, st.booleans())
def test_conflict_of_interest_blocks_checking_duties_only(duty: Duty, declared: bool) -> None:
    assert (conflict_of_interest(duty, declared) is not None) == (
        declared and duty in CONFLICT_OF_INTEREST_DUTIES
    )
