"""E-mails the system sends on its own, once: each sent message leaves a `notify` audit entry
(with the task id) in the transaction that sends it, and a message whose entry exists is not sent
again, so a task run twice never e-mails twice. Used by the background tasks of every app."""

from __future__ import annotations

import logging
from typing import Any

from django.core.mail import EmailMessage
from django.db import models, transaction
from django_tasks import TaskContext

from amis.core import audit
from amis.core.locking import lock_for_update
from amis.core.models import AuditEntry

logger = logging.getLogger(__name__)
WORKER = "amis worker"


def already_sent(obj: models.Model, **key: Any) -> bool:
    lookups = {f"after__{name}": value for name, value in key.items()}
    return AuditEntry.objects.filter(
        action=AuditEntry.Action.NOTIFY,
        object_type__in=audit.object_labels(type(obj)),
        object_id=str(obj.pk),
        **lookups,
    ).exists()


def send_once(
    context: TaskContext, obj: models.Model, message: EmailMessage, key: dict[str, Any]
) -> dict[str, Any]:
    """Send `message` and audit it in one transaction, unless an entry with `key` shows it was sent."""
    with transaction.atomic():
        lock_for_update(type(obj)._default_manager).filter(pk=obj.pk).first()  # one sender at a time
        if already_sent(obj, **key):
            logger.info("%s: %s already sent, not sent again", obj, key)
            return {"sent": False, "reason": "already sent"}
        message.send()
        entry = audit.record(
            actor=None,
            actor_label=WORKER,
            action=AuditEntry.Action.NOTIFY,
            obj=obj,
            after={**key, "to": list(message.to), "subject": message.subject, "task": context.task_result.id},
        )
    logger.info("%s: sent %s to %s (task %s)", obj, key, message.to, context.task_result.id)
    return {"sent": True, "audit": entry.sequence}
