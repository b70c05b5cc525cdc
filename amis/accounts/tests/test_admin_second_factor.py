"""The Django admin needs the second factor, and nobody strips someone else's alone (issue 10, §2).

Before: a superuser logged in at /admin/ with a password only and deleted another person's TOTP
device there; that person (or whoever had their password) then enrolled a new one with the password
alone.
"""

from __future__ import annotations

from typing import Any

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core import mail
from django.core.cache import cache
from django.test import Client

from amis.accounts import services
from amis.accounts.models import ApiToken, SecondFactorReset, User
from amis.accounts.tests.conftest import TOTP_SECRET
from amis.core.errors import ApplicationError
from amis.core.models import AuditEntry

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password-1"


@pytest.fixture(autouse=True)
def _clear_rate_limits() -> None:
    cache.clear()


@pytest.fixture
def superuser(db: None) -> User:
    user = services.user_create(email="root@amis.example", password=PASSWORD, actor_label="test")
    User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
    user.refresh_from_db()
    return user


@pytest.fixture
def officer(person: Any, orgs: dict) -> User:
    return person("officer@amis.example", "ra_officer", orgs["ra"])


def _password_login(client: Client, email: str) -> Any:
    return client.post("/accounts/login/", {"login": email, "password": PASSWORD})


def test_the_admin_login_form_is_allauths_login(client: Client) -> None:
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert (
        client.post("/admin/login/", {"username": "root@amis.example", "password": PASSWORD}).status_code
        == 302
    )


def test_a_superuser_without_a_second_factor_cannot_use_the_admin(client: Client, superuser: User) -> None:
    _password_login(client, superuser.email)
    response = client.get("/admin/mfa/authenticator/")
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/totp/activate/"


def test_a_session_that_saw_only_the_password_is_asked_for_the_code(client: Client, superuser: User) -> None:
    TOTP.activate(superuser, TOTP_SECRET)
    client.force_login(superuser)  # a session authenticated without the second factor
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/reauthenticate/")


def test_with_password_and_code_the_admin_opens(client: Client, superuser: User) -> None:
    TOTP.activate(superuser, TOTP_SECRET)
    response = _password_login(client, superuser.email)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    client.post("/accounts/2fa/authenticate/", {"code": pyotp.TOTP(TOTP_SECRET).now()})
    assert client.get("/admin/").status_code == 200


def _admin_with_second_factor(client: Client, superuser: User) -> Client:
    TOTP.activate(superuser, TOTP_SECRET)
    _password_login(client, superuser.email)
    client.post("/accounts/2fa/authenticate/", {"code": pyotp.TOTP(TOTP_SECRET).now()})
    return client


def test_the_admin_cannot_delete_or_change_someone_elses_second_factor(
    client: Client, superuser: User, officer: User
) -> None:
    admin = _admin_with_second_factor(client, superuser)
    device = Authenticator.objects.get(user=officer, type=Authenticator.Type.TOTP)
    assert admin.get("/admin/mfa/authenticator/").status_code == 200  # may see that it exists
    assert admin.post(f"/admin/mfa/authenticator/{device.pk}/delete/", {"post": "yes"}).status_code == 403
    admin.post(
        "/admin/mfa/authenticator/",
        {"action": "delete_selected", "_selected_action": [device.pk], "post": "yes"},
    )
    assert admin.post(f"/admin/mfa/authenticator/{device.pk}/change/", {"type": "totp"}).status_code == 403
    assert Authenticator.objects.filter(pk=device.pk).exists()


def test_removing_a_second_factor_takes_two_managers_and_is_audited(
    person: Any, orgs: dict, officer: User
) -> None:
    asker = person("manager1@amis.example", "ra_manager", orgs["ra"])
    confirmer = person("manager2@amis.example", "ra_manager", orgs["ra"])
    token, _ = services.token_create(user=officer, name="scripts")
    reset = services.second_factor_reset_request(user=officer, actor=asker, reason="Lost phone (ticket 42)")
    with pytest.raises(ApplicationError, match="another manager must confirm"):
        services.second_factor_reset_decide(reset=reset, actor=asker, approve=True)
    assert Authenticator.objects.filter(user=officer).exists()
    services.second_factor_reset_decide(reset=reset, actor=confirmer, approve=True)
    officer.refresh_from_db()
    assert not Authenticator.objects.filter(user=officer).exists()
    assert not officer.has_usable_password()  # re-enrolment starts with a reset code by e-mail
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    reset.refresh_from_db()
    assert (reset.status, reset.requested_by, reset.decided_by) == ("confirmed", asker, confirmer)
    entries = AuditEntry.objects.filter(object_type="accounts.SecondFactorReset", object_id=str(reset.pk))
    assert {(e.action, e.actor_id) for e in entries} == {("create", asker.pk), ("transition", confirmer.pk)}
    after = entries.get(action="transition").after
    assert after is not None and after["authenticators_removed"] == ["totp"]


def test_until_re_enrolled_the_person_cannot_act_for_the_authority(
    client: Client, person: Any, orgs: dict, officer: User
) -> None:
    asker = person("manager1@amis.example", "ra_manager", orgs["ra"])
    confirmer = person("manager2@amis.example", "ra_manager", orgs["ra"])
    reset = services.second_factor_reset_request(user=officer, actor=asker, reason="Lost phone")
    services.second_factor_reset_decide(reset=reset, actor=confirmer, approve=True)
    assert _password_login(client, officer.email).status_code == 200  # the old password is refused
    assert "_auth_user_id" not in client.session
    client.post("/accounts/password/reset/", {"email": officer.email})  # the way back: a code by e-mail
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [officer.email]
    officer.refresh_from_db()
    client.force_login(officer)
    assert client.get("/organisations/")["Location"] == "/accounts/2fa/totp/activate/"


def test_a_reset_is_refused_to_non_managers_and_for_oneself(person: Any, orgs: dict, officer: User) -> None:
    from django.core.exceptions import PermissionDenied

    manager = person("manager1@amis.example", "ra_manager", orgs["ra"])
    other = person("officer2@amis.example", "ra_officer", orgs["ra"])
    with pytest.raises(PermissionDenied):
        services.second_factor_reset_request(user=officer, actor=other, reason="Lost phone")
    with pytest.raises(ApplicationError, match="account page"):
        services.second_factor_reset_request(user=manager, actor=manager, reason="Lost phone")
    assert not SecondFactorReset.objects.exists()
    assert AuditEntry.objects.filter(action="permission_refused", actor_id=other.pk).exists()
