"""The change stamp of each operation (`published_changed_at`), the API's `updated_since` for
harvesters, its rate limit, and the HTTP validators (ETag, Last-Modified, 304) of the list, the
CSV, the API and one operation — a withheld operation changes them and then simply disappears."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import timezone

from amis.organisations.models import Organisation
from amis.projects.models import Project
from amis.public import services
from amis.public.models import OperationStamp
from amis.public.tests.helpers import RA_MANAGER, RA_OFFICER, base, operation, user

pytestmark = pytest.mark.django_db

API = "/api/v1/public/operations"


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(django_capture_on_commit_callbacks: Callable[..., Any]) -> None:
    base()
    with django_capture_on_commit_callbacks(execute=True):
        operation("PUB-001")
        operation("PUB-002", "Gentse Opvang vzw", municipality="Gent")
        operation("PUB-003", "Brugse Hulp vzw", municipality="Brugge")


def _age_every_stamp() -> dt.datetime:
    """Move every stamp an hour back, as if the operations were harvested long ago."""
    past = timezone.now() - dt.timedelta(hours=1)
    OperationStamp.objects.update(published_changed_at=past)
    return past + dt.timedelta(minutes=1)


def _codes(body: dict[str, Any]) -> list[str]:
    return [o["code"] for o in body["results"]]


def test_every_operation_is_stamped_after_its_change_commits(
    world: None, django_capture_on_commit_callbacks: Any
) -> None:
    assert OperationStamp.objects.count() == 3
    since = _age_every_stamp()
    gent = Project.objects.get(reference="PUB-002")
    with django_capture_on_commit_callbacks(execute=False) as pending:
        Organisation.objects.filter(pk=gent.organisation_id).first().save()  # type: ignore[union-attr]
    # not yet: only once the change has committed
    assert not OperationStamp.objects.filter(published_changed_at__gt=since).exists()
    for callback in pending:
        callback()
    assert list(
        OperationStamp.objects.filter(published_changed_at__gt=since).values_list(
            "project__reference", flat=True
        )
    ) == ["PUB-002"]


def test_updated_since_lists_only_what_changed(world: None, django_capture_on_commit_callbacks: Any) -> None:
    since = _age_every_stamp()
    client = Client()
    assert client.get(API, {"updated_since": since.isoformat()}).json()["count"] == 0
    brugge = Project.objects.get(reference="PUB-003")
    with django_capture_on_commit_callbacks(execute=True):
        services.details_set(
            actor=user(RA_OFFICER),
            project=brugge,
            expected_lock_version=1,
            postcode="8000",
            municipality="Brugge (centrum)",
            nuts_code="BE251",
        )
    body = client.get(API, {"updated_since": since.isoformat()}).json()
    assert _codes(body) == ["PUB-003"] and body["count"] == 1
    assert body["results"][0]["municipality"] == "Brugge (centrum)"
    assert dt.datetime.fromisoformat(body["results"][0]["updated_at"]) > since
    # a time without zone is read as UTC; a bad one is refused
    naive = since.astimezone(dt.UTC).replace(tzinfo=None).isoformat()
    assert client.get(API, {"updated_since": naive}).json()["count"] == 1
    assert client.get(API, {"updated_since": "yesterday"}).status_code == 400
    # an offset PostgreSQL would refuse (beyond ±15:59) is read in UTC: every operation, no 500
    far = client.get(API, {"updated_since": "1019-04-17T19:21:58.49-22:03"})
    assert far.status_code == 200 and far.json()["count"] == client.get(API).json()["count"] > 0


def test_a_withheld_operation_simply_disappears_from_harvests(
    world: None, django_capture_on_commit_callbacks: Any
) -> None:
    since = _age_every_stamp()
    secret = Project.objects.get(reference="PUB-002")
    with django_capture_on_commit_callbacks(execute=True):
        exclusion = services.exclusion_propose(
            actor=user(RA_OFFICER), project=secret, reason="security", text="investigation"
        )
    client = Client()
    changed = client.get(API, {"updated_since": since.isoformat()}).json()
    assert changed == {"count": 0, "page": 1, "pages": 1, "results": []}
    everything = client.get(API).json()
    assert _codes(everything) == ["PUB-001", "PUB-003"] and "Gentse" not in str(everything)
    # lifted: it comes back as a changed operation at the next harvest
    with django_capture_on_commit_callbacks(execute=True):
        services.exclusion_withdraw(
            actor=user(RA_MANAGER), exclusion=exclusion, expected_lock_version=1, reason="closed"
        )
    assert _codes(client.get(API, {"updated_since": since.isoformat()}).json()) == ["PUB-002"]


def test_page_size_programme_and_dates(world: None) -> None:
    client = Client()
    body = client.get(API, {"page_size": 2, "page": 2}).json()
    assert (body["count"], body["pages"], _codes(body)) == (3, 2, ["PUB-003"])
    assert client.get(API, {"page_size": 1001}).status_code == 400
    past = client.get(API, {"page_size": 2, "page": 99}).json()  # past the last page: the last one
    assert (past["page"], past["count"], _codes(past)) == (2, 3, ["PUB-003"])
    page = client.get("/public/operations/?page=abc")
    assert page.status_code == 200 and b"PUB-001" in page.content
    assert client.get(API, {"programme": "2014BE65AMNP001"}).json()["count"] == 3
    assert client.get(API, {"programme": "2021BE65AMPR001"}).json()["count"] == 0
    assert client.get(API, {"starts_from": "2019-03-01", "ends_by": "2020-12-31"}).json()["count"] == 3
    assert client.get(API, {"starts_from": "2019-03-02"}).json()["count"] == 0


@override_settings(AMIS_PUBLIC_API_RATE=2, AMIS_PUBLIC_API_RATE_WINDOW=60)
def test_the_api_is_rate_limited_per_client_address(world: None) -> None:
    client = Client(REMOTE_ADDR="203.0.113.7")
    assert client.get(API).status_code == 200
    assert client.get(f"{API}/PUB-001").status_code == 200
    refused = client.get(API)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 61
    assert "Too many requests" in refused.json()["detail"]
    # another address has its own count
    assert Client(REMOTE_ADDR="203.0.113.8").get(API).status_code == 200


@override_settings(AMIS_PUBLIC_API_RATE=0)
def test_no_limit_when_turned_off(world: None) -> None:
    client = Client(REMOTE_ADDR="203.0.113.9")
    assert {client.get(API).status_code for _ in range(5)} == {200}


@pytest.mark.parametrize("url", ["/public/operations/", "/public/operations.csv", API])
def test_the_list_answers_304_until_an_operation_is_withheld(
    world: None, django_capture_on_commit_callbacks: Any, url: str
) -> None:
    client = Client()
    client.get(url)  # the first visit receives its CSRF cookie, part of what the ETag depends on
    first = client.get(url)
    tag, modified = first["ETag"], first["Last-Modified"]
    assert tag.startswith('W/"') and modified
    again = client.get(url, HTTP_IF_NONE_MATCH=tag)
    assert again.status_code == 304 and again["ETag"] == tag
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    secret = Project.objects.get(reference="PUB-002")
    with django_capture_on_commit_callbacks(execute=True):
        services.exclusion_propose(actor=user(RA_OFFICER), project=secret, reason="security", text="x")
    after = client.get(url, HTTP_IF_NONE_MATCH=tag)
    assert after.status_code == 200 and after["ETag"] != tag
    content = b"".join(after.streaming_content) if after.streaming else after.content  # type: ignore[attr-defined]
    assert b"PUB-002" not in content and b"PUB-001" in content


def test_one_operation_answers_304_then_404_once_withheld(
    world: None, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    client.get("/public/calls/")  # the CSRF cookie
    for url in ("/public/operations/PUB-002/", f"{API}/PUB-002"):
        tag = client.get(url)["ETag"]
        assert client.get(url, HTTP_IF_NONE_MATCH=tag).status_code == 304
    tags = {url: client.get(url)["ETag"] for url in ("/public/operations/PUB-002/", f"{API}/PUB-002")}
    with django_capture_on_commit_callbacks(execute=True):
        services.exclusion_propose(
            actor=user(RA_OFFICER),
            project=Project.objects.get(reference="PUB-002"),
            reason="security",
            text="x",
        )
    for url, tag in tags.items():
        assert client.get(url, HTTP_IF_NONE_MATCH=tag).status_code == 404


def test_the_etag_differs_by_language_and_filters(world: None) -> None:
    client = Client()
    english = client.get("/public/operations/", HTTP_ACCEPT_LANGUAGE="en")["ETag"]
    french = client.get("/public/operations/", HTTP_ACCEPT_LANGUAGE="fr")["ETag"]
    gent = client.get("/public/operations/?municipality=Gent", HTTP_ACCEPT_LANGUAGE="en")["ETag"]
    assert len({english, french, gent}) == 3


def test_canonical_urls_and_titles(world: None) -> None:
    client = Client()
    client.get("/public/operations/")  # the CSRF cookie
    page = client.get("/public/operations/?municipality=Gent").content.decode()
    assert '<link rel="canonical" href="http://testserver/public/operations/">' in page
    detail = client.get("/public/operations/PUB-001/").content.decode()
    assert '<link rel="canonical" href="http://testserver/public/operations/PUB-001/">' in detail
    assert "<title>PUB-001 · Project PUB-001 · AMIS</title>" in detail
    calls = client.get("/public/calls/")
    assert '<link rel="canonical" href="http://testserver/public/calls/">' in calls.content.decode()
    assert client.get("/public/calls/", HTTP_IF_NONE_MATCH=calls["ETag"]).status_code == 304
    programme = client.get("/public/programmes/2014BE65AMNP001/")
    assert (
        'rel="canonical" href="http://testserver/public/programmes/2014BE65AMNP001/"'
        in programme.content.decode()
    )


def test_every_source_of_a_published_row_moves_its_stamp(
    world: None, django_capture_on_commit_callbacks: Any
) -> None:
    from amis.programme.models import ProgrammeVersion

    gent = Project.objects.select_related("application__call", "agreement", "organisation").get(
        reference="PUB-002"
    )
    sources = {
        "project": (gent, {"PUB-002"}),
        "application": (gent.application, {"PUB-002"}),
        "agreement": (gent.agreement, {"PUB-002"}),  # type: ignore[attr-defined]
        "agreement version": (gent.agreement.versions.first(), {"PUB-002"}),  # type: ignore[attr-defined]
        "beneficiary": (gent.organisation, {"PUB-002"}),
        "call": (gent.application.call, {"PUB-001", "PUB-002", "PUB-003"}),
        "programme version": (
            ProgrammeVersion.objects.filter(programme__cci="2014BE65AMNP001", status="adopted").first(),
            {"PUB-001", "PUB-002", "PUB-003"},
        ),
        # nothing published changes: nothing is sent to harvesters again
        "draft programme version": (
            ProgrammeVersion.objects.filter(programme__cci="2014BE65AMNP001")
            .exclude(status="adopted")
            .first(),
            set(),
        ),
    }
    assert sources["draft programme version"][0] is not None
    for name, (instance, expected) in sources.items():
        since = _age_every_stamp()
        with django_capture_on_commit_callbacks(execute=True):
            instance.save()  # type: ignore[union-attr]
        moved = set(
            OperationStamp.objects.filter(published_changed_at__gt=since).values_list(
                "project__reference", flat=True
            )
        )
        assert moved == expected, name
