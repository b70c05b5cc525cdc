"""The worker's task: reading one uploaded project list of another fund (`amis worker` runs it)."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django_tasks import task


@task()
def read_other_fund_list(list_id: int, language: str = "en") -> dict[str, Any]:
    """Read and check the list in the language of the person who uploaded it (its messages)."""
    from amis.integrity.reading import list_read

    with translation.override(language or "en"):
        upload = list_read(list_id)
    if upload is None:
        return {"list": list_id, "status": "missing"}
    return {"list": upload.pk, "status": upload.status, "projects": upload.projects_count}
