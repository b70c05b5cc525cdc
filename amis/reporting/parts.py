"""What reporting adds to the project page (`amis.core.pages`, page "project", slot "main"): the
project's reports with their status, due dates and rounds. Registered in `apps.py`."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.http import HttpRequest
from django.utils import timezone

from amis.accounts.permissions import check
from amis.projects.scope import may_see
from amis.reporting.models import Report


def project_reports(request: HttpRequest, project: Any) -> dict[str, Any] | None:
    """The reports of the project, for whoever may see the project (one query)."""
    if not may_see(request.user, project):
        return None
    reports = list(
        Report.objects.filter(project=project).annotate(rounds=Count("submissions")).order_by("number")
    )
    return {
        "project_reports": reports,
        "project_reports_today": timezone.localdate(),
        "project_reports_editable": check(request.user, "report.edit", project.organisation).allowed,
    }
