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
from amis.demo.calls import CODE, load_calls
from amis.demo.people import load_people

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
