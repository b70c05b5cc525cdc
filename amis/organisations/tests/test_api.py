"""Organisation API: token or session, the permission table's roles, JSON errors (400/403/404/409)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from amis.accounts.models import User
from amis.accounts.services import token_create
from amis.organisations import services
from amis.organisations.api import allowed, router
from amis.organisations.models import Organisation

pytestmark = [pytest.mark.django_db, pytest.mark.urls("amis.organisations.tests.urls")]
API = "/api/v1/organisations"


def bearer(user: User, scope: str = "write") -> dict[str, str]:
    _, secret = token_create(user=user, name="test", scope=scope)
    return {"Authorization": f"Bearer {secret}"}


def test_anonymous_is_refused(client: Client) -> None:
    assert client.get(API).status_code == 401


def test_list_and_detail_with_a_token(client: Client, ra_officer: User, ngo: Organisation) -> None:
    auth = bearer(ra_officer, "read")
    names = [o["name"] for o in client.get(API, {"kind": "ngo"}, headers=auth).json()]
    assert names == ["Caritas International"]
    assert "iban" not in client.get(API, headers=auth).json()[0]
    detail = client.get(f"{API}/{ngo.pk}", headers=auth).json()
    assert (detail["enterprise_number"], detail["iban"], detail["contacts"]) == (
        "0410123423",
        "BE71096123456769",
        [],
    )
    assert client.get(f"{API}/999999", headers=auth).status_code == 404


def test_beneficiary_gets_403_for_another_organisation(
    client: Client,
    as_user: Callable[[User], Client],
    beneficiary: User,
    ngo: Organisation,
    other_ngo: Organisation,
) -> None:
    client = as_user(beneficiary)
    assert client.get(f"{API}/{ngo.pk}").status_code == 200
    response = client.get(f"{API}/{other_ngo.pk}")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert "Secret Shelter" not in response.content.decode()
    assert client.get(API).status_code == 403


def test_create_validates_and_reports_fields(client: Client, ra_officer: User) -> None:
    auth = bearer(ra_officer)
    response = client.post(
        API,
        {"kind": "ngo", "name": "Bad", "enterprise_number": "0308.357.158"},
        content_type="application/json",
        headers=auth,
    )
    assert response.status_code == 400 and "enterprise_number" in response.json()["extra"]["fields"]
    response = client.post(
        API,
        {"kind": "red_cross", "name": "Croix-Rouge de Belgique", "enterprise_number": "0850.000.013"},
        content_type="application/json",
        headers=auth,
    )
    assert response.status_code == 201 and response.json()["status"] == "approved"
    assert response.json()["enterprise_number"] == "0850000013"


def test_read_token_and_beneficiary_cannot_create(
    client: Client, ra_officer: User, beneficiary: User
) -> None:
    data = {"kind": "ngo", "name": "X", "enterprise_number": "0850000013"}
    assert (
        client.post(
            API, data, content_type="application/json", headers=bearer(ra_officer, "read")
        ).status_code
        == 401
    )
    assert (
        client.post(API, data, content_type="application/json", headers=bearer(beneficiary)).status_code
        == 403
    )


def test_patch_with_lock_version_and_409_when_stale(
    client: Client, as_user: Callable[[User], Client], ra_officer: User, ngo: Organisation
) -> None:
    client = as_user(ra_officer)
    response = client.patch(
        f"{API}/{ngo.pk}", {"lock_version": 1, "city": "Brussel"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["lock_version"] == 2
    response = client.patch(
        f"{API}/{ngo.pk}", {"lock_version": 1, "city": "Gent"}, content_type="application/json"
    )
    assert response.status_code == 409 and response.json()["code"] == "stale"
    ngo.refresh_from_db()
    assert ngo.city == "Brussel"


def test_decision_endpoint(
    client: Client, make_user: Callable[..., User], ra_officer: User, beneficiary: User
) -> None:
    applicant = make_user("applicant@vzw.example")
    org = services.organisation_register(
        user=applicant, data={"kind": "ngo", "name": "VZW Onthaal", "enterprise_number": "0417012304"}
    )
    url = f"{API}/{org.pk}/decision"
    assert (
        client.post(
            url,
            {"approve": True, "lock_version": 1},
            content_type="application/json",
            headers=bearer(beneficiary),
        ).status_code
        == 403
    )
    auth = bearer(ra_officer)
    response = client.post(
        url, {"approve": False, "lock_version": 1}, content_type="application/json", headers=auth
    )
    assert response.status_code == 400 and "reason" in response.json()["extra"]["fields"]
    response = client.post(
        url, {"approve": True, "lock_version": 1}, content_type="application/json", headers=auth
    )
    assert response.status_code == 200 and response.json()["status"] == "approved"


def test_descriptions_state_the_roles_from_the_permission_table() -> None:
    operations = [op for view in router.path_operations.values() for op in view.operations]
    assert len(operations) == 7  # the bank account and the name each have a decision endpoint
    assert all("Allowed:" in (op.description or "") and op.auth_callbacks for op in operations)
    decide = allowed("organisation.decide")
    assert "Responsible authority officer (ra_officer)" in decide and "Beneficiary" not in decide
    assert "For their own organisation only: Beneficiary user (beneficiary)." in allowed(
        "organisation.update"
    )


def test_refusal_comes_before_the_body_is_read(
    client: Client, beneficiary: User, ra_officer: User, ngo: Organisation, other_ngo: Organisation
) -> None:
    json = "application/json"
    assert (
        client.patch(
            f"{API}/{other_ngo.pk}", "{}", content_type=json, headers=bearer(beneficiary)
        ).status_code
        == 403
    )
    assert client.post(API, "{}", content_type=json, headers=bearer(beneficiary)).status_code == 403
    response = client.patch(
        f"{API}/{ngo.pk}", {"city": "Gent"}, content_type=json, headers=bearer(ra_officer)
    )
    assert response.status_code == 400 and response.json()["detail"][0]["loc"] == ["body", "lock_version"]
    assert client.post(API, "not json", content_type=json, headers=bearer(ra_officer)).status_code == 400
