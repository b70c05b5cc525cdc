"""What a beneficiary is paid, and by when — plain Python, no Django. AMIS shows its working.

- Pre-financing on signature: the agreement's share of the maximum grant.
- Interim payment after a verified report, balance after the final report: the EU share of all
  expenditure verified so far (never above the maximum grant), less everything already paid
  (pre-financing included, so pre-financing is cleared as the claims come), less the recoveries
  still open that are offset against this payment. A negative result pays nothing: the difference
  is due back (a recovery order), and never more than what was paid.
- 2021-2027: the beneficiary is paid within 80 days of the claim, the clock stopped while the
  authority waits for information it asked for (Regulation (EU) 2021/1060 Art. 74(1)(b)).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from amis.core.money import ZERO, cents

PAYMENT_DAYS_2021 = 80  # 2021/1060 Art. 74(1)(b)


@dataclass(frozen=True)
class PayableInput:
    max_grant: Decimal
    eu_verified_total: Decimal  # EU share of all verified expenditure so far, this claim included
    paid_so_far: Decimal  # pre-financing and earlier payments, net of cancellations
    open_recoveries: Decimal = ZERO  # due from the beneficiary and not yet received
    final: bool = False


@dataclass
class Payable:
    amount: Decimal  # to pay now (>= 0)
    offset: Decimal  # recoveries cleared by this payment
    due_back: Decimal  # to recover from the beneficiary (final balance below what was paid)
    working: list[tuple[str, Decimal]] = field(default_factory=list)


def prefinancing(max_grant: Decimal, share: Decimal) -> Decimal:
    return cents(max_grant * share)


def payable(data: PayableInput) -> Payable:
    """The amount to pay now, with its working (label, amount) in order."""
    ceiling = min(data.eu_verified_total, data.max_grant)
    working = [("eu_verified_total", data.eu_verified_total)]
    if ceiling < data.eu_verified_total:
        working.append(("capped_at_max_grant", data.max_grant))
    working.append(("already_paid", -data.paid_so_far))
    gross = ceiling - data.paid_so_far
    if gross <= 0:
        due_back = -gross if data.final else ZERO
        working.append(("nothing_to_pay", ZERO))
        if due_back:
            working.append(("due_back", due_back))
        return Payable(ZERO, ZERO, due_back, working)
    offset = min(data.open_recoveries, gross)
    if offset:
        working.append(("recoveries_offset", -offset))
    amount = gross - offset
    working.append(("payable", amount))
    return Payable(amount, offset, ZERO, working)


@dataclass(frozen=True)
class Suspension:
    """The clock stopped: from the day the authority asked for information to the day it got it."""

    start: dt.date
    end: dt.date | None  # None: still waiting


def days_counted(claim_date: dt.date, today: dt.date, suspensions: Iterable[Suspension] = ()) -> int:
    """Days of the payment deadline used so far: calendar days since the claim, less suspended days."""
    used = (today - claim_date).days
    for s in suspensions:
        start = max(s.start, claim_date)
        end = min(s.end or today, today)
        if end > start:
            used -= (end - start).days
    return max(used, 0)


def payment_due_date(
    claim_date: dt.date, suspensions: Iterable[Suspension] = (), days: int = PAYMENT_DAYS_2021
) -> dt.date:
    """The last day for payment: the claim date plus `days`, moved by every closed suspension (an
    open one moves it day by day until it closes: the caller passes today's end)."""
    due = claim_date + dt.timedelta(days=days)
    for s in suspensions:
        if s.end is not None and s.end > s.start:
            due += s.end - s.start
    return due
