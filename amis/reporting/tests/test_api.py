"""The reports API: the same checks as the pages (400 per field, nothing saved), scopes (404 outside),
lines paginated, submit / return / justify."""

from __future__ import annotations

import json
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client

from amis.accounts import services as accounts
from amis.accounts.roles import Role
from amis.organisations.models import Organisation
from amis.projects.tests.builders import REDCROSS, user
from amis.reporting.models import ExpenditureLine, Report, ReportSubmission
from amis.reporting.tests.conftest import World

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _client(who: Any) -> Client:
    client = Client()
    client.force_login(who)
    return client


def _send(client: Client, method: str, path: str, body: Any = None) -> Any:
    return getattr(client, method)(API + path, data=json.dumps(body or {}), content_type="application/json")


def test_the_beneficiary_fills_and_submits_a_report_through_the_api(world: World) -> None:
    client = _client(world.caritas)
    listed = client.get(f"{API}/projects/{world.project.reference}/reports")
    assert listed.status_code == 200 and [r["number"] for r in listed.json()] == [1, 2]
    rid = world.report.pk
    report = client.get(f"{API}/reports/{rid}").json()
    patched = _send(
        client,
        "patch",
        f"/reports/{rid}",
        {
            "lock_version": report["lock_version"],
            "progress": "Going well.",
            "indicators": {"O.2.1": {"value": "12", "breakdown": {"minors": "3"}}},
        },
    )
    assert patched.status_code == 200, patched.json()
    assert patched.json()["indicators"][0]["value"] == "12.00" or patched.json()["indicators"][0][
        "value"
    ].startswith("12")
    refused = _send(
        client, "post", f"/reports/{rid}/lines", world.line(category="castles", amount_declared="1.234")
    )
    assert refused.status_code == 400
    assert {"category", "amount_declared"} <= set(refused.json()["extra"]["fields"])
    assert not ExpenditureLine.objects.exists()
    added = _send(client, "post", f"/reports/{rid}/lines", world.line())
    assert added.status_code == 201 and added.json()["line"]["amount_declared"] == "1000.00"
    twice = _send(client, "post", f"/reports/{rid}/lines", world.line())
    second = twice.json()["line"]
    assert (
        second["duplicate_of"]["position"] == 1
        and second["duplicate_of"]["project"] == world.project.reference
    )
    lock = client.get(f"{API}/reports/{rid}").json()["lock_version"]
    blocked = _send(client, "post", f"/reports/{rid}/submit", {"lock_version": lock})
    assert blocked.status_code == 400 and "duplicates" in blocked.json()["extra"]["fields"]
    assert (
        _send(
            client, "post", f"/reports/{rid}/lines/{second['id']}/justify", {"justification": "Two parts."}
        ).status_code
        == 200
    )
    changed = _send(client, "patch", f"/reports/{rid}/lines/{second['id']}", {"amount_declared": "500.00"})
    assert changed.status_code == 200 and changed.json()["line"]["amount_declared"] == "500.00"
    page = client.get(f"{API}/reports/{rid}/lines?limit=1&offset=1").json()
    assert page["count"] == 2 and [i["position"] for i in page["items"]] == [2]
    assert _send(client, "post", f"/reports/{rid}/submit", {}).status_code == 400
    done = _send(client, "post", f"/reports/{rid}/submit", {"lock_version": lock})
    assert done.status_code == 200 and done.json()["status"] == "submitted" and done.json()["round"] == 1
    assert _send(client, "delete", f"/reports/{rid}/lines/{second['id']}").status_code == 400
    da = _client(world.da)
    returned = _send(
        da,
        "post",
        f"/reports/{rid}/return",
        {"lock_version": done.json()["lock_version"], "comments": "Fix."},
    )
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    assert _send(client, "delete", f"/reports/{rid}/lines/{second['id']}").status_code == 204
    assert ReportSubmission.objects.get().return_comments == "Fix."


def test_scopes_hide_other_reports(world: World) -> None:
    rid = world.report.pk
    other = _client(user(REDCROSS))
    assert other.get(f"{API}/reports/{rid}").status_code == 404
    assert other.get(f"{API}/projects/{world.project.reference}/reports").status_code == 404
    assert _send(other, "post", f"/reports/{rid}/lines", world.line()).status_code == 404
    outsider = accounts.user_create(email="da-so1@amis.example", password="a-long-test-password-1")
    accounts.role_assign(
        user=outsider,
        role=Role.DA_OFFICER,
        organisation=Organisation.objects.get(short_name="ESF Flanders"),
        specific_objective="SO1",
    )
    TOTP.activate(outsider, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    assert _client(outsider).get(f"{API}/reports/{rid}").status_code == 404
    da = _client(world.da)
    assert da.get(f"{API}/reports/{rid}").status_code == 200
    assert _send(da, "post", f"/reports/{rid}/lines", world.line()).status_code == 403
    assert (
        _send(da, "post", f"/reports/{rid}/return", {"lock_version": 1, "comments": "x"}).status_code == 400
    )
    assert not ExpenditureLine.objects.exists() and Report.objects.get(pk=rid).status == "open"
