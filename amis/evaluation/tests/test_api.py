"""The evaluation API: the same services and scope as the pages; 201 on creation, 400 for a broken
rule, 403 for the wrong role, 404 outside the caller's programmes, 409 for a stale lock_version."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from amis.demo.evaluations import load_evaluations
from amis.evaluation.models import Evaluation, Recommendation
from amis.evaluation.tests.helpers import AUDITOR, CARITAS, DA, MC, PDF, RA_OFFICER, VERIFIER, base, user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _demo(db: None) -> None:
    base()
    load_evaluations(log=lambda m: None)


def _client(email: str) -> Client:
    client = Client()
    client.force_login(user(email))
    return client


def _post(client: Client, path: str, data: dict[str, Any]) -> Any:
    return client.post(path, data=json.dumps(data), content_type="application/json")


def test_reading_the_plans_evaluations_and_recommendations() -> None:
    client = _client(AUDITOR)
    plans = client.get("/api/v1/evaluations/plans").json()
    assert [(p["programme"], p["status"]) for p in plans] == [
        ("2014BE65AMNP001", "approved"),
        ("2021BE65AMPR001", "approved"),
    ]
    plan = client.get("/api/v1/evaluations/plans/2021BE65AMPR001").json()
    assert [(e["kind"], e["status"], e["overdue"]) for e in plan["evaluations"]] == [
        ("mid_term", "in_progress", True),
        ("impact", "planned", False),
    ]
    interim = Evaluation.objects.get(kind="interim")
    detail = client.get(f"/api/v1/evaluations/{interim.pk}").json()
    assert len(detail["questions"]) == 5 and detail["reports"][0]["name"] == "interim-evaluation-2017.pdf"
    assert [r["status"] for r in detail["recommendations"]] == ["closed", "in_progress", "open"]
    overdue = client.get("/api/v1/evaluations/recommendations?overdue=true").json()
    assert [(r["number"], r["overdue"]) for r in overdue] == [(3, True)]
    one = client.get(f"/api/v1/evaluations/recommendations/{overdue[0]['id']}").json()
    assert [h["kind"] for h in one["history"]] == ["recorded", "response"]
    assert len(client.get("/api/v1/evaluations?status=in_progress").json()) == 1
    assert client.get("/api/v1/evaluations?status=done").status_code == 400
    da = _client(DA)
    assert {e["programme"] for e in da.get("/api/v1/evaluations").json()} == {"2014BE65AMNP001"}
    mid_term = Evaluation.objects.get(kind="mid_term")
    assert da.get(f"/api/v1/evaluations/{mid_term.pk}").status_code == 404
    assert da.get("/api/v1/evaluations/plans/2021BE65AMPR001").status_code == 404
    for who in (VERIFIER, CARITAS):
        assert _client(who).get("/api/v1/evaluations").status_code == 403


def test_writing_through_the_api() -> None:
    client = _client(RA_OFFICER)
    mid_term = Evaluation.objects.get(kind="mid_term")
    added = _post(
        client,
        f"/api/v1/evaluations/{mid_term.pk}/questions",
        {"text": "Coherent?", "criterion": "coherence"},
    )
    assert added.status_code == 201 and added.json()["number"] == 3
    assert (
        _post(
            client, f"/api/v1/evaluations/{mid_term.pk}/questions", {"text": "?", "criterion": "beauty"}
        ).status_code
        == 400
    )
    mid_term.refresh_from_db()
    upload = client.post(
        f"/api/v1/evaluations/{mid_term.pk}/report", {"file": SimpleUploadedFile("mid-term.pdf", PDF)}
    )
    assert upload.status_code == 201 and len(upload.json()["sha256"]) == 64
    step = f"/api/v1/evaluations/{mid_term.pk}/status"
    stale = _post(client, step, {"lock_version": 1, "status": "delivered", "on": "2024-04-30"})
    assert stale.status_code == 409
    delivered = _post(
        client, step, {"lock_version": mid_term.lock_version, "status": "delivered", "on": "2024-04-30"}
    )
    assert delivered.status_code == 200 and delivered.json()["overdue"] is False
    created = _post(
        client,
        f"/api/v1/evaluations/{mid_term.pk}/recommendations",
        {"text": "Simplify the reporting.", "addressed_to": "RA", "priority": "high"},
    )
    assert created.status_code == 201
    rec = created.json()
    responded = _post(
        client,
        f"/api/v1/evaluations/recommendations/{rec['id']}/response",
        {"lock_version": 1, "response": "rejected", "reason": "Set by the regulation."},
    )
    assert responded.status_code == 200 and responded.json()["response"] == "rejected"
    refused = _post(
        client,
        f"/api/v1/evaluations/recommendations/{rec['id']}/status",
        {"lock_version": 2, "status": "in_progress"},
    )
    assert refused.status_code == 400
    closed = _post(
        client,
        f"/api/v1/evaluations/recommendations/{rec['id']}/status",
        {"lock_version": 2, "status": "closed", "note": "Rejected."},
    )
    assert closed.status_code == 200 and [h["to"] for h in closed.json()["history"]] == [
        "open",
        "open",
        "closed",
    ]
    assert Recommendation.objects.get(pk=rec["id"]).status == "closed"


def test_plans_through_the_api() -> None:
    client = _client(RA_OFFICER)
    assert (
        _post(
            client, "/api/v1/evaluations/plans", {"programme": "2014BE65AMNP001", "title": "Again"}
        ).status_code
        == 400
    )
    assert (
        _post(client, "/api/v1/evaluations/plans", {"programme": "XX", "title": "Again"}).status_code == 404
    )
    plan = client.get("/api/v1/evaluations/plans/2021BE65AMPR001").json()
    back = _post(
        client,
        "/api/v1/evaluations/plans/2021BE65AMPR001/status",
        {"lock_version": plan["lock_version"], "status": "draft"},
    )
    assert back.status_code == 400  # an approved plan stays approved
    created = _post(
        client,
        "/api/v1/evaluations/plans/2014BE65AMNP001/evaluations",
        {
            "kind": "thematic",
            "title": "Legal aid",
            "evaluator_type": "external",
            "evaluator": "Firm",
            "planned_start": "2019-01-07",
            "planned_end": "2019-06-28",
            "due_date": "2019-06-30",
            "specific_objectives": ["SO1"],
        },
    )
    assert created.status_code == 201 and created.json()["due_date"] == "2019-06-30"
    assert Evaluation.objects.get(title="Legal aid").planned_end == dt.date(2019, 6, 28)
    mc = _client(MC)
    assert _post(mc, "/api/v1/evaluations/plans/2014BE65AMNP001/evaluations", {}).status_code == 403
    patch = client.patch(
        "/api/v1/evaluations/plans/2014BE65AMNP001",
        data=json.dumps({"lock_version": 3, "title": "New"}),
        content_type="application/json",
    )
    assert patch.status_code == 400  # approved: only a draft changes


def test_correcting_an_evaluation_through_the_api() -> None:
    client = _client(RA_OFFICER)
    mid_term = Evaluation.objects.get(kind="mid_term")
    body = {
        "lock_version": mid_term.lock_version,
        "title": "Mid-term",
        "evaluator_type": "internal",
        "evaluator": "Service",
        "planned_start": "2023-06-01",
        "planned_end": "2024-03-01",
        "specific_objectives": ["SO9"],
    }
    patch = lambda data: client.patch(  # noqa: E731
        f"/api/v1/evaluations/{mid_term.pk}", data=json.dumps(data), content_type="application/json"
    )
    assert patch(body).status_code == 400  # SO9 is no objective of the programme
    done = patch({**body, "specific_objectives": ["SO1"]})
    assert done.status_code == 200 and done.json()["planned_end"] == "2024-03-01"
    assert done.json()["due_date"] == "2024-03-31"
    assert patch({**body, "specific_objectives": []}).status_code == 409
    assert (
        _client(MC)
        .patch(f"/api/v1/evaluations/{mid_term.pk}", data=json.dumps(body), content_type="application/json")
        .status_code
        == 403
    )
