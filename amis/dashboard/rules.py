"""The programme's money at a glance (issue 17 §1), as plain arithmetic: what each figure is, how
figures add up from projects to calls, to the rows of a specific objective and to the programme,
and the absorption of the plan. No Django: the selectors read the stored data, this adds it up.

Every figure of a row is the sum of the same figure of the rows it drills down to, exactly, to the
cent: a programme of its specific objectives, an objective of its groups (national objectives or
types of action, as the calls link them), a group of its calls, a call of its projects. Nothing is
rounded on the way (amounts are stored in cents).

What each figure is (the period's terms: Reg. (EU) 514/2014 Art. 2 and 44; Reg. (EU) 2021/1060
Art. 2 and 74):
- `planned`: the financing plan of the adopted version (2014-2020 Table 1 per specific objective,
  national objective and specific action; 2021-2027 the EU contribution of each allocation line of
  CPR Annex V table 2);
- `in_calls`: the budget of the calls published (not drafts);
- `grants`: the maximum grant of the projects' agreements in force (the EU contribution selected);
- `declared`: the expenditure the beneficiaries declared, each report counted once (its latest
  submission);
- `verified`: the eligible expenditure found by completed management verifications, and
  `eu_verified` its EU share;
- `corrected`: the EU share taken back by financial corrections;
- `paid`: the payments to beneficiaries recorded as paid (cancellations subtracted), including the
  recoveries they offset;
- `recovered`: what was recovered from beneficiaries, received or offset;
- `to_commission`: the EU amount declared to the Commission — the items of submitted payment
  applications (Reg. (EU) 514/2014 Art. 44; CPR Art. 91 and Annex XXIII) not held back;
- `absorption`: `paid` as a share of `planned`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_EVEN, Decimal

ZERO = Decimal("0.00")
MONEY = (
    "in_calls",
    "grants",
    "declared",
    "verified",
    "eu_verified",
    "corrected",
    "paid",
    "recovered",
    "to_commission",
)


@dataclass
class Figures:
    """One row's money. Counts of calls and projects travel with it so a row says what is under it."""

    in_calls: Decimal = ZERO
    grants: Decimal = ZERO
    declared: Decimal = ZERO
    verified: Decimal = ZERO
    eu_verified: Decimal = ZERO
    corrected: Decimal = ZERO
    paid: Decimal = ZERO
    recovered: Decimal = ZERO
    to_commission: Decimal = ZERO
    calls: int = 0
    projects: int = 0

    def add(self, other: Figures) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def as_dict(self) -> dict[str, Decimal | int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def total(rows: Iterable[Figures]) -> Figures:
    """The sum of rows, figure by figure."""
    out = Figures()
    for row in rows:
        out.add(row)
    return out


def share(part: Decimal, whole: Decimal | None) -> Decimal | None:
    """`part` as a fraction of `whole` (0.4567 = 45.67 %), to four places; None without a whole."""
    if not whole:
        return None
    return (part / whole).quantize(Decimal("0.0001"), rounding=ROUND_HALF_EVEN)
