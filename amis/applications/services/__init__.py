"""Writes for applications, each in one transaction with its audit entry: `drafts` (start and save
a draft, preview its budget), `submission` (submit with its snapshot, withdraw) and `attachments`."""

from amis.applications.services.attachments import attachment_add, attachment_remove
from amis.applications.services.drafts import application_create, application_preview, application_update
from amis.applications.services.submission import application_submit, application_withdraw, snapshot

__all__ = [
    "application_create",
    "application_preview",
    "application_submit",
    "application_update",
    "application_withdraw",
    "attachment_add",
    "attachment_remove",
    "snapshot",
]
