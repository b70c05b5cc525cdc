"""Refusals a service writes to the audit trail before it raises them (docs/architecture.md,
"Refusals" and "Locking"): a change refused for what was sent, and an edit made on an older page.
The entries are `change_refused` security events, kept when the service's transaction rolls back."""

from __future__ import annotations

from typing import Any

from amis.core import audit
from amis.core.errors import ApplicationError, StaleObjectError


def refuse(actor: Any, obj: Any, message: str, detail: dict[str, Any] | None = None) -> ApplicationError:
    """Audit a refused change of `obj` (the reason and `detail`) and return the error to raise."""
    audit.record_security_event(
        user=actor, event="change_refused", obj=obj, detail={**(detail or {}), "reason": message}
    )
    return ApplicationError(message)


def check_version(
    actor: Any, obj: Any, expected: int | None, *, what: str | None = None, audited: bool = True
) -> None:
    """Optimistic locking: refuse (409) an edit whose form showed another `lock_version` than the
    locked row `obj` has now, and audit the refusal. An `expected` of None (none was sent) is
    refused as well. `what` names the record in the message (`str(obj)` by default). `audited`
    False keeps the refusal out of the trail, for a caller that audits it itself."""
    if obj.lock_version == expected:
        return
    if not audited:
        raise StaleObjectError(what if what is not None else str(obj))
    audit.record_security_event(
        user=actor,
        event="change_refused",
        obj=obj,
        detail={"reason": "stale", "expected_lock_version": expected, "lock_version": obj.lock_version},
    )
    raise StaleObjectError(what if what is not None else str(obj))
