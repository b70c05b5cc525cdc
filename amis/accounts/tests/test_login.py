"""Logging in as a person would: e-mail and password, TOTP for authority roles, lockout, reset, audit."""

from __future__ import annotations

from typing import Any

import pyotp
import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from amis.accounts.tests.conftest import TOTP_SECRET
from amis.core.models import AuditEntry

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password-1"


@pytest.fixture(autouse=True)
def _clear_rate_limits() -> None:
    cache.clear()


def login(client: Client, email: str, password: str = PASSWORD) -> Any:
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_a_beneficiary_logs_in_with_email_and_password(client: Client, person: Any, orgs: dict) -> None:
    user = person("ben@ngo.example", "beneficiary", orgs["ngo"])
    response = login(client, "ben@ngo.example")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/people/me/").status_code == 200
    assert AuditEntry.objects.filter(action="login", actor=user).exists()


def test_an_authority_role_needs_the_totp_code(client: Client, person: Any, orgs: dict) -> None:
    person("officer@amis.example", "ra_officer", orgs["ra"])
    response = login(client, "officer@amis.example")
    assert response.status_code == 302 and "/accounts/2fa/authenticate/" in response["Location"]
    assert client.get("/organisations/").status_code == 302  # not logged in yet
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200 and b"Incorrect code" in wrong.content
    ok = client.post("/accounts/2fa/authenticate/", {"code": pyotp.TOTP(TOTP_SECRET).now()})
    assert ok.status_code == 302
    assert client.get("/organisations/").status_code == 200


def test_an_authority_role_without_totp_must_set_it_up_first(client: Client, person: Any, orgs: dict) -> None:
    from amis.accounts import services

    user = person("newofficer@amis.example")
    services.role_assign(user=user, role="ra_officer", organisation=orgs["ra"])
    assert login(client, "newofficer@amis.example").status_code == 302
    response = client.get("/organisations/")
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/totp/activate/"
    # setting up a second factor asks for the password once more (allauth's reauthentication)
    reauth = client.get("/accounts/2fa/totp/activate/")
    assert reauth.status_code == 302 and reauth["Location"].startswith("/accounts/reauthenticate/")
    client.post(reauth["Location"], {"password": PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200 and b"secret" in page.content.lower()


def test_repeated_failures_lock_the_account_for_a_while(client: Client, person: Any, orgs: dict) -> None:
    person("ben@ngo.example", "beneficiary", orgs["ngo"])
    for _ in range(5):
        assert login(client, "ben@ngo.example", "wrong-password").status_code == 200
    locked = login(client, "ben@ngo.example")
    assert locked.status_code in (200, 429)
    assert b"Too many failed login attempts" in locked.content
    assert AuditEntry.objects.filter(action="login_failed", actor_label="ben@ngo.example").count() == 5
    assert not AuditEntry.objects.filter(action="login").exists()


def test_password_reset_by_email(client: Client, person: Any, orgs: dict) -> None:
    """The e-mail carries a code typed into the page that asked for it, never a key in a URL (which
    would land in access logs and browser history, issue 10, section 4.3)."""
    import re

    user = person("ben@ngo.example", "beneficiary", orgs["ngo"])
    response = client.post("/accounts/password/reset/", {"email": "ben@ngo.example"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password/reset/confirm/"
    body = str(mail.outbox[0].body)
    assert len(mail.outbox) == 1 and "/accounts/password/reset/key/" not in body
    assert client.get("/accounts/password/reset/key/1-abc/").status_code == 404
    code = re.search(r"^\s*([A-Z0-9]{4,}(?:-[A-Z0-9]+)*)\s*$", body, re.M)
    assert code is not None, body
    # the code is bound to the session that asked for it: another browser is sent to log in
    elsewhere = Client().post("/accounts/password/reset/confirm/", {"code": code.group(1)})
    assert elsewhere["Location"] == "/accounts/login/"
    response = client.post("/accounts/password/reset/confirm/", {"code": code.group(1)})
    assert response.status_code == 302 and "/password/reset/key/" not in response["Location"]
    new = "another-long-password-2"
    response = client.post(response["Location"], {"password1": new, "password2": new})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
