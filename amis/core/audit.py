"""Writing and checking the audit trail.

`record` is called by services inside their transaction; `record_security_event` by login signals,
permission refusals and exports, in a transaction of its own. `verify_chain` recomputes every hash.
"""

from __future__ import annotations

import contextvars
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from amis.core.client_ip import client_ip
from amis.core.locking import lock_for_update
from amis.core.middleware import current_request
from amis.core.models import AuditChainHead, AuditEntry

GENESIS = "0" * 64
HASHED_FIELDS = (
    "sequence",
    "at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "request_path",
    "remote_addr",
    "prev_hash",
)


def object_labels(model: type[models.Model]) -> list[str]:
    """Every label the model's audit entries carry: its own, and those it had before it moved from
    one app to another (`audit_former_labels` on the model). Entries are hashed, so an entry written
    under an old label keeps it; an object's history reads all of them."""
    return [model._meta.label, *getattr(model, "audit_former_labels", ())]


def current_label(label: str) -> str | None:
    """The label a model has now, given any label it ever had (None: no such model)."""
    for model in apps.get_models():
        if label in object_labels(model):
            return model._meta.label
    return None


def _plain(value: Any) -> Any:
    """JSON as it will read back from the database (Decimals and dates become strings)."""
    return None if value is None else json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def entry_digest(entry: AuditEntry) -> str:
    content = {name: getattr(entry, name) for name in HASHED_FIELDS}
    if entry.request_id is not None:  # hashed when present; entries from before it keep their hash
        content["request_id"] = entry.request_id
    content["at"] = entry.at.isoformat(timespec="microseconds")
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _append(**fields: Any) -> AuditEntry:
    head = lock_for_update(AuditChainHead.objects).filter(pk=1).first()
    if head is None:  # first entry ever, or a test database that was flushed
        head, _ = AuditChainHead.objects.get_or_create(pk=1)
        head = lock_for_update(AuditChainHead.objects).get(pk=1)
    request = current_request.get()
    entry = AuditEntry(
        sequence=head.sequence + 1,
        at=timezone.now(),
        request_path=(request.path[:300] if request else ""),
        remote_addr=client_ip(request) if request else None,
        request_id=getattr(request, "request_id", None),
        prev_hash=head.last_hash,
        **fields,
    )
    entry.before, entry.after = _plain(entry.before), _plain(entry.after)
    entry.entry_hash = entry_digest(entry)
    entry.save(force_insert=True)
    head.sequence, head.last_hash = entry.sequence, entry.entry_hash
    head.save(update_fields=["sequence", "last_hash"])
    return entry


def _actor(actor: Any, actor_label: str) -> tuple[Any, str]:
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = actor_label or (user.get_username() if user else "system")
    return user, label[:200]


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
    user, label = _actor(actor, actor_label)
    return _append(
        actor=user,
        actor_label=label,
        action=action,
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        before=before,
        after=after,
    )


# Security events written during the service now running (see `kept_security_events`).
_events_of_service: contextvars.ContextVar[list[dict[str, Any]] | None] = contextvars.ContextVar(
    "amis_security_events", default=None
)


def record_security_event(
    *, user: Any, event: str, detail: dict | None = None, label: str = "", obj: models.Model | None = None
) -> AuditEntry:
    """Logins, failed logins, refusals and exports: not changes, but the Audit Authority must see them."""
    actor, actor_label = _actor(user, label)
    fields = {
        "actor": actor,
        "actor_label": actor_label,
        "action": event,
        "object_type": obj._meta.label if obj is not None else "security",
        "object_id": str(obj.pk) if obj is not None else "",
        "object_repr": str(obj)[:300] if obj is not None else event,
        "before": None,
        "after": detail,
    }
    pending = _events_of_service.get()
    if pending is not None:
        pending.append(fields)
    with transaction.atomic():
        return _append(**fields)


def collect_security_events() -> tuple[list[dict[str, Any]], contextvars.Token]:
    """Start remembering the security events a service writes (its outermost call does this)."""
    events: list[dict[str, Any]] = []
    return events, _events_of_service.set(events)


def stop_collecting(token: contextvars.Token) -> None:
    """Stop remembering (safe to call twice for the same token)."""
    if _events_of_service.get() is not None:
        try:
            _events_of_service.reset(token)
        except RuntimeError:  # already reset for this token
            _events_of_service.set(None)


def write_again(events: list[dict[str, Any]]) -> None:
    """A refused service rolls back, and with it the refusal it recorded (a permission refused, a
    segregation-of-duties conflict): write those events again, in a transaction of their own, once
    the service's transaction is gone. A refusal is never lost with the change it refused."""
    if events:
        with transaction.atomic():
            for fields in events:
                _append(**fields)


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_broken: int | None
    problem: str

    @property
    def ok(self) -> bool:
        return self.first_broken is None


def _entries() -> Iterator[AuditEntry]:
    return AuditEntry.objects.order_by("sequence").iterator(chunk_size=2000)


def verify_chain() -> ChainReport:
    """Recompute every hash in order; report the first entry whose content or link does not match."""
    previous_hash, expected_sequence, checked = GENESIS, 1, 0
    for entry in _entries():
        if entry.sequence != expected_sequence:
            return ChainReport(checked, expected_sequence, f"entry #{expected_sequence} is missing")
        if entry.prev_hash != previous_hash:
            return ChainReport(
                checked, entry.sequence, f"entry #{entry.sequence} does not link to the entry before it"
            )
        if entry_digest(entry) != entry.entry_hash:
            return ChainReport(
                checked, entry.sequence, f"entry #{entry.sequence} was changed after it was written"
            )
        previous_hash, expected_sequence, checked = entry.entry_hash, expected_sequence + 1, checked + 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.sequence != checked:
        return ChainReport(
            checked, checked + 1, f"the chain should hold {head.sequence} entries but holds {checked}"
        )
    return ChainReport(checked, None, "")
