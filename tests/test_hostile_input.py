"""Hostile and malformed input over HTTP (issue 10, section 3): every such request is answered 400 (or
404) with a message the sender can act on, never a 500 or a hang, and saves nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from amis.accounts import services as accounts
from amis.accounts.models import User
from amis.applications.models import Application
from amis.calls.models import Call
from amis.demo.calls import CODE, load_calls
from amis.demo.people import load_people
from amis.organisations.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(belgian: Any) -> dict[str, Any]:
    load_people(log=lambda m: None)
    load_calls(log=lambda m: None)
    return {
        "caritas": User.objects.get(email="beneficiary@caritas.example"),
        "ra": User.objects.get(email="ra.manager@amis.example"),
        "draft": Application.objects.get(call__code=CODE, status="draft"),
    }


def api_client(user: User) -> Client:
    _token, secret = accounts.token_create(user=user, name="test", scope="write")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def page_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def patch(client: Client, app: Application, data: dict[str, Any]) -> Any:
    return client.patch(
        f"/api/v1/applications/{app.reference}",
        json.dumps({"lock_version": app.lock_version, "data": data}),
        content_type="application/json",
    )


def assert_api_refusal(response: Any, *words: str) -> dict[str, Any]:
    assert response.status_code == 400, response.content[:500]
    answer = response.json()
    assert set(answer) == {"message", "code", "extra"}
    for word in words:
        assert word in answer["message"], answer["message"]
    return answer


# ---------------------------------------------------------------------------------------------------
# NUL characters: PostgreSQL cannot hold them, so they are refused before any query.


def test_a_nul_in_a_query_parameter_is_refused_as_json(demo: dict[str, Any]) -> None:
    response = api_client(demo["ra"]).get("/api/v1/organisations?q=a%00b")
    answer = assert_api_refusal(response, "NUL", "query parameter 'q'")
    assert answer["code"] == "bad_request"


def test_a_nul_in_the_path_is_refused_on_pages_and_in_the_api(demo: dict[str, Any]) -> None:
    assert_api_refusal(api_client(demo["ra"]).get("/api/v1/calls/a%00b"), "NUL", "address")
    page = page_client(demo["ra"]).get("/calls/a%00b/")
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")
    assert "NUL" in page.content.decode()


def test_a_nul_in_a_json_string_is_refused_and_nothing_is_saved(demo: dict[str, Any]) -> None:
    app = demo["draft"]
    response = patch(api_client(demo["caritas"]), app, {"summary": "before\x00after"})
    assert_api_refusal(response, "NUL", "request body", "Nothing was saved")
    assert Application.objects.get(pk=app.pk).summary == app.summary
    # a backslash followed by u0000 is six harmless characters, not a NUL
    saved = patch(api_client(demo["caritas"]), app, {"summary": "C:\\u0000"})
    assert saved.status_code == 200 and saved.json()["summary"] == "C:\\u0000"


def test_a_nul_in_a_form_field_is_refused_with_a_page(demo: dict[str, Any]) -> None:
    app = demo["draft"]
    response = page_client(demo["caritas"]).post(
        f"/applications/{app.reference}/edit/", {"lock_version": app.lock_version, "title": "a\x00b"}
    )
    assert response.status_code == 400 and "form field &#x27;title&#x27;" in response.content.decode()
    assert Application.objects.get(pk=app.pk).title == app.title


def test_a_nul_in_a_header_or_cookie_is_refused(demo: dict[str, Any]) -> None:
    client = Client()
    client.cookies["sessionid"] = "abcdefgh\x00"
    cookie = client.get("/calls/")
    assert cookie.status_code == 400 and "cookie &#x27;sessionid&#x27;" in cookie.content.decode()
    refused = Client(HTTP_AUTHORIZATION="Bearer amis_\x00").get("/api/v1/applications")
    assert_api_refusal(refused, "header Authorization")


# ---------------------------------------------------------------------------------------------------
# Malformed bodies, oversized texts, ids of the wrong kind.


def test_a_body_that_is_not_utf8_is_refused_with_where(demo: dict[str, Any]) -> None:
    latin1 = '{"lock_version": 1, "data": {"summary": "café"}}'.encode("latin-1")
    app = demo["draft"]
    refused = api_client(demo["caritas"]).patch(
        f"/api/v1/applications/{app.reference}", latin1, content_type="application/json"
    )
    assert_api_refusal(refused, "not UTF-8", "0xe9")
    organisation = api_client(demo["ra"]).post(
        "/api/v1/organisations", '{"name": "Caf\xe9"}'.encode("latin-1"), content_type="application/json"
    )
    assert organisation.status_code == 400 and "not UTF-8" in organisation.json()["detail"][0]["msg"]


@pytest.mark.parametrize("depth", [25, 5000])
def test_json_nested_deeper_than_any_document_is_refused(demo: dict[str, Any], depth: int) -> None:
    app = demo["draft"]
    nested = '{"lock_version": 1, "data": {"partners": ' + "[" * depth + "]" * depth + "}}"
    refused = api_client(demo["caritas"]).patch(
        f"/api/v1/applications/{app.reference}", nested, content_type="application/json"
    )
    assert_api_refusal(refused, "nests more than 20 levels")


def test_texts_longer_than_their_field_are_refused_and_nothing_is_saved(demo: dict[str, Any]) -> None:
    app = demo["draft"]
    client = api_client(demo["caritas"])
    answer = assert_api_refusal(patch(client, app, {"title": "x" * 1_000_000}), "Nothing was saved")
    assert answer["extra"]["fields"]["title"] == "At most 300 characters (this has 1,000,000)."
    answer = assert_api_refusal(patch(client, app, {"description": "x" * 20_001, "summary": "y" * 4_001}))
    assert set(answer["extra"]["fields"]) == {"description", "summary"}
    created = client.post(
        f"/api/v1/calls/{CODE}/applications",
        {"organisation": app.organisation_id, "title": "t" * 301},
        content_type="application/json",
    )
    assert_api_refusal(created, "title: At most 300 characters")
    fresh = Application.objects.get(pk=app.pk)
    assert (fresh.title, fresh.lock_version) == (app.title, app.lock_version)
    assert Application.objects.count() == 2


def test_a_body_over_the_upload_limit_is_refused_before_it_is_read(
    demo: dict[str, Any], settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    app = demo["draft"]
    refused = patch(api_client(demo["caritas"]), app, {"summary": "x" * 2000})
    assert_api_refusal(refused, "larger than")
    assert refused.json()["code"] == "too_large"


def test_an_object_history_with_an_id_of_the_wrong_kind_is_not_found(demo: dict[str, Any]) -> None:
    page = page_client(demo["ra"]).get("/audit/object/applications.Application/abc/")
    assert page.status_code == 404 and "No such object" in page.content.decode()


# ---------------------------------------------------------------------------------------------------
# Numbers: refused per field, nothing saved.


# Each case is refused and saves nothing, so one demo database serves them all (loading it is slow).
BAD_AMOUNTS = [
    ("abc", "is not a number"),
    ("1e400", "too large"),
    ("99999999999999999.99", "too large"),
    ("10000000000000.00", "too large"),
    ("NaN", "is not a number"),
    ("Infinity", "is not a number"),
    ("sNaN", "is not a number"),
    ("1E+20", "too large"),
    (1e30, "too large"),
    ("1E-20", "too many decimals"),
    ([], "is not a number"),
]


def test_budget_amounts_that_are_no_storable_number_are_refused(demo: dict[str, Any]) -> None:
    app = demo["draft"]
    client = api_client(demo["caritas"])
    for amount, message in BAD_AMOUNTS:
        lines = [{"category": "staff", "year": 2027, "amount": amount}]
        answer = assert_api_refusal(patch(client, app, {"budget": lines}), "Nothing was saved")
        assert message in answer["extra"]["fields"]["budget.0.amount"], amount
    assert Application.objects.get(pk=app.pk).budget_lines.count() == app.budget_lines.count()


def test_the_largest_amount_that_fits_is_saved(demo: dict[str, Any]) -> None:
    app = demo["draft"]
    lines = [{"category": "staff", "year": 2027, "amount": "9999999999999.99"}]
    assert patch(api_client(demo["caritas"]), app, {"budget": lines}).status_code == 200


BAD_PARTS = [
    ({"budget": ["staff"]}, "budget.0"),
    ({"budget": {"category": "staff"}}, "budget"),
    ({"budget": [{"category": "staff", "year": 10**9, "amount": "1.00"}]}, "budget.0.year"),
    ({"budget": [{"category": "staff", "year": "9" * 5000, "amount": "1.00"}]}, "budget.0.year"),
    ({"budget": [{"category": "staff", "year": 2027, "amount": "1.00"}] * 501}, "budget"),
    ({"funding": [1, 2]}, "funding"),
    ({"funding": {"eu": "1e400"}}, "funding.eu"),
    ({"indirect_rate": "0.00001"}, "indirect_rate"),
    ({"expected_participants": 1e30}, "expected_participants"),
    ({"expected_participants": 10**30}, "expected_participants"),
    ({"expected_participants": "9" * 5000}, "expected_participants"),
    ({"funders": "Flanders"}, "funders"),
    ({"funders": {"national_public": "x" * 301}}, "funders.national_public"),
    ({"planned_indicators": ["C2"]}, "planned_indicators"),
    ({"planned_indicators": {"C2": "NaN"}}, "planned_indicators.C2"),
    ({"partners": [{}] * 201}, "partners"),
    ({"summary": {"en": "a summary"}}, "summary"),
]


def test_parts_of_the_wrong_shape_are_refused_per_field(demo: dict[str, Any]) -> None:
    app = demo["draft"]
    client = api_client(demo["caritas"])
    for data, field in BAD_PARTS:
        answer = assert_api_refusal(patch(client, app, data), "Nothing was saved")
        assert field in answer["extra"]["fields"], (field, answer["extra"])
    assert Application.objects.get(pk=app.pk).lock_version == app.lock_version


BAD_CALLS = [
    ({"budget": "1e400"}, "budget"),
    ({"budget": "99999999999999999.99"}, "budget"),
    ({"max_grant": "NaN"}, "max_grant"),
    ({"min_grant": "-1.00"}, "min_grant"),
    ({"pass_mark": "99999"}, "pass_mark"),
    ({"title": "Test"}, "title"),
    ({"title": {"en": "x" * 301}}, "title"),
    ({"code": ["TEST"]}, "code"),
    ({"specific_objective": {"SO2": 1}}, "specific_objective"),
    ({"national_objectives": "NO2"}, "national_objectives"),
    ({"actions": ["13"]}, "actions"),
    ({"award_criteria": ["quality"]}, "award_criteria"),
    ({"procedure": "x" * 50}, "procedure"),
    ({"opens_at": 5}, "opens_at"),
    ({"direct_award_justification": "x" * 20_001}, "direct_award_justification"),
]


def test_call_input_of_the_wrong_shape_or_size_is_refused_per_field(demo: dict[str, Any]) -> None:
    client = api_client(demo["ra"])
    ra = Organisation.objects.get(short_name="FPS HA EFU")
    valid = {
        "code": "TEST-01",
        "title": {"en": "Test"},
        "specific_objective": "SO2",
        "national_objectives": ["NO2"],
        "actions": [13],
        "budget": "100000.00",
        "eligible_start": "2027-01-01",
        "eligible_end": "2027-12-31",
        "opens_at": "2027-01-01T09:00:00",
        "closes_at": "2027-02-01T12:00:00",
    }
    for changes, field in BAD_CALLS:
        answer = assert_api_refusal(
            client.post(
                "/api/v1/calls",
                {"programme": "2014BE65AMNP001", "organisation": ra.pk, "data": valid | changes},
                content_type="application/json",
            ),
            "Nothing was saved",
        )
        assert field in answer["extra"]["fields"], (field, answer["extra"])
    assert not Call.objects.filter(code="TEST-01").exists()
