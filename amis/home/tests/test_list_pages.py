"""Lists that grow with the data are 50 a page and filterable: organisations, people, double-funding
flags (issue 12 §3). Here rather than in each app: one place for the shared pagination include."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from amis.accounts import services as accounts
from amis.accounts.models import User
from amis.applications.models import Application
from amis.calls.models import Call
from amis.demo.calls import CODE, load_calls
from amis.demo.people import load_people
from amis.demo.programme import load_belgian_programme
from amis.integrity.models import DoubleFundingFlag, OtherFundList, OtherFundProject
from amis.organisations.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    load_belgian_programme(log=lambda m: None)
    load_people(log=lambda m: None)
    load_calls(log=lambda m: None)


def _as(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def test_organisations_are_fifty_a_page_with_their_filters_kept(demo: None) -> None:
    Organisation.objects.bulk_create(
        Organisation(kind="ngo", name=f"Bulk NGO {i:03d}", status="approved", city="Gent") for i in range(120)
    )
    client = _as("ra.manager@amis.example")
    first = client.get("/organisations/", {"q": "Bulk NGO"})
    assert first.status_code == 200
    assert len(first.context["organisations"]) == 50
    assert first.context["page_obj"].paginator.count == 120
    page = first.content.decode()
    assert "120 organisations" in page and "Page 1 of 3" in page
    assert "?q=Bulk+NGO&amp;page=2" in page  # the next page keeps the search
    last = client.get("/organisations/", {"q": "Bulk NGO", "page": "3"})
    assert [o.name for o in last.context["organisations"]][-1] == "Bulk NGO 119"
    assert client.get("/organisations/", {"page": "nonsense"}).status_code == 200  # first page
    assert client.get("/organisations/", {"kind": "ngo", "status": "pending"}).status_code == 200


def test_people_are_fifty_a_page_and_filter_by_role(demo: None) -> None:
    for i in range(60):
        accounts.user_create(email=f"bulk{i:02d}@people.example", password="a-long-test-password-1")
    client = _as("ra.manager@amis.example")
    first = client.get("/people/")
    assert len(first.context["users"]) == 50 and "Page 1 of" in first.content.decode()
    assessors = client.get("/people/", {"role": "assessor"})
    emails = {u.email for u in assessors.context["users"]}
    assert "assessor@amis.example" in emails and all("bulk" not in e for e in emails)
    assert client.get("/people/", {"role": "nonsense"}).context["page_obj"].paginator.count >= 60
    found = client.get("/people/", {"q": "bulk0"})
    assert found.context["page_obj"].paginator.count == 10


def test_double_funding_flags_are_fifty_a_page_filtered_by_state(demo: None) -> None:
    call = Call.objects.get(code=CODE)
    application = Application.objects.filter(call=call).first()
    assert application is not None
    officer = User.objects.get(email="da.flanders@amis.example")
    esf = OtherFundList.objects.create(fund="ESF", name="esf.csv", status="active", uploaded_by=officer)
    projects = OtherFundProject.objects.bulk_create(
        OtherFundProject(
            source_list=esf,
            fund="ESF",
            beneficiary_name="X",
            identifier=f"ESF-{i:03d}",
            title="t",
            start=dt.date(2025, 1, 1),
            end=dt.date(2025, 12, 31),
            imported_by=officer,
        )
        for i in range(70)
    )
    DoubleFundingFlag.objects.bulk_create(
        DoubleFundingFlag(
            application=application,
            other=p,
            overlap_days=10,
            similarity=Decimal("0.50"),
            reason="r",
            cleared_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC) if i < 5 else None,
            cleared_by=officer if i < 5 else None,
            clearance="not the same costs" if i < 5 else "",
        )
        for i, p in enumerate(projects)
    )
    client = _as("da.flanders@amis.example")
    url = f"/calls/{CODE}/double-funding/"
    first = client.get(url)
    assert first.status_code == 200 and len(first.context["flags"]) == 50
    assert "65 flags not cleared yet." in first.content.decode()
    assert client.get(url, {"state": "cleared"}).context["page_obj"].paginator.count == 5
    assert client.get(url, {"state": "open", "page": "2"}).context["page_obj"].number == 2
    assert client.get(url, {"reference": "no-such"}).context["page_obj"].paginator.count == 0
