"""The REST API under /api/v1/ with a real HTTP client."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
BASE = "/api/v1/programmes"


def _officer(client: Client) -> Client:
    """An authority reader: drafts are theirs to see (programme.view_drafts), not the public's."""
    from allauth.mfa.totp.internal.auth import TOTP

    from amis.accounts import services
    from amis.organisations.models import Organisation

    ra = Organisation.objects.create(name="RA", kind="responsible_authority", status="approved")
    user = services.user_create(email="officer@api.example", password="a-long-test-password-1")
    services.role_assign(user=user, role="ra_officer", organisation=ra)
    TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    client.force_login(user)
    return client


def test_programmes_and_versions(client: Client, belgian: Any) -> None:
    """The public reads adopted versions only; an authority reader also the draft."""
    programmes = client.get(BASE).json()
    assert [(p["cci"], p["fund"], p["period"], p["latest_version"]) for p in programmes] == [
        ("2014BE65AMNP001", "AMIF", "2014-2020", 2),
        ("2021BE65AMPR001", "AMIF", "2021-2027", 1),
    ]
    versions = client.get(f"{BASE}/2014BE65AMNP001/versions").json()
    assert [(v["number"], v["status"]) for v in versions] == [(2, "adopted")]
    assert client.get(f"{BASE}/2014BE65AMNP001/versions/3").status_code == 404
    _officer(client)
    assert client.get(BASE).json()[0]["latest_version"] == 3
    versions = client.get(f"{BASE}/2014BE65AMNP001/versions").json()
    assert [(v["number"], v["status"]) for v in versions] == [(3, "draft"), (2, "adopted")]


def test_financing_plan(client: Client, belgian: Any) -> None:
    data = client.get(f"{BASE}/2014BE65AMNP001/versions/2/financing-plan").json()
    assert data["total"] == "177261833.12"
    assert data["table3"]["total"] == "177261833.12"
    assert data["table2"]["per_year"]["2016"] == "23278000.00"
    assert data["specific_objectives"][2]["specific_actions"][0] == {
        "code": "SA5",
        "name": {"en": "Joint return"},
        "total": "7753663.12",
        "programmed": True,
    }


def test_document_indicators_validation_diff(client: Client, belgian: Any) -> None:
    doc = client.get(f"{BASE}/2014BE65AMNP001/versions/2").json()
    assert doc["control_totals"]["table1.total"] == "177261833.12"
    indicators = client.get(f"{BASE}/2014BE65AMNP001/versions/2/indicators").json()
    assert len(indicators) == 19
    assert {i["code"]: i["target"] for i in indicators if i["specific_objective"] == "SO3"}["C2"] == "3920.00"
    findings = client.get(f"{BASE}/2014BE65AMNP001/versions/2/validation").json()
    assert [f["code"] for f in findings] == ["VALID", "2.15"]
    assert client.get(f"{BASE}/2014BE65AMNP001/diff", {"v1": 2, "v2": 3}).status_code == 404  # a draft
    diff = _officer(client).get(f"{BASE}/2014BE65AMNP001/diff", {"v1": 2, "v2": 3}).json()
    assert diff["needs_new_decision"] is False and len(diff["changes"]) == 2


def test_excel_download(client: Client, belgian: Any) -> None:
    response = client.get(f"{BASE}/2014BE65AMNP001/versions/2/tables.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content[:2] == b"PK"


def test_not_found_is_a_clear_404(client: Client, belgian: Any) -> None:
    response = client.get(f"{BASE}/2014BE65AMNP001/versions/9/financing-plan")
    assert response.status_code == 404
    assert response.json() == {"message": "No version 9 of programme 2014BE65AMNP001.", "code": "not_found"}
    assert client.get(f"{BASE}/XX").status_code == 404


def test_openapi_document_and_docs(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    paths = set(schema["paths"])
    assert {
        "/api/v1/programmes",
        "/api/v1/programmes/{cci}/versions/{number}/financing-plan",
        "/api/v1/programmes/{cci}/versions/{number}/validation",
        "/api/v1/programmes/{cci}/diff",
        "/api/v1/programmes/{cci}/versions/{number}/indicators",
    } <= paths
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert b"cdn.jsdelivr" not in docs.content  # served from our own static files: works offline
