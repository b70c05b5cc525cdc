"""Who may see and act on which project: the permission table's role, and for a delegated authority
officer only the projects of the calls of the part of the programme delegated to them (the rule of
`amis.calls.services.assert_in_scope`); a beneficiary only its own organisation's projects. Every
service and selector of projects, agreements and reports asks here, not only the role."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from amis.accounts.permissions import active_roles, require
from amis.accounts.roles import Role
from amis.calls.selectors import managed_calls_filter
from amis.calls.services import assert_in_scope
from amis.core.errors import ForbiddenError
from amis.projects.models import Project

# roles that read every project of the programme (the audit authority, verifiers and accountants
# of the responsible authority)
FULL_READERS = frozenset(
    {Role.RA_MANAGER, Role.RA_OFFICER, Role.AUDITOR, Role.VERIFIER, Role.ACCOUNTING_OFFICER}
)


def projects_for(user: Any) -> QuerySet[Project]:
    """The projects this person may see, newest first (an empty list for anyone else)."""
    qs = Project.objects.select_related("application__call__programme", "organisation").order_by("-pk")
    roles = active_roles(user)
    if set(roles) & FULL_READERS:
        return qs
    visible = Q(pk__in=[])
    if Role.DA_OFFICER in roles:
        calls = managed_calls_filter(user, prefix="application__call__")
        visible |= calls if calls is not None else Q()
    own = {org for org in roles.get(Role.BENEFICIARY, set()) if org}
    if own:
        visible |= Q(organisation_id__in=own)
    return qs.filter(visible)


def may_see(user: Any, project: Project) -> bool:
    return projects_for(user).filter(pk=project.pk).exists()


def require_project(actor: Any, project: Project, action: str) -> None:
    """`action` on this project: the role (beneficiaries on their own organisation's projects), and
    for a delegated authority officer the project's call inside their part. Refusals are audited."""
    require(actor, action, project)
    roles = active_roles(actor)
    if Role.DA_OFFICER in roles and not set(roles) & FULL_READERS:
        if not (roles.keys() & {Role.BENEFICIARY} and project.organisation_id in roles[Role.BENEFICIARY]):
            assert_in_scope(actor, project.application.call, action)


__all__ = ["FULL_READERS", "ForbiddenError", "may_see", "projects_for", "require_project"]
