"""Who sees which project: the responsible authority all, a delegated authority officer only the
projects of the calls of the part delegated to them, a beneficiary only its own organisation's; a
refusal is audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from amis.accounts import services as accounts
from amis.accounts.models import User
from amis.accounts.roles import Role
from amis.core.errors import ForbiddenError
from amis.core.models import AuditEntry
from amis.organisations.models import Organisation
from amis.programme.models import Programme
from amis.projects import services
from amis.projects.models import GrantAgreement
from amis.projects.scope import projects_for, require_project
from amis.projects.tests.builders import CARITAS, DA, REDCROSS, selected_project, user

pytestmark = pytest.mark.django_db


def _other_da(so: str) -> User:
    other = User.objects.create_user(email=f"da.{so.lower()}@amis.example", password="x-long-password-1")
    accounts.role_assign(
        user=other,
        role=Role.DA_OFFICER,
        organisation=Organisation.objects.get(short_name="ESF Flanders"),
        programme=Programme.objects.get(cci="2021BE65AMPR001"),
        specific_objective=so,
        actor_label="test",
    )
    return other


def test_each_role_sees_only_its_projects(belgian: object) -> None:
    project = selected_project()
    assert list(projects_for(user("ra.officer@amis.example"))) == [project]
    assert list(projects_for(user("auditor@amis.example"))) == [project]
    assert list(projects_for(user(DA))) == [project]  # SO2 of the 2021-2027 programme is delegated
    assert list(projects_for(user(CARITAS))) == [project]
    assert list(projects_for(user(REDCROSS))) == []
    assert list(projects_for(_other_da("SO1"))) == []
    assert list(projects_for(user("assessor@amis.example"))) == []


def test_out_of_scope_actions_are_refused_and_audited(belgian: object) -> None:
    project = selected_project()
    outsider = _other_da("SO3")
    before = AuditEntry.objects.count()
    with pytest.raises(ForbiddenError):
        services.agreement_prepare(actor=outsider, project=project)
    with pytest.raises(PermissionDenied):
        require_project(user(REDCROSS), project, "agreement.sign")
    assert AuditEntry.objects.count() == before + 2
    assert not GrantAgreement.objects.filter(project=project).exists()
