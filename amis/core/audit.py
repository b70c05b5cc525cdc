"""Writing the audit trail. Call `record` from a service, inside its transaction."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from amis.core.middleware import current_request
from amis.core.models import AuditEntry


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    before: dict | None = None,
    after: dict | None = None,
    actor_label: str = "",
) -> AuditEntry:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Audit entries must be written inside the transaction of the change.")
    request = current_request.get()
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = actor_label or (user.get_username() if user else "system")
    return AuditEntry.objects.create(
        actor=user,
        actor_label=label[:200],
        action=action,
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        before=before,
        after=after,
        request_path=(request.path[:300] if request else ""),
        remote_addr=(request.META.get("REMOTE_ADDR") if request else None),
    )
