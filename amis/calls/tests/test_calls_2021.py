"""Calls on a 2021-2027 programme (format 2, CPR Annex V): a call draws on one allocation line (a
specific objective and a type of action) and may not ask more than that line's EU contribution still
has free; the same service, page form, HTMX choices and API as the 2014-2020 calls, which stay as
they were."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from amis.accounts.models import User
from amis.calls import services as call_services
from amis.calls.models import Call
from amis.core.errors import ApplicationError
from amis.demo.calls import CODE_2021, load_2021_call, load_calls
from amis.demo.people import load_people
from amis.demo.programme import BELGIAN_2021_CCI
from amis.organisations.models import Organisation
from amis.programme.models import Programme

pytestmark = pytest.mark.django_db
SO2_REGULAR_EU = "45,000,000.00"  # data/programmes/2021BE65AMPR001.yaml, SO2 regular actions


@pytest.fixture
def people(belgian: Any) -> dict[str, Any]:
    load_people(log=lambda m: None)
    load_calls(log=lambda m: None)
    return {
        "ra": User.objects.get(email="ra.officer@amis.example"),
        "da": User.objects.get(email="da.flanders@amis.example"),
        "programme": Programme.objects.get(cci=BELGIAN_2021_CCI),
        "esf": Organisation.objects.get(short_name="ESF Flanders"),
        "fps": Organisation.objects.get(short_name="FPS HA EFU"),
    }


def _data(**changes: Any) -> dict[str, Any]:
    now = timezone.now()
    data = {
        "code": "BE21-SO2-01",
        "title": {"en": "Integration 2021-2027"},
        "specific_objective": "SO2",
        "type_of_action": "regular",
        "indicators": ["O.2.1"],
        "budget": "1000000.00",
        "eligible_start": "2027-01-01",
        "eligible_end": "2027-12-31",
        "opens_at": now,
        "closes_at": now + dt.timedelta(days=30),
    }
    return data | changes


def _create(people: dict[str, Any], **changes: Any) -> Call:
    call, warnings = call_services.call_create(
        actor=people["ra"], programme=people["programme"], organisation=people["fps"], data=_data(**changes)
    )
    assert warnings == []
    return call


def _publish(people: dict[str, Any], call: Call) -> Call:
    return call_services.call_transition(
        actor=people["ra"],
        call=call,
        status="published",
        expected_lock_version=call.lock_version,
        no_documents=True,
    )


# -- the service -----------------------------------------------------------------------------------


def test_a_call_draws_on_one_allocation_line(people: dict[str, Any]) -> None:
    call = _create(people)
    assert (call.specific_objective, call.type_of_action) == ("SO2", "regular")
    assert call.national_objectives == [] and call.actions == [] and call.specific_action == ""
    assert call_services.free_in_financing_plan(call) == (45_000_000, 0)


def test_a_budget_above_what_the_line_has_free_is_refused(people: dict[str, Any]) -> None:
    _publish(people, _create(people, budget="40000000.00"))
    with pytest.raises(ApplicationError) as refused:
        _create(people, code="BE21-SO2-02", budget="5000000.01")
    message = refused.value.extra["fields"]["budget"]
    assert "5,000,000.00 still free in the EU contribution of SO2, Regular actions" in message
    assert f"{SO2_REGULAR_EU} allocated" in message and "40,000,000.00 in other published calls" in message
    assert "Regulation (EU) 2021/1060, Annex V, financing table 2" in message
    assert not Call.objects.filter(code="BE21-SO2-02").exists()
    # another line of the same objective has its own money; exactly what is free is accepted
    _create(
        people, code="BE21-SO2-SA", type_of_action="specific_actions", budget="6000000.00", max_eu_rate="0.90"
    )
    first = _create(people, code="BE21-SO2-03", budget="5000000.00")
    second = _create(people, code="BE21-SO2-04", budget="5000000.00")  # drafts take nothing yet
    _publish(people, first)
    with pytest.raises(ApplicationError, match="0.00 still free"):
        _publish(people, second)  # the first one published took the rest
    assert Call.objects.get(code="BE21-SO2-04").status == Call.Status.DRAFT
    with pytest.raises(ApplicationError, match="still free"):
        call_services.call_update(
            actor=people["ra"],
            call=Call.objects.get(code="BE21-SO2-SA"),
            data={"budget": "6000000.01"},
            expected_lock_version=1,
        )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"national_objectives": ["NO2"]}, "national_objectives", "has no national objectives"),
        ({"actions": [13]}, "actions", "type of action (allocation line)"),
        ({"type_of_action": ""}, "type_of_action", "Choose the type of action"),
        ({"type_of_action": "operating_support"}, "type_of_action", "it has: regular, specific_actions"),
        ({"specific_objective": "TA"}, "specific_objective", "no specific objective 'TA'"),
        (
            {"max_eu_rate": "0.80"},
            "max_eu_rate",
            "at most 75 % for this type of action (Regulation (EU) 2021/1147, Art. 15(1))",
        ),
        (
            {"type_of_action": "specific_actions", "max_eu_rate": "0.95"},
            "max_eu_rate",
            "at most 90 % for this type of action (Regulation (EU) 2021/1147, Art. 15(2))",
        ),
    ],
)
def test_the_terms_of_a_2021_2027_call_are_checked_with_the_period_s_articles(
    people: dict[str, Any], changes: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ApplicationError) as refused:
        _create(people, **changes)
    assert message in refused.value.extra["fields"][field]
    assert not Call.objects.filter(code="BE21-SO2-01").exists()


def test_operating_support_may_be_financed_in_full(people: dict[str, Any]) -> None:
    call = _create(people, specific_objective="SO1", type_of_action="operating_support", max_eu_rate="1.00")
    call.refresh_from_db()
    assert str(call.max_eu_rate) == "1.0000"


def test_2014_2020_calls_are_unchanged(people: dict[str, Any]) -> None:
    programme = Programme.objects.get(cci="2014BE65AMNP001")
    data = _data(national_objectives=["NO2"], actions=[13], type_of_action="", indicators=["C2"])
    call, warnings = call_services.call_create(
        actor=people["da"],
        programme=programme,
        organisation=people["esf"],
        data=data | {"budget": "30000000.00"},
    )
    assert call.type_of_action == "" and call.national_objectives == ["NO2"]
    assert len(warnings) == 1 and "30,850,638.11 programmed" in warnings[0]  # a warning, as before
    with pytest.raises(ApplicationError) as refused:
        call_services.call_create(
            actor=people["da"],
            programme=programme,
            organisation=people["esf"],
            data=data | {"code": "X", "type_of_action": "regular"},
        )
    assert "not a type of action" in refused.value.extra["fields"]["type_of_action"]


def test_a_delegation_is_for_its_programme_and_a_national_objective_does_not_cover_a_line(
    people: dict[str, Any],
) -> None:
    """The ESF agency's delegation of 2014-2020 SO2 NO2 does not reach the 2021-2027 programme; the
    demo's delegation of the 2021-2027 SO2 does."""
    with pytest.raises(ApplicationError, match="outside the part of the programme delegated to you"):
        call_services.call_create(
            actor=people["da"], programme=people["programme"], organisation=people["esf"], data=_data()
        )
    load_2021_call(log=lambda m: None)
    call, _warnings = call_services.call_create(
        actor=people["da"], programme=people["programme"], organisation=people["esf"], data=_data()
    )
    assert call_services.may_manage(people["da"], call)
    with pytest.raises(ApplicationError, match="outside the part"):
        call_services.call_create(
            actor=people["da"],
            programme=people["programme"],
            organisation=people["esf"],
            data=_data(code="BE21-SO3", specific_objective="SO3"),
        )


