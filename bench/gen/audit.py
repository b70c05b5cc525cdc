"""Audit entries appended to the real chain: same fields, same digest, same linking as `amis.core.audit`.

The chain continues from the head the services left (the demo people's entries), so `verify_chain`
checks the generated and the service-written entries as one trail, and later service writes go on
from the generated head.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from amis.core.audit import _plain, entry_digest
from amis.core.models import AuditChainHead, AuditEntry
from bench.gen.context import Context
from bench.gen.insert import insert

KINDS = [
    ("transition", "calls.Application", {"status": "submitted"}, {"status": "eligible"}),
    ("update", "calls.Application", {"title": "Draft"}, {"title": "Job coaching for newcomers"}),
    ("create", "calls.Assessment", None, {"scores": {"A1": "30.00", "A2": "25.00"}, "total": "55.00"}),
    ("login", "security", None, {"method": "password+totp"}),
    ("export", "security", None, {"format": "xlsx", "rows": 1200}),
]


def audit_entries(ctx: Context) -> int:
    rnd = ctx.rnd
    count = ctx.scale.audit_entries
    head = AuditChainHead.objects.get_or_create(pk=1)[0]
    first_id = ctx.ids.take(AuditEntry, count)
    actors = [(pk, email) for email, pk in ctx.users.items()]
    start = dt.datetime(2015, 1, 5, 8, 0, tzinfo=dt.UTC)
    step = dt.timedelta(seconds=(10 * 365 * 86400) // max(count, 1))
    state: dict[str, Any] = {"sequence": head.sequence, "hash": head.last_hash}

    def rows():  # type: ignore[no-untyped-def]
        for n in range(count):
            action, object_type, before, after = KINDS[n % len(KINDS)]
            actor_id, label = rnd.choice(actors)
            entry = AuditEntry(
                sequence=state["sequence"] + 1,
                at=start + n * step + dt.timedelta(microseconds=rnd.randrange(1_000_000)),
                actor_id=actor_id,
                actor_label=label,
                action=action,
                object_type=object_type,
                object_id=str(rnd.randrange(1, 50_000)) if object_type != "security" else "",
                object_repr=action if object_type == "security" else f"BENCH application {n}",
                before=_plain(before),
                after=_plain(after),
                request_path="/applications/" if n % 3 else "",
                remote_addr="192.0.2.17" if n % 3 else None,
                prev_hash=state["hash"],
            )
            entry.entry_hash = entry_digest(entry)
            state["sequence"], state["hash"] = entry.sequence, entry.entry_hash
            yield {f.attname: getattr(entry, f.attname) for f in AuditEntry._meta.concrete_fields} | {
                "id": first_id + n
            }

    written = insert(AuditEntry, rows())
    AuditChainHead.objects.filter(pk=1).update(sequence=state["sequence"], last_hash=state["hash"])
    return written
