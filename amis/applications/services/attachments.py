"""Attachments of a draft application, added and removed by the applicant only. The file checks
(type by content, 10 MB, SHA-256) are `amis.core.uploads`; the submission snapshot keeps the checksum."""

from __future__ import annotations

from typing import Any

from amis.accounts.permissions import require
from amis.applications.models import Application, Attachment
from amis.core import audit, uploads
from amis.core.errors import ApplicationError
from amis.core.transactions import atomic, lock_for_update


@atomic
def attachment_add(*, actor: Any, application: Application, name: str, data: bytes) -> Attachment:
    current = lock_for_update(Application.objects.select_related("organisation")).get(pk=application.pk)
    require(actor, "application.edit", current.organisation)
    if current.status != Application.Status.DRAFT:
        raise ApplicationError("Documents can only be added to a draft application.")
    attachment = Attachment(application=current, uploaded_by=actor)
    digest = uploads.store(attachment, name, data)
    attachment.save()
    audit.record(
        actor=actor,
        action="create",
        obj=attachment,
        after={"name": attachment.name, "size": attachment.size, "sha256": digest},
    )
    return attachment


@atomic
def attachment_remove(*, actor: Any, attachment: Attachment) -> None:
    current = (
        Attachment.objects.select_for_update(of=("self",))
        .select_related("application__organisation")
        .get(pk=attachment.pk)
    )
    require(actor, "application.edit", current.application.organisation)
    if current.application.status != Application.Status.DRAFT:
        raise ApplicationError("Documents of a submitted application cannot be removed.")
    audit.record(
        actor=actor, action="delete", obj=current, before={"name": current.name, "sha256": current.sha256}
    )
    current.file.delete(save=False)
    current.delete()
