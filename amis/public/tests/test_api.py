"""The open-data API without login: the published operations only, natural persons not named,
filters and pages, one operation by its code (a withheld one answers 404)."""

from __future__ import annotations

import pytest
from django.test import Client

from amis.public import services
from amis.public.tests.helpers import RA_MANAGER, RA_OFFICER, base, operation, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> None:
    base()
    operation("PUB-001")
    operation("PUB-002", "Gentse Opvang vzw", municipality="Gent")
    operation("PUB-004", "Jan Janssens", natural_person=True)
    secret = operation("PUB-005", "Geheime Opvang vzw", municipality="Gent")
    exclusion = services.exclusion_propose(
        actor=user(RA_OFFICER), project=secret, reason="security", text="x"
    )
    services.exclusion_approve(actor=user(RA_MANAGER), exclusion=exclusion, expected_lock_version=1)


def test_the_list_anonymously(world: None) -> None:
    body = Client().get("/api/v1/public/operations").json()
    assert (body["count"], body["page"], body["pages"]) == (3, 1, 1)
    assert [o["code"] for o in body["results"]] == ["PUB-001", "PUB-002", "PUB-004"]
    first = body["results"][0]
    assert (first["eu_contribution"], first["eu_cofinancing_rate"], first["currency"]) == (
        "75000.00",
        "0.7500",
        "EUR",
    )
    assert body["results"][2]["beneficiary"] == ""
    assert "Janssens" not in str(body) and "Geheime" not in str(body)


def test_filters_and_one_operation(world: None) -> None:
    client = Client()
    gent = client.get("/api/v1/public/operations?municipality=Gent").json()
    assert [o["code"] for o in gent["results"]] == ["PUB-002"] and gent["count"] == 1
    assert client.get("/api/v1/public/operations?beneficiary=Janssens").json()["count"] == 0
    assert client.get("/api/v1/public/operations?starts_from=not-a-date").status_code == 400
    assert client.get("/api/v1/public/operations?page=99").json()["page"] == 1
    assert client.get("/api/v1/public/operations/PUB-002").json()["municipality"] == "Gent"
    assert client.get("/api/v1/public/operations/PUB-005").status_code == 404
