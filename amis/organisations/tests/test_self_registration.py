"""From the public site to an approved beneficiary: sign up, confirm the e-mail, register, approval."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core import mail
from django.test import Client

from amis.accounts import services
from amis.accounts.permissions import active_roles
from amis.accounts.roles import Role
from amis.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_an_ngo_registers_itself_and_an_officer_approves_it(client: Client) -> None:
    home = client.get("/programmes/").content.decode()
    assert "/accounts/signup/?next=/organisations/register/" in home

    response = client.post(
        "/accounts/signup/?next=/organisations/register/",
        {
            "email": "director@newngo.example",
            "password1": "a-long-test-password-1",
            "password2": "a-long-test-password-1",
        },
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/confirm-email/[^\s]+)", str(mail.outbox[0].body))
    assert link is not None
    client.post(link.group(1))

    client.post(
        "/accounts/login/", {"login": "director@newngo.example", "password": "a-long-test-password-1"}
    )
    form = client.get("/organisations/register/")
    assert form.status_code == 200
    response = client.post(
        "/organisations/register/",
        {
            "kind": "ngo",
            "name": "New Integration NGO",
            "enterprise_number": "0401.234.560",
            "country": "BE",
            "street": "Kerkstraat 1",
            "postcode": "9000",
            "city": "Gent",
            "email": "info@newngo.example",
            "contact_name": "D. Irector",
            "contact_function": "Director",
            "contact_phone": "",
        },
    )
    assert response.status_code in (302, 200), response.content.decode()[:2000]
    organisation = Organisation.objects.get(name="New Integration NGO")
    assert organisation.status == "pending"

    ra = Organisation.objects.create(kind="responsible_authority", name="RA", status="approved")
    officer = services.user_create(email="officer@amis.example", password="a-long-test-password-1")
    services.role_assign(user=officer, role="ra_officer", organisation=ra)
    TOTP.activate(officer, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    officer_client = Client()
    officer_client.force_login(officer)
    assert "New Integration NGO" in officer_client.get("/organisations/registrations/").content.decode()
    officer_client.post(
        f"/organisations/registrations/{organisation.pk}/decide/",
        {
            "decision": "approve",
            "approve": "1",
            "reason": "",
            "lock_version": organisation.lock_version,
        },
    )
    organisation.refresh_from_db()
    assert organisation.status == "approved"
    registrant = organisation.registered_by
    assert registrant is not None
    fresh = type(registrant).objects.get(pk=registrant.pk)
    assert active_roles(fresh) == {Role.BENEFICIARY: {organisation.pk}}
    mine = client.get("/organisations/mine/").content.decode()
    assert "New Integration NGO" in mine


def test_the_registration_form_refuses_a_bad_enterprise_number(
    client: Client, django_user_model: Any
) -> None:
    user = services.user_create(email="x@ngo.example", password="a-long-test-password-1")
    client.force_login(user)
    response = client.post(
        "/organisations/register/",
        {
            "kind": "ngo",
            "name": "Bad NGO",
            "enterprise_number": "0401.234.561",
            "country": "BE",
            "contact_name": "X",
        },
    )
    assert response.status_code == 400
    assert "is not a valid Belgian enterprise number" in response.content.decode()
    assert not Organisation.objects.filter(name="Bad NGO").exists()
