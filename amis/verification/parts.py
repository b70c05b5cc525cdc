"""What verification adds to the project page (`amis.core.pages`, page "project", slot "main"): the
project's desk verifications with the verified amount and the EU share, and its on-the-spot checks
once the visit is recorded (the beneficiary's link to reply, the officer's to the check). Registered
in `apps.py`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from amis.accounts.permissions import check
from amis.projects.scope import may_see
from amis.verification.selectors import project_verifications, recorded_checks


def project_verifications_part(request: HttpRequest, project: Any) -> dict[str, Any] | None:
    """The verifications of the project, for whoever may see the project (one query)."""
    if not may_see(request.user, project):
        return None
    return {"project_verifications": project_verifications(project.pk)}


def project_checks_part(request: HttpRequest, project: Any) -> dict[str, Any] | None:
    """The project's recorded on-the-spot checks (none while only planned), for whoever may see the
    project: the beneficiary opens the page where they reply, an officer the check's page."""
    if not may_see(request.user, project):
        return None
    checks = recorded_checks(project.pk)
    if not checks:
        return None
    return {
        "project_checks": checks,
        "checks_officer": check(request.user, "check.view").allowed,
        "checks_reply": check(request.user, "report.edit", project).allowed,
    }
