"""Applications through the REST API (token and session)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from amis.accounts import services as accounts
from amis.accounts.models import User
from amis.applications.models import Application
from amis.calls.tests.test_api_cli import demo  # noqa: F401  (fixture)
from amis.demo.calls import CODE
from amis.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_a_beneficiary_applies_and_submits_with_a_token(demo: None) -> None:  # noqa: F811
    user = User.objects.get(email="beneficiary@caritas.example")
    _token, secret = accounts.token_create(user=user, name="grants tool", scope="write")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    org = Organisation.objects.get(short_name="Caritas")
    created = client.post(
        f"/api/v1/calls/{CODE}/applications",
        {"organisation": org.pk, "title": "Second project"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    app = created.json()
    bad = client.patch(
        f"/api/v1/applications/{app['reference']}",
        {
            "lock_version": app["lock_version"],
            "data": {"budget": [{"category": "staff", "year": 2027, "amount": "-3.00"}]},
        },
        content_type="application/json",
    )
    assert bad.status_code == 400 and "budget.0.amount" in bad.json()["extra"]["fields"]
    problems = client.get(f"/api/v1/applications/{app['reference']}/problems").json()
    assert "summary" in problems and "budget" in problems
    early = client.post(
        f"/api/v1/applications/{app['reference']}/submit",
        {"lock_version": app["lock_version"]},
        content_type="application/json",
    )
    assert early.status_code == 400 and "Nothing was saved" in early.json()["message"]
    assert Application.objects.get(reference=app["reference"]).status == "draft"


def test_read_tokens_cannot_write_and_other_organisations_are_hidden(demo: None) -> None:  # noqa: F811
    caritas = User.objects.get(email="beneficiary@caritas.example")
    _t, read_secret = accounts.token_create(user=caritas, name="reader", scope="read")
    reader = Client(HTTP_AUTHORIZATION=f"Bearer {read_secret}")
    assert (
        reader.post(
            f"/api/v1/calls/{CODE}/applications",
            {"organisation": 1, "title": "x"},
            content_type="application/json",
        ).status_code
        == 401
    )
    mine = reader.get("/api/v1/applications").json()
    assert mine["count"] == 1 and [a["organisation"] for a in mine["items"]] == [
        "Caritas International Belgium"
    ]
    other = Application.objects.exclude(organisation__short_name="Caritas").get()
    assert reader.get(f"/api/v1/applications/{other.reference}").status_code == 403


def test_the_api_saves_and_returns_every_part_of_an_application(demo: None) -> None:  # noqa: F811
    user = User.objects.get(email="beneficiary@caritas.example")
    _token, secret = accounts.token_create(user=user, name="grants tool", scope="write")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    draft = Application.objects.get(organisation__short_name="Caritas", status="draft")
    saved = client.patch(
        f"/api/v1/applications/{draft.reference}",
        {
            "lock_version": draft.lock_version,
            "data": {
                "actions": [13],
                "target_groups": ["women"],
                "unaccompanied_minors": 4,
                "partners": [
                    {
                        "name": "VDAB",
                        "country": "BE",
                        "enterprise_number": "0887.010.362",
                        "role": "associate",
                    }
                ],
                "activities": [{"name": "Job fairs", "start": "2027-03-01", "end": "2027-06-30"}],
            },
        },
        content_type="application/json",
    )
    assert saved.status_code == 200, saved.content
    body = client.get(f"/api/v1/applications/{draft.reference}").json()
    assert (
        body["actions"] == [13] and body["target_groups"] == ["women"] and body["unaccompanied_minors"] == 4
    )
    assert body["partners"][0]["name"] == "VDAB" and body["activities"][0]["name"] == "Job fairs"
    assert sum(Decimal(b["amount"]) for b in body["budget"]) == Decimal(body["direct_costs"])
