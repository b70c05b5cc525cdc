"""Applying to a call of a 2021-2027 programme (tied to an allocation line, with no numbered
programme actions): the beneficiary applies, edits and submits through the pages, as on a 2014-2020
call."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from amis.accounts.models import User
from amis.applications.models import Application
from amis.demo.calls import CODE_2021, load_2021_call, load_calls
from amis.demo.people import load_people
from amis.organisations.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def caritas(belgian: Any) -> User:
    load_people(log=lambda m: None)
    load_calls(log=lambda m: None)
    load_2021_call(log=lambda m: None)
    return User.objects.get(email="beneficiary@caritas.example")


def test_a_beneficiary_applies_edits_and_submits_to_a_2021_2027_call(caritas: User) -> None:
    client = Client()
    client.force_login(caritas)
    page = client.get(f"/calls/{CODE_2021}/").content.decode()
    assert "Start an application" in page
    org = Organisation.objects.get(short_name="Caritas")
    started = client.post(
        f"/calls/{CODE_2021}/apply/", {"organisation": org.pk, "title": "Werk en taal 2027"}
    )
    app = Application.objects.get(title="Werk en taal 2027")
    assert started.status_code == 302 and started["Location"] == f"/applications/{app.reference}/edit/"
    edit = client.get(started["Location"])
    body = edit.content.decode()
    assert edit.status_code == 200 and "Programme actions served" not in body  # the call has none
    assert 'name="indicator_O.2.1"' in body  # the indicator of SO2 the call asks for
    year = app.call.eligible_start.year
    form = {
        "title": app.title,
        "summary": "Dutch at the workplace for newcomers.",
        "description": "",
        "start_date": f"{year}-01-01",
        "end_date": f"{year}-12-31",
        "expected_participants": "60",
        "vulnerable_participants": "10",
        "indirect_rate": "0",
        "target_groups": ["women"],
        "budget_0_category": "staff",
        "budget_0_year": str(year),
        "budget_0_description": "Language coaches",
        "budget_0_amount": "100000.00",
        "funding_eu": "75000.00",
        "funding_national_public": "25000.00",
        "national_public_funder": "Agentschap Integratie en Inburgering",
        "indicator_O.2.1": "60",
        "activity_0_name": "Courses",
        "activity_0_start": f"{year}-01-01",
        "activity_0_end": f"{year}-12-31",
    }
    saved = client.post(
        f"/applications/{app.reference}/edit/", form | {"lock_version": app.lock_version, "save": "1"}
    )
    assert saved.status_code == 302, saved.content.decode()[:3000]
    app.refresh_from_db()
    assert app.summary == "Dutch at the workplace for newcomers." and app.actions == []
    assert app.planned_indicators == {"O.2.1": "60"}
    over_rate = client.post(
        f"/applications/{app.reference}/edit/",
        form
        | {
            "lock_version": app.lock_version,
            "funding_eu": "80000.00",
            "funding_national_public": "20000.00",
            "submit": "1",
        },
    )
    assert over_rate.status_code == 400  # saved as a draft, and not submitted: above the call's 75 %
    assert "this call allows at most 75 %" in over_rate.content.decode()
    app.refresh_from_db()
    assert app.status == "draft"
    fixed = client.post(
        f"/applications/{app.reference}/edit/", form | {"lock_version": app.lock_version, "submit": "1"}
    )
    assert fixed.status_code == 200 and "cannot be changed" in fixed.content.decode()  # asked to confirm
    app.refresh_from_db()
    submitted = client.post(
        f"/applications/{app.reference}/submit/", {"lock_version": app.lock_version, "confirm": "yes"}
    )
    assert submitted.status_code == 302, re.findall(
        r"role=\"alert\"[^<]*>([^<]*)", submitted.content.decode()
    )
    app.refresh_from_db()
    assert app.status == "submitted"