# -- the page --------------------------------------------------------------------------------------


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form(people: dict[str, Any], **changes: Any) -> dict[str, Any]:
    year = dt.date.today().year + 1
    data: dict[str, Any] = {
        "programme": BELGIAN_2021_CCI,
        "managing_organisation": str(people["fps"].pk),
        "code": "BE21-SO2-WEB",
        "procedure": "open",
        "languages": ["nl", "fr"],
        "title_nl": "Integratie 2021-2027",
        "title_fr": "Intégration 2021-2027",
        "specific_objective": "SO2",
        "type_of_action": "regular",
        "indicators": ["O.2.1"],
        "budget": "400000.00",
        "max_eu_rate": "75",
        "eligible_kinds": ["ngo"],
        "eligible_start": f"{year}-01-01",
        "eligible_end": f"{year}-12-31",
        "award_0_code": "A1",
        "award_0_text": "Relevance",
        "award_0_weight": "100",
        "award_0_min_score": "50",
        "pass_mark": "50",
        "opens_at": f"{year - 1}-12-01T09:00",
        "closes_at": f"{year}-01-15T12:00",
    }
    return data | changes


def test_the_form_of_a_2021_2027_programme_offers_its_allocation_lines_and_saves(
    people: dict[str, Any],
) -> None:
    client = _client(people["ra"])
    page = client.get(f"/calls/new/?programme={BELGIAN_2021_CCI}").content.decode()
    assert 'name="type_of_action"' in page and 'name="national_objectives"' not in page
    assert "Regular actions (EU contribution 48,000,000.00)" in page  # SO1, the first objective
    so2 = client.get(
        f"/calls/new/objectives/?programme={BELGIAN_2021_CCI}&specific_objective=SO2"
    ).content.decode()
    assert f"Regular actions (EU contribution {SO2_REGULAR_EU})" in so2 and 'value="specific_actions"' in so2
    assert 'value="O.2.1"' in so2 and "Technical assistance" not in so2
    saved = client.post("/calls/new/", _form(people))
    assert saved.status_code == 302, saved.content.decode()[:3000]
    call = Call.objects.get(code="BE21-SO2-WEB")
    assert (call.programme.cci, call.type_of_action, call.indicators) == (
        BELGIAN_2021_CCI,
        "regular",
        ["O.2.1"],
    )
    detail = client.get(saved["Location"]).content.decode()
    assert "Regular actions" in detail
    edit = client.get(f"/calls/{call.code}/edit/").content.decode()
    assert 'value="regular" selected' in edit
    changed = client.post(
        f"/calls/{call.code}/edit/", _form(people, budget="500000.00", lock_version=call.lock_version)
    )
    assert changed.status_code == 302
    call.refresh_from_db()
    assert str(call.budget) == "500000.00"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"type_of_action": "operating_support"}, "type_of_action", "Select a valid choice"),
        ({"type_of_action": ""}, "type_of_action", "This field is required"),
        ({"budget": "45000000.01"}, "budget", "still free in the EU contribution of SO2, Regular actions"),
        ({"max_eu_rate": "90"}, "max_eu_rate", "Regulation (EU) 2021/1147, Art. 15(1)"),
    ],
)
def test_bad_input_on_a_2021_2027_call_is_a_400_that_says_why(
    people: dict[str, Any], changes: dict[str, Any], field: str, message: str
) -> None:
    response = _client(people["ra"]).post("/calls/new/", _form(people, **changes))
    assert response.status_code == 400
    assert not Call.objects.filter(code="BE21-SO2-WEB").exists()
    errors = response.context["form"].errors.get(field)
    assert errors and message in " ".join(errors), response.context["form"].errors
    assert "Nothing was saved" in response.content.decode()


