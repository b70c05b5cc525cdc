"""The API of findings on a desk verification, irregularities and the beneficiary's reply: roles and
scopes, 400 on bad input, 409 on a stale lock_version, never a 500."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from amis.projects.tests.builders import CARITAS, REDCROSS, user
from amis.verification import services
from amis.verification.models import Finding
from amis.verification.tests.test_irregularities import outside_da, visited_check
from amis.verification.tests.test_services import VERIFIER, _submitted_report

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _client(who: Any) -> Client:
    client = Client()
    client.force_login(user(who) if isinstance(who, str) else who)
    return client


def _post(client: Client, path: str, body: Any) -> Any:
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(API + path, data=data, content_type="application/json")


def test_irregularities_recorded_listed_and_moved_through_the_api(belgian: object) -> None:
    check = visited_check()
    finding = check.findings.order_by("pk").first()
    assert finding is not None
    verifier = _client(VERIFIER)
    path = f"/checks/findings/{finding.pk}/irregularities"
    today = timezone.localdate().isoformat()
    good = {"type": "procurement", "amount": "300.00", "detected_on": today, "description": "No tender."}
    assert _post(verifier, path, "{not json").status_code == 400
    assert _post(verifier, path, {**good, "amount": "abc"}).status_code == 400
    assert _post(verifier, path, {**good, "type": "colour"}).status_code == 400
    assert _post(verifier, path, {**good, "amount": "1.001"}).status_code == 400
    assert (
        _post(verifier, path, {**good, "amount": "10000000000000.00"}).status_code == 400
    )  # too large to store
    assert _post(verifier, path, {**good, "amount": "NaN"}).status_code == 400
    assert _post(_client(CARITAS), path, good).status_code in (403, 404)
    made = _post(verifier, path, good)
    assert made.status_code == 201, made.json()
    irregularity = made.json()
    assert irregularity["status"] == "suspected" and irregularity["history"][0]["to"] == "suspected"

    listed = verifier.get(f"{API}/checks/irregularities", {"status": "suspected", "type": "procurement"})
    assert listed.status_code == 200 and [i["id"] for i in listed.json()] == [irregularity["id"]]
    assert verifier.get(f"{API}/checks/irregularities", {"status": "colour"}).status_code == 400
    assert verifier.get(f"{API}/checks/irregularities", {"type": "colour"}).status_code == 400
    assert _client(CARITAS).get(f"{API}/checks/irregularities").status_code == 403
    outside = _client(outside_da())
    assert outside.get(f"{API}/checks/irregularities").json() == []
    assert outside.get(f"{API}/checks/irregularities/{irregularity['id']}").status_code == 404

    step = f"/checks/irregularities/{irregularity['id']}/status"
    assert _post(verifier, step, {"lock_version": 1}).status_code == 400
    assert (
        _post(verifier, step, {"lock_version": 1, "status": "established", "reason": ""}).status_code == 400
    )
    assert _post(outside, step, {"lock_version": 1, "status": "closed", "reason": "x"}).status_code == 404
    done = _post(verifier, step, {"lock_version": 1, "status": "established", "reason": "Confirmed."})
    assert done.status_code == 200 and done.json()["status"] == "established"
    assert _post(verifier, step, {"lock_version": 1, "status": "closed", "reason": "x"}).status_code == 409
    back = _post(verifier, step, {"lock_version": 2, "status": "suspected", "reason": "x"})
    assert back.status_code == 400 and "cannot become" in back.json()["message"]
    closed = _post(verifier, step, {"lock_version": 2, "status": "closed", "reason": "Corrected."})
    assert closed.json()["status"] == "closed" and not closed.json()["not_confirmed"]
    detail = verifier.get(f"{API}/checks/irregularities/{irregularity['id']}").json()
    assert [(h["from"], h["to"]) for h in detail["history"]] == [
        ("", "suspected"),
        ("suspected", "established"),
        ("established", "closed"),
    ]


def test_the_beneficiary_reads_and_answers_the_visit_through_the_api(belgian: object) -> None:
    check = visited_check()
    first, _second = check.findings.order_by("pk")
    caritas = _client(CARITAS)
    path = f"/checks/{check.pk}/reply"
    seen = caritas.get(API + path)
    assert seen.status_code == 200
    body = seen.json()
    assert [f["text"] for f in body["findings"]] == ["Invoice F-1 unpaid.", "Logo missing on the leaflet."]
    assert not {"selection", "checklist", "scores", "created_by"} & set(body)
    assert _client(REDCROSS).get(API + path).status_code == 404
    assert _client(VERIFIER).get(API + path).status_code == 403
    assert _post(caritas, path, {"lock_version": check.lock_version}).status_code == 400
    assert _post(caritas, path, {"lock_version": check.lock_version, "reply": " "}).status_code == 400
    sent = _post(
        caritas,
        path,
        {"lock_version": check.lock_version, "reply": "Agreed.", "findings": {str(first.pk): "Paid now."}},
    )
    assert sent.status_code == 200, sent.json()
    assert (
        sent.json()["reply"] == "Agreed." and sent.json()["findings"][0]["beneficiary_reply"] == "Paid now."
    )
    stale = _post(caritas, path, {"lock_version": check.lock_version, "reply": "Again."})
    assert stale.status_code == 409
    officer = _client(VERIFIER).get(f"{API}/checks/{check.pk}")
    assert officer.status_code == 200 and officer.json()["beneficiary_reply"] == "Agreed."
    assert caritas.get(f"{API}/checks/{check.pk}").status_code == 403
    assert _post(_client(REDCROSS), path, {"lock_version": 1, "reply": "x"}).status_code == 404


def test_a_finding_recorded_on_a_verification_through_the_api(belgian: object) -> None:
    report = _submitted_report(3)
    verifier = _client(VERIFIER)
    path = f"/reports/{report.pk}/verification/findings"
    assert _post(verifier, path, {"text": "Early."}).status_code == 400  # not started
    services.verification_start(actor=user(VERIFIER), report=report)
    assert _post(verifier, path, {"text": "x", "severity": "huge"}).status_code == 400
    assert _post(verifier, path, {"severity": "minor"}).status_code == 400
    assert _post(_client(CARITAS), path, {"text": "Mine."}).status_code == 403
    made = _post(
        verifier, path, {"text": "Double invoice.", "amount_at_stake": "50.00", "recommendation": "Explain."}
    )
    assert made.status_code == 201, made.json()
    finding = Finding.objects.get(pk=made.json()["id"])
    assert finding.verification is not None and finding.verification.report == report
