"""Cross-cutting models: the tamper-evident audit trail every service writes in its own transaction."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    """One create / update / delete / transition of business data, one security event, or one e-mail
    the system sent on its own (`notify`, written by the background task that sent it).

    Written by `amis.core.audit` inside the transaction of the change it describes, so a rolled-back
    change leaves no entry and a committed change always has one. Entries form a hash chain:
    `entry_hash` covers the entry's content and the previous entry's hash, so editing or deleting
    any row breaks the chain from that row on (`amis audit verify` finds it).
    """

    class Action(models.TextChoices):
        CREATE = "create", "create"
        UPDATE = "update", "update"
        DELETE = "delete", "delete"
        TRANSITION = "transition", "transition"
        IMPORT = "import", "import"
        LOGIN = "login", "login"
        LOGIN_FAILED = "login_failed", "login failed"
        LOGOUT = "logout", "logout"
        PERMISSION_REFUSED = "permission_refused", "permission refused"
        EXPORT = "export", "export"
        NOTIFY = "notify", "notify"

    sequence = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=200, help_text="User e-mail, or the command that acted.")
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=100, db_index=True)
    object_id = models.CharField(max_length=64, db_index=True)
    object_repr = models.CharField(max_length=300)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    request_path = models.CharField(max_length=300, blank=True)
    remote_addr = models.GenericIPAddressField(null=True, blank=True)
    # The id of the request that made the change (`amis.core.request_log`): the same id is in the
    # request's log line. None for changes made outside a request (commands, tasks) and for entries
    # written before AMIS kept it. NULL, not "": the hash covers the id only when there is one, so
    # entries written before the field existed keep their hash (`amis.core.audit.entry_digest`).
    request_id = models.CharField(max_length=64, null=True, blank=True, db_index=True)  # noqa: DJ001
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-sequence"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "at"]),
            models.Index(fields=["actor", "at"]),
        ]

    def __str__(self) -> str:
        return (
            f"#{self.sequence} {self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"
        )


class AuditChainHead(models.Model):
    """One row, locked while an entry is appended, so the chain has one order even under concurrency."""

    sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit chain at #{self.sequence}"
