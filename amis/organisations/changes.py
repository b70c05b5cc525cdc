"""The changes of an approved organisation that wait for another person's confirmation, as data.

Read by `services` (request and decision) and `tasks` (the alert), so neither imports the other's
module for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from amis.organisations.models import Organisation


@dataclass(frozen=True)
class HeldChange:
    """A change of an approved organisation that waits for another person's confirmation.

    The asked-for values wait in `pending_<field>`, with who asked and when; until the responsible
    authority confirms, the organisation keeps its current values (payments, agreements, exports),
    and everyone who speaks for it is alerted (`tasks.send_change_notice`). A new bank account and a
    new legal name go through this same path: requested in `organisation_update`, decided in
    `held_change_decide`, both audited.
    """

    kind: str
    fields: tuple[str, ...]
    requested_by: str
    requested_at: str
    own_request: str
    nothing_pending: str
    refusal_needs_reason: str

    @property
    def pending(self) -> tuple[str, ...]:
        return tuple(f"pending_{name}" for name in self.fields)

    @property
    def columns(self) -> tuple[str, ...]:
        """What a request writes and a decision clears."""
        return (*self.pending, f"{self.requested_by}_id", self.requested_at)

    def is_pending(self, organisation: Organisation) -> bool:
        return getattr(organisation, self.requested_at) is not None

    def asked_for(self, organisation: Organisation) -> tuple[Any, ...]:
        return tuple(getattr(organisation, name) for name in self.pending)


BANK = HeldChange(
    kind="bank",
    fields=("iban", "bic"),
    requested_by="bank_change_requested_by",
    requested_at="bank_change_requested_at",
    own_request="You asked for this bank account change yourself; another person must confirm it.",
    nothing_pending="No bank account change of {name} awaits confirmation.",
    refusal_needs_reason="Say why the new bank account is refused; the organisation will read it.",
)
NAME = HeldChange(
    kind="name",
    fields=("name",),
    requested_by="name_change_requested_by",
    requested_at="name_change_requested_at",
    own_request="You asked for this change of name yourself; another person must confirm it.",
    nothing_pending="No change of the name of {name} awaits confirmation.",
    refusal_needs_reason="Say why the new name is refused; the organisation will read it.",
)
HELD_CHANGES = {change.kind: change for change in (BANK, NAME)}
