"""The desk verification in the REST API: start, bulk decisions by filter, the checklist, completion
with the working; 400 with the fields and nothing saved, 409 on a stale lock, 403 for the preparer
(segregation of duties), 404 outside the caller's scope."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from amis.projects.tests.builders import CARITAS, DA, REDCROSS, user
from amis.reporting.models import ExpenditureLine, Report
from amis.verification.checklist import DEFAULT_ITEMS
from amis.verification.models import LineDecision, Verification
from amis.verification.tests.test_services import VERIFIER, _submitted_report

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _client(email: str) -> Client:
    client = Client()
    client.force_login(user(email))
    return client


def _post(client: Client, path: str, body: Any = None) -> Any:
    return client.post(API + path, data=json.dumps(body or {}), content_type="application/json")


def test_the_whole_verification_through_the_api(belgian: object) -> None:
    report = _submitted_report(12)
    client = _client(VERIFIER)
    path = f"/reports/{report.pk}/verification"
    before = client.get(API + path)
    assert before.status_code == 200 and before.json()["verification"] is None
    assert len(before.json()["checklist"]) == len(DEFAULT_ITEMS)
    started = _post(client, path)
    assert started.status_code == 200 and started.json()["verification"]["status"] == "open"
    line = ExpenditureLine.objects.filter(report=report, category="travel").order_by("position").first()
    assert line is not None
    refused = _post(client, path + "/decisions", {"ids": [line.pk], "decision": "reduced", "reason": "other"})
    assert refused.status_code == 400 and not LineDecision.objects.exists()
    bad_amount = _post(
        client, path + "/decisions", {"category": "staff", "decision": "eligible", "amount_from": "x"}
    )
    assert bad_amount.status_code == 400 and "amount_from" in bad_amount.json()["extra"]["fields"]
    rejected = _post(
        client, path + "/decisions", {"ids": [line.pk], "decision": "ineligible", "reason": "no_document"}
    )
    assert rejected.status_code == 200 and rejected.json()["decided"] == 1
    staff = _post(
        client, path + "/decisions", {"category": "staff", "amount_from": "105.00", "decision": "eligible"}
    )
    staff_count = ExpenditureLine.objects.filter(
        report=report, category="staff", amount_declared__gte=105
    ).count()
    assert staff.status_code == 200 and staff.json()["decided"] == staff_count
    rest = _post(client, path + "/decisions", {"undecided": True, "decision": "eligible"})
    assert rest.json()["totals"]["undecided"] == 0
    lock = client.get(API + path).json()["verification"]["lock_version"]
    no_comment = _post(
        client, path + "/checklist", {"lock_version": lock, "answers": {"documents": {"answer": "no"}}}
    )
    assert no_comment.status_code == 400 and "documents" in no_comment.json()["extra"]["fields"]
    answers = {code: {"answer": "yes"} for code, _t in DEFAULT_ITEMS}
    answered = _post(client, path + "/checklist", {"lock_version": lock, "answers": answers})
    assert answered.status_code == 200
    assert _post(client, path + "/complete", {"lock_version": lock}).status_code == 409
    lock = answered.json()["verification"]["lock_version"]
    done = _post(client, path + "/complete", {"lock_version": lock})
    assert done.status_code == 200, done.content
    result = done.json()["verification"]
    verification = Verification.objects.get(report=report)
    assert result["status"] == "completed" and Decimal(result["eu_share"]) == verification.eu_share
    assert Decimal(result["declared"]) == Decimal(result["eligible_by_decision"]) + Decimal(
        result["ineligible"]
    ) + Decimal(result["reduced"])
    assert {step["rule"] for step in result["working"]} >= {"flat_rate", "agreement_version"}
    assert Report.objects.get(pk=report.pk).status == "accepted"


def test_refusals_in_the_api(belgian: object) -> None:
    report = _submitted_report(3)
    path = f"/reports/{report.pk}/verification"
    preparer = _post(_client(DA), path)
    assert preparer.status_code == 403 and "another person" in preparer.json()["message"]
    assert _client(CARITAS).get(API + path).status_code == 403
    assert _client(REDCROSS).get(API + path).status_code == 404
    not_started = _post(_client(VERIFIER), path + "/decisions", {"undecided": True, "decision": "eligible"})
    assert not_started.status_code == 400
    assert _post(_client(VERIFIER), path + "/complete", {}).status_code == 400
    assert not Verification.objects.exists()
