"""Application lists stay a page long however many applications a programme receives."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from amis.accounts import services as accounts
from amis.accounts.models import User
from amis.applications import selectors as application_selectors
from amis.applications.models import Application
from amis.calls.models import Call
from amis.demo.calls import CODE, load_calls
from amis.demo.people import load_people
from amis.organisations.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(belgian: Any) -> Call:
    load_people(log=lambda m: None)
    load_calls(log=lambda m: None)
    call = Call.objects.get(code=CODE)
    org = Organisation.objects.get(short_name="Caritas")
    Application.objects.bulk_create(
        Application(
            call=call, organisation=org, reference=f"{CODE}-B{i:03d}", title=f"Bulk {i}", status="draft"
        )
        for i in range(70)
    )
    return call


def _auditor() -> Client:
    client = Client()
    client.force_login(User.objects.get(email="auditor@amis.example"))
    return client


def test_the_page_shows_fifty_at_a_time_with_filters(many: Call) -> None:
    client = _auditor()
    first = client.get("/applications/")
    assert first.status_code == 200 and "72 applications" in first.content.decode()
    assert len(first.context["applications"]) == 50 and "Page 1 of 2" in first.content.decode()
    second = client.get("/applications/?page=2")
    assert len(second.context["applications"]) == 22
    submitted = client.get(f"/applications/?call={CODE}&status=submitted")
    assert [a.status for a in submitted.context["applications"]] == ["submitted"]
    assert "1 application" in submitted.content.decode()


def test_the_api_pages_and_sums_each_budget_to_the_cent(many: Call) -> None:
    _token, secret = accounts.token_create(user=User.objects.get(email="auditor@amis.example"), name="t")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    page = api.get("/api/v1/applications?limit=30&offset=60").json()
    assert page["count"] == 72 and len(page["items"]) == 12 and page["offset"] == 60
    submitted = Application.objects.get(call=many, status="submitted")
    [row] = api.get(f"/api/v1/applications?call={CODE}&status=submitted").json()["items"]
    budget = application_selectors.application_budget(submitted)
    assert (row["direct_costs"], row["indirect_costs"], row["total_cost"]) == (
        str(budget.direct_costs),
        str(budget.indirect_costs),
        str(budget.total_cost),
    )
    assert api.get("/api/v1/applications?limit=500").status_code == 400
