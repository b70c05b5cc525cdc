from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP

from amis.accounts import services
from amis.accounts.models import User
from amis.organisations.models import Organisation

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture
def orgs(db: None) -> dict[str, Organisation]:
    def make(kind: str, name: str) -> Organisation:
        return Organisation.objects.create(kind=kind, name=name, status="approved")

    return {
        "ra": make("responsible_authority", "RA test"),
        "aa": make("audit_authority", "AA test"),
        "da": make("delegated_authority", "DA test"),
        "ngo": make("ngo", "NGO test"),
        "other_ngo": make("ngo", "Other NGO"),
    }


@pytest.fixture
def person(db: None) -> Any:
    """person('x@y', 'ra_manager', org) -> a user with that role (and TOTP for authority roles)."""

    def make(email: str, role: str | None = None, organisation: Organisation | None = None) -> User:
        user = services.user_create(email=email, password="a-long-test-password-1", actor_label="test")
        if role:
            services.role_assign(user=user, role=role, organisation=organisation, actor_label="test")
            if role != "beneficiary":
                TOTP.activate(user, TOTP_SECRET)
        return user

    return make
