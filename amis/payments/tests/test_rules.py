"""What is paid and by when — plain rules; nothing is ever paid above the grant or the verified amount."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from amis.payments import rules

money = st.decimals(min_value=0, max_value=Decimal("500000"), places=2)


@settings(max_examples=300)
@given(money, money, money, money, st.booleans())
def test_never_above_the_grant_or_the_verified_amount(
    grant: Decimal, verified: Decimal, paid: Decimal, recoveries: Decimal, final: bool
) -> None:
    result = rules.payable(rules.PayableInput(grant, verified, paid, recoveries, final))
    assert result.amount >= 0 and result.offset >= 0 and result.due_back >= 0
    assert paid + result.amount + result.offset <= max(min(grant, verified), paid)
    assert result.offset <= recoveries
    if final and paid > min(grant, verified):
        assert result.due_back == paid - min(grant, verified)


def test_an_interim_payment_clears_the_prefinancing_and_offsets_a_recovery() -> None:
    pre = rules.prefinancing(Decimal("240750.00"), Decimal("0.40"))
    assert pre == Decimal("96300.00")
    result = rules.payable(
        rules.PayableInput(Decimal("240750.00"), Decimal("150000.00"), pre, Decimal("1000.00"))
    )
    assert (result.amount, result.offset) == (Decimal("52700.00"), Decimal("1000.00"))
    assert [label for label, _ in result.working] == [
        "eu_verified_total",
        "already_paid",
        "recoveries_offset",
        "payable",
    ]


def test_the_80_day_clock_stops_while_waiting_for_information() -> None:
    claim = dt.date(2027, 1, 10)
    waits = [rules.Suspension(dt.date(2027, 2, 1), dt.date(2027, 2, 11))]
    assert rules.payment_due_date(claim) == dt.date(2027, 3, 31)
    assert rules.payment_due_date(claim, waits) == dt.date(2027, 4, 10)
    assert rules.days_counted(claim, dt.date(2027, 2, 21), waits) == 32
    assert rules.days_counted(claim, dt.date(2027, 2, 5), [rules.Suspension(dt.date(2027, 2, 1), None)]) == 22
