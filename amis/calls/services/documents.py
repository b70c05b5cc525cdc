"""Documents of a call (guide for applicants, templates, FAQ, corrigenda).

They are added while the call is a draft or open: a corrigendum is published during the call. They are
removed only from a draft, because once published an applicant may have relied on them. Types, size
and checksum are checked by `amis.core.uploads`, as for every uploaded document.
"""

from __future__ import annotations

from typing import Any

from amis.calls.models import Call, CallDocument
from amis.calls.services.call import LANGUAGES, assert_may_manage
from amis.core import audit, uploads
from amis.core.errors import ApplicationError
from amis.core.transactions import atomic, lock_for_update


@atomic
def document_add(
    *, actor: Any, call: Call, title: str, language: str, name: str, data: bytes
) -> CallDocument:
    current = lock_for_update(Call.objects.select_related("managing_organisation")).get(pk=call.pk)
    assert_may_manage(actor, current)
    if current.status not in (Call.Status.DRAFT, Call.Status.PUBLISHED):
        raise ApplicationError("Documents can only be added while the call is a draft or open.")
    if not title.strip():
        raise ApplicationError(
            "Give the document a title.", code="invalid", extra={"fields": {"title": "Required."}}
        )
    if language and language not in LANGUAGES:
        raise ApplicationError(f"Unknown language '{language}'.")
    document = CallDocument(call=current, title=title.strip()[:200], language=language, uploaded_by=actor)
    digest = uploads.store(document, name, data)
    document.save()
    audit.record(
        actor=actor,
        action="create",
        obj=document,
        after={"call": current.code, "title": document.title, "name": document.name, "sha256": digest},
    )
    return document


@atomic
def document_remove(*, actor: Any, document: CallDocument) -> None:
    current = CallDocument.objects.select_for_update(of=("self",)).select_related("call").get(pk=document.pk)
    assert_may_manage(actor, current.call)
    if current.call.status != Call.Status.DRAFT:
        raise ApplicationError(
            "A published call's documents stay available; add a corrigendum instead of removing one."
        )
    audit.record(
        actor=actor,
        action="delete",
        obj=current,
        before={"call": current.call.code, "title": current.title, "sha256": current.sha256},
    )
    current.file.delete(save=False)
    current.delete()


def visible_to_public(document: CallDocument) -> bool:
    """Published calls' documents are public information; a draft's are for its managers only."""
    call = document.call
    return call.status != Call.Status.DRAFT and call.procedure == Call.Procedure.OPEN