# -- the API ---------------------------------------------------------------------------------------


def test_the_api_creates_and_changes_a_2021_2027_call(people: dict[str, Any]) -> None:
    client = _client(people["ra"])
    payload = {
        "programme": BELGIAN_2021_CCI,
        "organisation": people["fps"].pk,
        "data": _data() | {"opens_at": None},
    }
    payload["data"] |= {"opens_at": "2027-01-01T09:00", "closes_at": "2027-02-01T12:00"}
    created = client.post("/api/v1/calls", payload, content_type="application/json")
    assert created.status_code == 201, created.content.decode()
    out = created.json()["call"]
    assert (out["type_of_action"], out["national_objectives"], out["actions"]) == ("regular", [], [])
    too_much = client.patch(
        "/api/v1/calls/BE21-SO2-01",
        data={"lock_version": out["lock_version"], "data": {"budget": "45000000.01"}},
        content_type="application/json",
    )
    assert too_much.status_code == 400 and "still free in the EU contribution" in too_much.content.decode()
    wrong = client.patch(
        "/api/v1/calls/BE21-SO2-01",
        data={"lock_version": out["lock_version"], "data": {"national_objectives": ["NO2"]}},
        content_type="application/json",
    )
    assert wrong.status_code == 400 and "has no national objectives" in wrong.content.decode()
    assert Call.objects.get(code="BE21-SO2-01").lock_version == 1


# -- the demo --------------------------------------------------------------------------------------


def test_the_demo_publishes_a_2021_2027_call(people: dict[str, Any]) -> None:
    load_2021_call(log=lambda m: None)
    load_2021_call(log=lambda m: None)  # idempotent
    call = Call.objects.get(code=CODE_2021)
    assert (call.programme.cci, call.specific_objective, call.type_of_action) == (
        BELGIAN_2021_CCI,
        "SO2",
        "regular",
    )
    assert call.status == Call.Status.PUBLISHED and call.managing_organisation == people["esf"]
    assert list(call.applications.values_list("status", flat=True)) == ["submitted"]
    out = StringIO()
    call_command("calls", "list", "--format", "json", stdout=out)
    listed = {row["code"]: row for row in json.loads(out.getvalue())}
    assert (
        listed[CODE_2021]["type_of_action"] == "regular"
        and listed[CODE_2021]["programme"] == BELGIAN_2021_CCI
    )
    public = Client().get("/api/v1/calls").json()
    assert CODE_2021 in [c["code"] for c in public]
    assert "Regular actions" in Client().get(f"/calls/{CODE_2021}/").content.decode()


def test_the_refusal_is_in_the_reader_s_language(people: dict[str, Any]) -> None:
    from django.utils import translation

    with translation.override("fr"), pytest.raises(ApplicationError) as refused:
        _create(people, budget="45000000.01")
    message = refused.value.extra["fields"]["budget"]
    assert "encore disponibles dans la contribution de l'UE de SO2, Actions ordinaires" in message
    assert "Regulation (EU) 2021/1060, Annex V, financing table 2" in message


def test_publishing_above_what_is_free_is_refused_at_once_on_the_page(people: dict[str, Any]) -> None:
    _publish(people, _create(people, budget="40000000.00"))
    draft = _create(people, code="BE21-SO2-LATE", budget="5000000.00")
    Call.objects.filter(code="BE21-SO2-01").update(budget="44000000.00")  # the line filled up meanwhile
    response = _client(people["ra"]).post(
        f"/calls/{draft.code}/transition/",
        {"status": "published", "lock_version": draft.lock_version, "no_documents": "yes"},
    )
    assert response.status_code == 400  # not the confirmation of what cannot succeed
    assert "1,000,000.00 still free" in response.content.decode()
    assert Call.objects.get(code="BE21-SO2-LATE").status == Call.Status.DRAFT
