"""Writes for projects: the project a selected application becomes, ready for its grant agreement."""

from __future__ import annotations

from typing import Any

from amis.applications.models import Application
from amis.applications.selectors import application_budget
from amis.core import audit
from amis.projects.models import Project


def project_for_selected_application(*, application: Application, actor: Any, **_: Any) -> Project:
    """Receiver of `amis.selection.signals.application_selected`: runs inside the transaction that
    applies the Monitoring Committee's approval, so the approval and its project stand or fall together.
    The amounts are those of the application as selected (its budget and co-financing plan)."""
    budget = application_budget(application)
    project = Project.objects.create(
        application=application,
        reference=f"P-{application.reference}",
        organisation=application.organisation,
        eu_contribution=budget.eu_contribution,
        total_cost=budget.total_cost,
        start_date=application.start_date or application.call.eligible_start,
        end_date=application.end_date or application.call.eligible_end,
    )
    audit.record(
        actor=actor,
        action="create",
        obj=project,
        after={
            "application": application.reference,
            "eu_contribution": str(project.eu_contribution),
            "total_cost": str(project.total_cost),
        },
    )
    return project
