"""People and organisations for the organisation tests.

Authority users get a TOTP device, created the way allauth activates one, because a middleware sends
authority users without a second factor to its set-up page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client

from amis.accounts.models import User
from amis.accounts.roles import AUTHORITY_ROLES, Role
from amis.accounts.services import role_assign
from amis.organisations.models import Organisation

VALID_KBO = ("0308357159", "0410123423", "0200395169", "0850000013", "0417012304")
TOTP_SECRET = "JBSWY3DPEHPK3PXP"


@pytest.fixture
def org(db: None) -> Callable[..., Organisation]:
    def make(kind: str = "ngo", name: str = "Vluchtelingenwerk Vlaanderen", **fields: Any) -> Organisation:
        return Organisation.objects.create(
            kind=kind, name=name, status=fields.pop("status", "approved"), **fields
        )

    return make


@pytest.fixture
def ra_org(org: Callable[..., Organisation]) -> Organisation:
    return org("responsible_authority", "FPS Home Affairs", enterprise_number="0308357159")


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    def make(email: str, role: str | None = None, organisation: Organisation | None = None) -> User:
        user = User.objects.create_user(
            email, "a long test password 1", first_name=email.split("@")[0].title()
        )
        if role is not None:
            role_assign(user=user, role=role, organisation=organisation)
            if Role(role) in AUTHORITY_ROLES:
                TOTP.activate(user, TOTP_SECRET)
        return user

    return make


@pytest.fixture
def ra_officer(make_user: Callable[..., User], ra_org: Organisation) -> User:
    return make_user("officer@ibz.example", Role.RA_OFFICER, ra_org)


@pytest.fixture
def ra_officer2(make_user: Callable[..., User], ra_org: Organisation) -> User:
    return make_user("second@ibz.example", Role.RA_OFFICER, ra_org)


@pytest.fixture
def auditor(make_user: Callable[..., User], org: Callable[..., Organisation]) -> User:
    return make_user("auditor@ifin.example", Role.AUDITOR, org("audit_authority", "Inspectorate of Finance"))


@pytest.fixture
def ngo(org: Callable[..., Organisation]) -> Organisation:
    return org("ngo", "Caritas International", enterprise_number="0410123423", iban="BE71096123456769")


@pytest.fixture
def other_ngo(org: Callable[..., Organisation]) -> Organisation:
    return org("ngo", "Secret Shelter Foundation", enterprise_number="0200395169")


@pytest.fixture
def beneficiary(make_user: Callable[..., User], ngo: Organisation) -> User:
    return make_user("staff@caritas.example", Role.BENEFICIARY, ngo)


@pytest.fixture
def as_user(client: Client) -> Callable[[User], Client]:
    def login(user: User) -> Client:
        client.force_login(user)
        return client

    return login
