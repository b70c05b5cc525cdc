"""Projects: a selected application becomes a project, ready for its grant agreement.

Created when the Monitoring Committee's decision to approve is applied (the `application_selected`
signal of `amis.selection`, received in `amis.projects.services`). The model moved here from `calls`
(table renamed, rows kept).
"""

from __future__ import annotations

from django.db import models

from amis.core.fields import money_field


class Project(models.Model):
    """A selected application, ready for its grant agreement."""

    audit_former_labels = ("calls.Project",)  # audit entries written before the move

    application = models.OneToOneField(
        "applications.Application", on_delete=models.PROTECT, related_name="project"
    )
    reference = models.CharField(max_length=60, unique=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="projects"
    )
    eu_contribution = money_field()
    total_cost = money_field()
    start_date = models.DateField()
    end_date = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.reference
