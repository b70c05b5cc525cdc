"""Refusals that depend on who asks: a delegated officer outside their part of the programme, an
applicant for another organisation, an assessor with a declared conflict of interest. Each is
refused (403 over HTTP), saves nothing, and stays in the audit trail although the service's
transaction rolled back."""

from __future__ import annotations

import json
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.exceptions import PermissionDenied
from django.test import Client

from amis.accounts import services as accounts
from amis.accounts.models import User
from amis.accounts.roles import Role
from amis.accounts.services import SegregationOfDutiesError
from amis.applications import services as applications
from amis.applications.models import Application
from amis.calls.models import Call
from amis.core.errors import ForbiddenError
from amis.core.models import AuditEntry
from amis.demo.calls import (
    CODE,
    DRAFT_CODE,
    IN_ASSESSMENT_CODE,
    load_call_in_assessment,
    load_calls,
    load_draft_call,
)
from amis.demo.people import load_people
from amis.integrity import services as integrity
from amis.organisations.models import Organisation
from amis.selection import services as selection

pytestmark = pytest.mark.django_db
SO1_ONLY = "da-so1@amis.example"


@pytest.fixture
def demo(belgian: Any) -> dict[str, Any]:
    load_people(log=lambda m: None)
    load_calls(log=lambda m: None)
    load_call_in_assessment(log=lambda m: None)
    load_draft_call(log=lambda m: None)
    flanders = Organisation.objects.get(short_name="ESF Flanders")
    outside = accounts.user_create(email=SO1_ONLY, password="a-long-test-password-1")
    accounts.role_assign(user=outside, role=Role.DA_OFFICER, organisation=flanders, specific_objective="SO1")
    TOTP.activate(outside, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")  # authority roles log in with a second factor
    return {"call": Call.objects.get(code=IN_ASSESSMENT_CODE), "outside": outside}


def _refusals(user: User) -> int:
    return AuditEntry.objects.filter(actor=user, action="permission_refused").count()


def test_an_officer_outside_the_delegated_part_is_refused_everywhere(demo: dict[str, Any]) -> None:
    call, outside = demo["call"], demo["outside"]
    app = call.applications.order_by("reference").last()
    assert app is not None
    attempts = [
        lambda: selection.check_eligibility(actor=outside, application=app, answers={}),
        lambda: selection.consolidate(actor=outside, application=app, scores={}, note="x"),
        lambda: selection.rank_and_propose(actor=outside, call=call),
        lambda: selection.meeting_plan(actor=outside, call=call, date=call.eligible_start, agenda="x"),
        lambda: integrity.refresh_double_funding_flags(actor=outside, call=call),
    ]
    for number, attempt in enumerate(attempts, start=1):
        with pytest.raises(ForbiddenError, match="outside the part of the programme delegated to you"):
            attempt()
        assert _refusals(outside) == number  # recorded, though the service rolled back
    assert Application.objects.get(pk=app.pk).lock_version == app.lock_version


def test_the_api_answers_403_outside_the_delegated_part(demo: dict[str, Any]) -> None:
    client = Client()
    client.force_login(demo["outside"])
    app = demo["call"].applications.order_by("reference").first()
    assert app is not None
    response = client.post(
        f"/api/v1/applications/{app.reference}/eligibility",
        data=json.dumps({"answers": {"E1": {"met": True}}}),
        content_type="application/json",
    )
    assert response.status_code == 403 and "delegated to you" in response.json()["message"]


def test_applying_for_another_organisation_is_refused_and_recorded(demo: dict[str, Any]) -> None:
    redcross = User.objects.get(email="beneficiary@redcross.example")
    caritas = Organisation.objects.get(short_name="Caritas")
    count = Application.objects.count()
    with pytest.raises(PermissionDenied):
        applications.application_create(
            actor=redcross, call=Call.objects.get(code=CODE), organisation=caritas, title="Not ours"
        )
    assert Application.objects.count() == count
    assert _refusals(redcross) == 1


def test_an_assessor_with_a_declared_conflict_is_refused_and_recorded(demo: dict[str, Any]) -> None:
    assessor = User.objects.get(email="assessor2@amis.example")
    app = demo["call"].applications.filter(status="eligible").order_by("reference").first()
    assert app is not None
    accounts.conflict_of_interest_declare(
        user=assessor, organisation=app.organisation, reason="My sister runs it."
    )
    with pytest.raises(SegregationOfDutiesError):
        selection.assess(
            actor=assessor, application=app, no_conflict_of_interest=True, scores={}, justifications={}
        )
    assert _refusals(assessor) == 1
    client = Client()
    client.force_login(assessor)
    response = client.post(
        f"/api/v1/applications/{app.reference}/assessments",
        data=json.dumps({"no_conflict_of_interest": True, "scores": {}, "justifications": {}}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert _refusals(assessor) == 2


def test_an_officer_s_token_sees_draft_calls_in_the_public_endpoints(demo: dict[str, Any]) -> None:
    officer = User.objects.get(email="ra.officer@amis.example")
    _token, secret = accounts.token_create(user=officer, name="reporting tool")
    client = Client()
    anonymous = [c["code"] for c in client.get("/api/v1/calls").json()]
    assert DRAFT_CODE not in anonymous
    with_token = client.get("/api/v1/calls", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert DRAFT_CODE in [c["code"] for c in with_token.json()]
    assert client.get(f"/api/v1/calls/{DRAFT_CODE}", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    assert client.get(f"/api/v1/calls/{DRAFT_CODE}").status_code == 404
    assert client.get("/api/v1/calls", HTTP_AUTHORIZATION="Bearer amis_bad_token").status_code == 401
