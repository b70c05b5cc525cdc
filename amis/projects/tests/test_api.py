"""Projects and agreements in the REST API: scopes (a DA only delegated projects, a beneficiary only
its own, 404 otherwise), the project with its versions and financial picture as decimal strings,
prepare, four-eyes issue, signatures, amendments and transfers with lock_version."""

from __future__ import annotations

import base64
import json
from decimal import Decimal
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client

from amis.accounts import services as accounts
from amis.accounts.models import User
from amis.organisations.models import Organisation
from amis.projects.models import AgreementVersion, BudgetTransfer, Project
from amis.projects.tests.builders import CARITAS, DA, PDF, RA_MANAGER, RA_OFFICER, REDCROSS, selected_project

pytestmark = pytest.mark.django_db


def _client(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def _post(client: Client, path: str, data: dict[str, Any]) -> Any:
    return client.post(path, data=json.dumps(data), content_type="application/json")


def test_the_agreement_through_the_api_with_scopes_and_four_eyes(belgian: object) -> None:
    project = selected_project()
    ref = project.reference
    base = f"/api/v1/projects/{ref}"
    da, officer, manager, ben = _client(DA), _client(RA_OFFICER), _client(RA_MANAGER), _client(CARITAS)
    listed = da.get("/api/v1/projects").json()
    assert listed["count"] == 1 and listed["items"][0]["reference"] == ref
    assert _client(REDCROSS).get("/api/v1/projects").json()["count"] == 0
    assert _client(REDCROSS).get(base).status_code == 404
    outside = accounts.user_create(email="da.so1@amis.example", password="a-long-test-password-1")
    accounts.role_assign(
        user=outside,
        role="da_officer",
        organisation=Organisation.objects.get(short_name="ESF Flanders"),
        specific_objective="SO1",
    )
    TOTP.activate(outside, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")  # authority roles need a second factor
    so1 = Client()
    so1.force_login(outside)
    assert so1.get(base).status_code == 404 and so1.get("/api/v1/projects").json()["count"] == 0
    assert _client("assessor@amis.example").get(base).status_code == 403
    # prepare with the project's lock; a stale one is 409, a missing one 400
    assert _post(da, f"{base}/agreement", {}).status_code == 400
    assert _post(da, f"{base}/agreement", {"lock_version": project.lock_version + 1}).status_code == 409
    assert _post(ben, f"{base}/agreement", {"lock_version": project.lock_version}).status_code == 403
    created = _post(da, f"{base}/agreement", {"lock_version": project.lock_version})
    assert created.status_code == 201, created.content
    version = created.json()
    assert (
        version["number"] == 1
        and version["status"] == "draft"
        and version["terms"]["max_grant"] == "240750.00"
    )
    assert (
        _post(da, f"{base}/agreement/versions/1/issue", {"lock_version": version["lock_version"]}).status_code
        == 403
    )
    issued = _post(officer, f"{base}/agreement/versions/1/issue", {"lock_version": version["lock_version"]})
    assert issued.status_code == 200 and len(issued.json()["pdf_sha256"]) == 64
    lock = issued.json()["lock_version"]
    day = issued.json()["issued_at"][:10]
    signed = _post(
        manager,
        f"{base}/agreement/versions/1/sign/authority",
        {"lock_version": lock, "signatory": "Marc", "signed_on": day},
    )
    assert signed.status_code == 200, signed.content
    bad = _post(
        ben,
        f"{base}/agreement/versions/1/sign/beneficiary",
        {
            "lock_version": signed.json()["lock_version"],
            "signatory": "F",
            "signed_on": "soon",
        },
    )
    assert bad.status_code == 400
    assert _post(ben, f"{base}/agreement/versions/1/sign/authority", {}).status_code == 403
    assert _post(ben, f"{base}/agreement/versions/1/sign/nobody", {}).status_code == 404
    signed = _post(
        ben,
        f"{base}/agreement/versions/1/sign/beneficiary",
        {
            "lock_version": signed.json()["lock_version"],
            "signatory": "Fatima",
            "signed_on": day,
            "scan_name": "signed.pdf",
            "scan_base64": base64.b64encode(PDF).decode(),
        },
    )
    assert signed.status_code == 200 and signed.json()["status"] == "signed"
    # the project with its picture: decimal strings, totals the sums of the rows
    whole = ben.get(base).json()
    assert whole["version_in_force"] == 1 and whole["totals"]["budget"] == "321000.00"
    assert sum(Decimal(r["budget"]) for r in whole["financial_picture"]) == Decimal(whole["totals"]["budget"])
    assert ben.get(f"{base}/agreement/versions/1").json()["terms"]["budget"]
    assert ben.get(f"{base}/agreement/versions/9").status_code == 404
    # transfers: within the tolerance, then above it
    lock = Project.objects.get(pk=project.pk).lock_version
    moved = _post(
        ben,
        f"{base}/transfers",
        {
            "lock_version": lock,
            "from_category": "staff",
            "to_category": "travel",
            "amount": "2000.00",
            "reason": "x",
        },
    )
    assert moved.status_code == 201 and moved.json()["amount"] == "2000.00"
    above = _post(
        ben,
        f"{base}/transfers",
        {
            "lock_version": lock + 1,
            "from_category": "staff",
            "to_category": "travel",
            "amount": "0.01",
            "reason": "x",
        },
    )
    assert above.status_code == 400 and above.json()["code"] == "tolerance"
    nan = _post(
        ben,
        f"{base}/transfers",
        {
            "lock_version": lock + 1,
            "from_category": "staff",
            "to_category": "travel",
            "amount": "NaN",
            "reason": "x",
        },
    )
    assert nan.status_code == 400
    assert BudgetTransfer.objects.count() == 1
    # amendments: the beneficiary asks, the officer may not prepare a second one meanwhile
    lock = Project.objects.get(pk=project.pk).lock_version
    assert _post(ben, f"{base}/amendments", {"lock_version": lock, "reason": "x"}).status_code == 403
    asked = _post(ben, f"{base}/amendment-requests", {"lock_version": lock, "reason": "Longer project."})
    assert asked.status_code == 201 and asked.json()["requested_by_beneficiary"] is True
    again = _post(officer, f"{base}/amendments", {"lock_version": lock, "reason": "Other."})
    assert again.status_code == 400
    withdrawn = _post(
        officer,
        f"{base}/agreement/versions/2/withdraw",
        {"lock_version": asked.json()["lock_version"], "reason": "No."},
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "rejected"
    assert AgreementVersion.objects.filter(agreement__project=project).count() == 2
