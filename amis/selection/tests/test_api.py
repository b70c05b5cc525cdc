"""The selection path through the REST API, each step by the role that owns it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from amis.applications.models import Application
from amis.calls.models import Call
from amis.projects.models import Project
from amis.selection.tests.test_services import SCORES_HIGH, WHY, closed  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def as_(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data, content_type="application/json")


def test_the_selection_path_in_the_api(closed: dict[str, Any]) -> None:  # noqa: F811
    w = closed
    officer, a1, a2, mc = as_(w["da"]), as_(w["a1"]), as_(w["a2"]), as_(w["mc"])
    refs = [a.reference for a in w["apps"].values()]
    for ref in refs:
        assert post(a1, f"/api/v1/applications/{ref}/eligibility", {"answers": {}}).status_code == 403
        response = post(
            officer,
            f"/api/v1/applications/{ref}/eligibility",
            {"answers": {"E1": {"met": True}, "E2": {"met": True}}},
        )
        assert response.json() == {"reference": ref, "status": "eligible"}
        for assessor in (a1, a2):
            state = post(
                assessor,
                f"/api/v1/applications/{ref}/assessments",
                {"no_conflict_of_interest": True, "scores": SCORES_HIGH, "justifications": WHY},
            ).json()
        assert state["complete"] is True and state["total"] == "85.00"
    assert post(a1, f"/api/v1/calls/{w['call'].code}/ranking", {}).status_code == 403
    ranking = post(officer, f"/api/v1/calls/{w['call'].code}/ranking", {}).json()
    assert [r["outcome"] for r in ranking["rows"]] == ["proposed", "proposed"]
    meeting = post(
        officer,
        f"/api/v1/calls/{w['call'].code}/meetings",
        {"date": str(dt.date(2026, 12, 15)), "agenda": "Selection"},
    ).json()
    assert (
        post(
            officer,
            f"/api/v1/meetings/{meeting['id']}/decisions",
            {"application": refs[0], "decision": "approve"},
        ).status_code
        == 403
    )
    for ref in refs:
        assert (
            post(
                mc, f"/api/v1/meetings/{meeting['id']}/decisions", {"application": ref, "decision": "approve"}
            ).status_code
            == 200
        )
    result = post(mc, f"/api/v1/meetings/{meeting['id']}/close", {"minutes": "Both approved."}).json()
    assert set(result["decided"].values()) == {"selected"}
    assert Project.objects.count() == 2
    assert Call.objects.get(pk=w["call"].pk).status == "decided"
    assert set(Application.objects.values_list("status", flat=True)) == {"selected"}


def test_other_fund_list_uploaded_read_and_confirmed(
    closed: dict[str, Any],  # noqa: F811
    run_worker: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    officer = as_(closed["da"])
    upload = SimpleUploadedFile(
        "isf.csv", b"identifier,title,start,end\nISF-1,Border IT,2027-01-01,2027-12-31\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post("/api/v1/other-fund-lists", {"fund": "ISF", "file": upload})
    assert response.status_code == 202 and response.json()["status"] == "queued"
    run_worker()
    read = officer.get(f"/api/v1/other-fund-lists/{response.json()['id']}").json()
    assert read["status"] == "read" and read["projects"] == 1 and read["errors"] == []
    assert read["warnings"][0]["message"].startswith(
        "No project of this list (1 read) can be matched"
    )  # no names
    assert read["warnings"][1]["message"].startswith("No enterprise number (KBO/BCE) column")
    confirmed = post(
        officer, f"/api/v1/other-fund-lists/{read['id']}/confirm", {"lock_version": read["lock_version"]}
    )
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "active"
    bad = SimpleUploadedFile(
        "isf.csv", b"identifier,title,start,end\nISF-2,Border IT,2027-13-01,2027-12-31\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        queued = officer.post("/api/v1/other-fund-lists", {"fund": "ISF", "file": bad}).json()
    run_worker()
    refused = officer.get(f"/api/v1/other-fund-lists/{queued['id']}").json()
    assert refused["status"] == "refused"
    assert [(e["row"], e["column"]) for e in refused["errors"]] == [(2, "start")]
    not_now = post(
        officer, f"/api/v1/other-fund-lists/{queued['id']}/confirm", {"lock_version": refused["lock_version"]}
    )
    assert not_now.status_code == 400 and "read without errors" in not_now.json()["message"]
