"""People, roles, segregation of duties and tokens, through the service layer."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from amis.accounts import services
from amis.accounts.models import ApiToken, RoleAssignment
from amis.accounts.permissions import check
from amis.accounts.sod import Duty
from amis.core.errors import ApplicationError
from amis.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.mark.argon2
def test_user_create_validates_and_audits(person: Any) -> None:
    with pytest.raises(ApplicationError, match="not a valid e-mail"):
        services.user_create(email="nobody", password="a-long-test-password-1")
    with pytest.raises(ApplicationError, match="too weak"):
        services.user_create(email="weak@amis.example", password="short")
    user = person("new@amis.example")
    with pytest.raises(ApplicationError, match="already exists"):
        services.user_create(email="NEW@amis.example", password="a-long-test-password-1")
    entry = AuditEntry.objects.get(object_type="accounts.User", object_id=str(user.pk), action="create")
    assert entry.after is not None and entry.after["email"] == "new@amis.example"
    assert user.password.startswith("argon2")


def test_nobody_gives_themselves_a_role(person: Any, orgs: dict) -> None:
    manager = person("m@amis.example", "ra_manager", orgs["ra"])
    with pytest.raises(services.SegregationOfDutiesError, match="themselves"):
        services.role_assign(user=manager, role="auditor", organisation=orgs["aa"], actor=manager)


def test_audit_and_management_never_meet_on_one_person(person: Any, orgs: dict) -> None:
    auditor = person("a@amis.example", "auditor", orgs["aa"])
    with pytest.raises(services.SegregationOfDutiesError, match="independent"):
        services.role_assign(user=auditor, role="ra_officer", organisation=orgs["ra"])
    officer = person("o@amis.example", "ra_officer", orgs["ra"])
    with pytest.raises(services.SegregationOfDutiesError, match="independent"):
        services.role_assign(user=officer, role="auditor", organisation=orgs["aa"])
    assert not RoleAssignment.objects.filter(user=officer, role="auditor").exists()


def test_beneficiary_roles_need_a_beneficiary_organisation(person: Any, orgs: dict) -> None:
    user = person("b@amis.example")
    with pytest.raises(ApplicationError, match="must name the organisation"):
        services.role_assign(user=user, role="beneficiary")
    with pytest.raises(ApplicationError, match="is an authority"):
        services.role_assign(user=user, role="beneficiary", organisation=orgs["ra"])
    services.role_assign(user=user, role="beneficiary", organisation=orgs["ngo"])
    with pytest.raises(services.SegregationOfDutiesError, match="beneficiary"):
        services.role_assign(user=user, role="assessor", organisation=orgs["da"])


def test_revoked_roles_stop_counting_and_are_audited(person: Any, orgs: dict) -> None:
    manager = person("m@amis.example", "ra_manager", orgs["ra"])
    officer = person("o@amis.example", "ra_officer", orgs["ra"])
    assert check(officer, "organisation.list").allowed
    assignment = officer.role_assignments.get()
    services.role_revoke(assignment=assignment, actor=manager)
    officer.refresh_from_db()
    fresh = type(officer).objects.get(pk=officer.pk)
    assert not check(fresh, "organisation.list").allowed
    assert AuditEntry.objects.filter(object_type="accounts.RoleAssignment", action="delete").exists()
    with pytest.raises(ApplicationError, match="already"):
        services.role_revoke(assignment=assignment, actor=manager)


def test_conflict_of_interest_blocks_assessing_that_organisation(person: Any, orgs: dict) -> None:
    assessor = person("s@amis.example", "assessor", orgs["da"])
    services.conflict_of_interest_declare(user=assessor, organisation=orgs["ngo"], reason="Board member")
    with pytest.raises(services.SegregationOfDutiesError, match="conflict of interest"):
        services.ensure_duty_allowed(
            user=assessor, duty=Duty.ASSESS, obj=orgs["ngo"], organisation=orgs["ngo"]
        )
    services.ensure_duty_allowed(
        user=assessor, duty=Duty.ASSESS, obj=orgs["other_ngo"], organisation=orgs["other_ngo"]
    )
    refusal = AuditEntry.objects.filter(action="permission_refused").latest("sequence")
    assert refusal.after is not None and refusal.after["duty"] == "assess"


def test_who_assessed_does_not_decide(person: Any, orgs: dict) -> None:
    assessor = person("s@amis.example", "assessor", orgs["da"])
    target = orgs["ngo"]  # stands for an application until calls exist
    services.duty_record(user=assessor, duty=Duty.ASSESS, obj=target)
    with pytest.raises(services.SegregationOfDutiesError, match="another person must take the decision"):
        services.ensure_duty_allowed(user=assessor, duty=Duty.DECIDE, obj=target)
    other = person("d@amis.example", "ra_manager", orgs["ra"])
    services.ensure_duty_allowed(user=other, duty=Duty.DECIDE, obj=target)


def test_tokens_are_hashed_scoped_expiring_and_revocable(person: Any) -> None:
    user = person("t@amis.example")
    token, secret = services.token_create(user=user, name="ESF sync", scope="read", days=30)
    assert secret.startswith(f"amis_{token.prefix}_") and secret not in token.key_hash
    assert services.token_authenticate(secret) == (user, token)
    assert services.token_authenticate(secret + "x") is None
    assert services.token_authenticate("garbage") is None
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1), created_at=timezone.now() - dt.timedelta(days=2)
    )
    assert services.token_authenticate(secret) is None
    token2, secret2 = services.token_create(user=user, name="other", scope="write", days=1)
    services.token_revoke(token=token2, actor=user)
    assert services.token_authenticate(secret2) is None
    with pytest.raises(ApplicationError, match="between 1 and 365"):
        services.token_create(user=user, name="x", days=400)
