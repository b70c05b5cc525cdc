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


def test_other_fund_import_by_file_upload(closed: dict[str, Any]) -> None:  # noqa: F811
    from django.core.files.uploadedfile import SimpleUploadedFile

    officer = as_(closed["da"])
    upload = SimpleUploadedFile(
        "isf.csv", b"identifier,title,start,end\nISF-1,Border IT,2027-01-01,2027-12-31\n"
    )
    response = officer.post("/api/v1/other-fund-projects", {"fund": "ISF", "file": upload})
    assert response.status_code == 200 and response.json() == {"imported": 1}
    bad = SimpleUploadedFile(
        "isf.csv", b"identifier,title,start,end\nISF-2,Border IT,2027-13-01,2027-12-31\n"
    )
    refused = officer.post("/api/v1/other-fund-projects", {"fund": "ISF", "file": bad})
    assert refused.status_code == 400 and "row 2" in refused.json()["message"]
