"""Segregation of duties, as plain rules (no Django): which duties one person may not combine on one file.

Reg. (EU) No 514/2014 Art. 25 and Del. Reg. (EU) No 1042/2014 Annex I require a separation of
functions within the responsible authority: whoever assesses or verifies is not whoever decides or
pays. SFC applies the same "four eyes" to programme versions: the user who prepares an object does
not send it.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Duty(StrEnum):
    PREPARE = "prepare"  # change a draft programme version
    SUBMIT = "submit"  # submit it to the Commission / record its adoption
    REGISTER = "register"  # register an organisation
    APPROVE = "approve"  # approve or reject a registration
    ASSESS = "assess"  # score an application
    DECIDE = "decide"  # take the selection decision
    VERIFY = "verify"  # verify a payment claim
    PAY = "pay"  # order the payment
    ISSUE = "issue"  # issue a grant agreement version (or amendment) prepared by someone else


# Unordered pairs: having done one, a person may not do the other on the same object.
CONFLICTS: frozenset[frozenset[Duty]] = frozenset(
    {
        frozenset({Duty.PREPARE, Duty.SUBMIT}),
        frozenset({Duty.REGISTER, Duty.APPROVE}),
        frozenset({Duty.ASSESS, Duty.DECIDE}),
        frozenset({Duty.VERIFY, Duty.PAY}),
        frozenset({Duty.PREPARE, Duty.ISSUE}),
    }
)
# Duties a declared conflict of interest with the object's organisation rules out.
CONFLICT_OF_INTEREST_DUTIES = frozenset({Duty.ASSESS, Duty.VERIFY, Duty.DECIDE, Duty.PAY, Duty.APPROVE})

MESSAGES = {
    frozenset(
        {Duty.PREPARE, Duty.SUBMIT}
    ): "You prepared this version; another person must submit it (four eyes).",
    frozenset(
        {Duty.REGISTER, Duty.APPROVE}
    ): "You registered this organisation; another person must decide on it.",
    frozenset(
        {Duty.ASSESS, Duty.DECIDE}
    ): "You assessed this application; another person must take the decision.",
    frozenset({Duty.VERIFY, Duty.PAY}): "You verified this claim; another person must order the payment.",
    frozenset(
        {Duty.PREPARE, Duty.ISSUE}
    ): "You prepared this agreement version; another person of the authority must issue it (four eyes).",
}


def conflict(duty: Duty, done_before: Iterable[Duty]) -> str | None:
    """The reason `duty` is refused for a person who already did `done_before` on the same object."""
    for previous in done_before:
        pair = frozenset({duty, previous})
        if len(pair) == 2 and pair in CONFLICTS:
            return MESSAGES[pair]
    return None


def conflict_of_interest(duty: Duty, declared: bool) -> str | None:
    if declared and duty in CONFLICT_OF_INTEREST_DUTIES:
        return "You declared a conflict of interest with this organisation; you cannot act on its files."
    return None
