"""The public face's background work, run by `amis worker`: publishing the list of operations of every
programme whose publication is due (`amis publications`, run daily by cron, queues it), and the
publications an officer asked for on the publications page (`services.request_publication`)."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django_tasks import task

from amis.public import publications
from amis.public.models import PublicationRequest


@task()
def publish_due_lists() -> dict[str, Any]:
    done = publications.publish_due()
    return {
        "published": [p.pk for p in done if p.status == p.Status.PUBLISHED],
        "refused": [p.pk for p in done if p.status == p.Status.REFUSED],
    }


@task()
def publish_requested_list(request_id: int) -> dict[str, Any]:
    """Build and publish one officer's request, in the officer's language (for the reasons)."""
    language = (
        PublicationRequest.objects.filter(pk=request_id).values_list("language", flat=True).first() or "en"
    )
    with translation.override(language):
        item = publications.run_request(request_id)
    if item is None:
        return {"request": request_id, "status": "missing"}
    return {"request": item.pk, "status": item.status, "publication": item.publication_id}
