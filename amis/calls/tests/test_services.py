"""Calls through the services: a delegated authority launches calls only in its part of the
programme, the call's terms are checked, and a budget above what the financing plan has free warns."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from amis.accounts.models import User
from amis.applications.models import Application
from amis.calls import services as call_services
from amis.calls.models import Call
from amis.core.errors import ApplicationError
from amis.demo.calls import CODE, load_calls
from amis.demo.people import load_people
from amis.organisations.models import Organisation
from amis.programme.models import Programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(belgian: Any) -> dict[str, Any]:
    load_people(log=lambda m: None)
    load_calls(log=lambda m: None)
    return {
        "call": Call.objects.get(code=CODE),
        "draft": Application.objects.get(status="draft"),
        "caritas": User.objects.get(email="beneficiary@caritas.example"),
        "redcross": User.objects.get(email="beneficiary@redcross.example"),
        "da": User.objects.get(email="da.flanders@amis.example"),
    }


def _call_data(**changes: Any) -> dict[str, Any]:
    now = timezone.now()
    data = {
        "code": "TEST-01",
        "title": {"en": "Test"},
        "specific_objective": "SO2",
        "national_objectives": ["NO2"],
        "actions": [13],
        "budget": "100000.00",
        "eligible_start": "2027-01-01",
        "eligible_end": "2027-12-31",
        "opens_at": now,
        "closes_at": now + dt.timedelta(days=5),
    }
    data.update(changes)
    return data


def test_a_delegated_officer_launches_calls_only_in_their_scope(demo: dict[str, Any]) -> None:
    programme = Programme.objects.get(cci="2014BE65AMNP001")
    esf = Organisation.objects.get(short_name="ESF Flanders")
    call, warnings = call_services.call_create(
        actor=demo["da"], programme=programme, organisation=esf, data=_call_data()
    )
    assert call.status == "draft" and warnings == []
    with pytest.raises(ApplicationError, match="outside the part of the programme delegated to you"):
        call_services.call_create(
            actor=demo["da"],
            programme=programme,
            organisation=esf,
            data=_call_data(
                code="TEST-02", specific_objective="SO1", national_objectives=["NO1"], actions=[1]
            ),
        )
    assert not Call.objects.filter(code="TEST-02").exists()


def test_call_rules(demo: dict[str, Any]) -> None:
    programme = Programme.objects.get(cci="2014BE65AMNP001")
    esf = Organisation.objects.get(short_name="ESF Flanders")
    for changes, field in (
        ({"max_eu_rate": "0.80"}, "max_eu_rate"),
        ({"budget": "-5.00"}, "budget"),
        ({"budget": "10.001"}, "budget"),
        ({"actions": [1]}, "actions"),
        ({"national_objectives": ["NO9"]}, "national_objectives"),
        ({"award_criteria": [{"code": "A", "weight": 60}, {"code": "B", "weight": 30}]}, "award_criteria"),
        ({"closes_at": timezone.now() - dt.timedelta(days=1)}, "closes_at"),
    ):
        with pytest.raises(ApplicationError) as refused:
            call_services.call_create(
                actor=demo["da"], programme=programme, organisation=esf, data=_call_data(**changes)
            )
        assert field in refused.value.extra["fields"], changes
    assert not Call.objects.filter(code="TEST-01").exists()


def test_over_committing_the_financing_plan_gives_a_warning(demo: dict[str, Any]) -> None:
    programme = Programme.objects.get(cci="2014BE65AMNP001")
    esf = Organisation.objects.get(short_name="ESF Flanders")
    _call, warnings = call_services.call_create(
        actor=demo["da"], programme=programme, organisation=esf, data=_call_data(budget="30000000.00")
    )
    assert len(warnings) == 1 and "still free" in warnings[0] and "30,850,638.11 programmed" in warnings[0]
