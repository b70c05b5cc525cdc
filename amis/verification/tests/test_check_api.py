"""The on-the-spot checks API: a selection with a seed re-runs to the same sample; a check planned,
the visit recorded with a finding, a correction from it, the finding closed; refusals 400/403/409."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from amis.payments import services as payments
from amis.projects.tests.builders import CARITAS, user
from amis.verification.tests.test_services import VERIFIER, _submitted_report
from amis.verification.tests.test_spot_checks import WEIGHTS

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _client(email: str) -> Client:
    client = Client()
    client.force_login(user(email))
    return client


def _post(client: Client, path: str, body: Any) -> Any:
    return client.post(API + path, data=json.dumps(body), content_type="application/json")


def test_selection_visit_correction_and_closure_through_the_api(belgian: object) -> None:
    project = _submitted_report(3).project
    verifier = _client(VERIFIER)
    run = {
        "programme": "2021BE65AMPR001",
        "year": 2027,
        "weights": WEIGHTS,
        "risk_count": 1,
        "random_count": 1,
    }
    assert _post(verifier, "/checks/selections", {**run, "weights": {"colour": "1"}}).status_code == 400
    made = _post(verifier, "/checks/selections", {**run, "seed": 42})
    assert made.status_code == 201, made.json()
    selection = made.json()
    assert selection["seed"] == 42 and selection["risk_based"] == [project.reference]
    again = verifier.get(f"{API}/checks/selections/{selection['id']}")
    assert again.status_code == 200 and again.json()["rerun_same"] is True
    today = timezone.localdate().isoformat()
    assert (
        _post(
            verifier, "/checks", {"project": project.reference, "kind": "x", "planned_on": today}
        ).status_code
        == 400
    )
    planned = _post(
        verifier,
        "/checks",
        {
            "project": project.reference,
            "kind": "financial",
            "planned_on": today,
            "selection": selection["id"],
        },
    )
    assert planned.status_code == 201
    check = planned.json()
    visit = {
        "lock_version": check["lock_version"],
        "visited_on": today,
        "team": ["Julie Lambert"],
        "summary": "One invoice without proof of payment.",
        "findings": [{"text": "Invoice F-1 unpaid.", "severity": "major", "amount_at_stake": "101.00"}],
    }
    assert _post(verifier, f"/checks/{check['id']}/visit", {**visit, "lock_version": 9}).status_code == 409
    visited = _post(verifier, f"/checks/{check['id']}/visit", visit)
    assert visited.status_code == 200 and visited.json()["status"] == "visited"
    finding = visited.json()["findings"][0]
    before = payments.eu_verified_total(project)
    assert (
        _post(verifier, f"/checks/findings/{finding}/corrections", {"amount": "0", "reason": "x"}).status_code
        == 400
    )
    corrected = _post(
        verifier,
        f"/checks/findings/{finding}/corrections",
        {"amount": "101.00", "reason": "No proof", "category": "travel"},
    )
    assert corrected.status_code == 201
    assert payments.eu_verified_total(project) == before - Decimal(corrected.json()["eu_amount"])
    closed = _post(
        verifier,
        f"/checks/findings/{finding}/close",
        {"lock_version": 1, "follow_up": "Paid proof received."},
    )
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    beneficiary = _client(CARITAS)
    assert beneficiary.get(f"{API}/checks/selections").status_code == 403
    assert _post(beneficiary, f"/checks/{check['id']}/visit", visit).status_code == 403
