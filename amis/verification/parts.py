"""What verification adds to the project page (`amis.core.pages`, page "project", slot "main"): the
project's desk verifications with the verified amount and the EU share. Registered in `apps.py`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from amis.projects.scope import may_see
from amis.verification.selectors import project_verifications


def project_verifications_part(request: HttpRequest, project: Any) -> dict[str, Any] | None:
    """The verifications of the project, for whoever may see the project (one query)."""
    if not may_see(request.user, project):
        return None
    return {"project_verifications": project_verifications(project.pk)}
