"""The public face's background work, run by `amis worker`: publishing the list of operations of every
programme whose publication is due (`amis publications`, run daily by cron, queues it)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from amis.public import publications


@task()
def publish_due_lists() -> dict[str, Any]:
    done = publications.publish_due()
    return {
        "published": [p.pk for p in done if p.status == p.Status.PUBLISHED],
        "refused": [p.pk for p in done if p.status == p.Status.REFUSED],
    }
