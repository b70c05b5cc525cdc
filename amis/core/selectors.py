"""Reading the audit trail, filtered by object, person or period; personal data stays with those allowed."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.db.models import QuerySet

from amis.core.audit import current_label, object_labels
from amis.core.models import AuditEntry


def _labels(object_type: str) -> list[str]:
    """A model's history is under its label now and under those it had before it moved app."""
    label = current_label(object_type)
    return object_labels(apps.get_model(label)) if label else [object_type]


def audit_entries(
    *,
    object_type: str = "",
    object_id: str = "",
    actor_id: int | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    action: str = "",
) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.select_related("actor").order_by("-sequence")
    if object_type:
        entries = entries.filter(object_type__in=_labels(object_type))
    if object_id:
        entries = entries.filter(object_id=object_id)
    if actor_id is not None:
        entries = entries.filter(actor_id=actor_id)
    if since:
        entries = entries.filter(at__date__gte=since)
    if until:
        entries = entries.filter(at__date__lte=until)
    if action:
        entries = entries.filter(action=action)
    return entries
