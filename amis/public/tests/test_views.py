"""The public pages answer anonymously in the four languages, never show a withheld operation or a
natural person's name, show the adopted programme version only; the officers' exclusion pages keep
four eyes."""

from __future__ import annotations

import pytest
from django.test import Client

from amis.programme.models import ProgrammeVersion
from amis.public import services
from amis.public.models import PublicationExclusion
from amis.public.tests.helpers import CARITAS, CCI, RA_MANAGER, RA_OFFICER, base, call, operation, user

pytestmark = pytest.mark.django_db

PAGES = ["/public/operations/", "/public/operations/PUB-001/", f"/public/programmes/{CCI}/", "/public/calls/"]


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    base()
    operation("PUB-001")
    operation("PUB-004", "Jan Janssens", natural_person=True)
    secret = operation("PUB-005", "Geheime Opvang vzw", municipality="Brugge")
    exclusion = services.exclusion_propose(
        actor=user(RA_OFFICER), project=secret, reason="security", text="Secret shelter"
    )
    services.exclusion_approve(actor=user(RA_MANAGER), exclusion=exclusion, expected_lock_version=1)
    call(
        "PUB-PLANNED",
        opens_at="2099-01-01T00:00:00Z",
        closes_at="2099-02-01T00:00:00Z",
        eligible_kinds=["ngo", "local_public_body"],
    )


def _anonymous(language: str) -> Client:
    client = Client()
    client.cookies["django_language"] = language
    return client


@pytest.mark.parametrize("language", ["nl", "fr", "de", "en"])
def test_pages_answer_anonymously_in_every_language(world, language: str) -> None:  # type: ignore[no-untyped-def]
    client = _anonymous(language)
    for page in PAGES:
        response = client.get(page)
        assert response.status_code == 200, page
        assert response["Content-Language"] == language
        body = response.content.decode()
        assert "PUB-005" not in body and "Geheime" not in body and "Secret shelter" not in body
        assert "Janssens" not in body


def test_withheld_operation_nowhere_public(world) -> None:  # type: ignore[no-untyped-def]
    client = _anonymous("en")
    assert client.get("/public/operations/PUB-005/").status_code == 404
    listing = client.get("/public/operations/").content.decode()
    assert "2 operations." in listing  # PUB-001 and PUB-004: the withheld one is not counted
    filtered = client.get("/public/operations/?municipality=Brugge").content.decode()
    assert "0 operations." in filtered and "PUB-005" not in filtered
    assert "0 operations." in client.get("/public/operations/?q=Geheime").content.decode()


def test_natural_person_not_named(world) -> None:  # type: ignore[no-untyped-def]
    body = _anonymous("en").get("/public/operations/PUB-004/").content.decode()
    assert "natural person (not named)" in body and "Janssens" not in body
    assert (
        "0 operations." in _anonymous("en").get("/public/operations/?beneficiary=Janssens").content.decode()
    )


def test_programme_page_shows_the_adopted_version_only(world) -> None:  # type: ignore[no-untyped-def]
    adopted = ProgrammeVersion.objects.get(programme__cci=CCI, status="adopted")
    body = _anonymous("en").get(f"/public/programmes/{CCI}/").content.decode()
    assert f"version {adopted.number} of the programme" in body
    if adopted.decision_reference:
        assert adopted.decision_reference in body
    drafts = ProgrammeVersion.objects.filter(programme__cci=CCI).exclude(status="adopted")
    assert all(f"version {d.number} of the programme" not in body for d in drafts)
    ProgrammeVersion.objects.filter(pk=adopted.pk).update(status="submitted")
    assert _anonymous("en").get(f"/public/programmes/{CCI}/").status_code == 404


def test_calls_timetable(world) -> None:  # type: ignore[no-untyped-def]
    body = _anonymous("en").get("/public/calls/").content.decode()
    planned = body.index('id="calls-planned"')
    assert body.index("PUB-PLANNED") > planned
    assert planned > body.index("PUB-CALL") > body.index('id="calls-open"')
    assert "Non-governmental organisation" in body  # who may apply


def test_welcome_page_links_to_the_public_pages(db) -> None:  # type: ignore[no-untyped-def]
    body = _anonymous("en").get("/").content.decode()
    assert 'href="/public/operations/"' in body and 'href="/public/calls/"' in body


def test_officer_pages_keep_four_eyes(world) -> None:  # type: ignore[no-untyped-def]
    officer = Client()
    officer.force_login(user(RA_OFFICER))
    response = officer.post(
        "/public/exclusions/", {"project": "PUB-001", "reason": "personal_data", "text": "A child's name"}
    )
    assert response.status_code == 302
    exclusion = PublicationExclusion.objects.get(project__reference="PUB-001", status="proposed")
    assert _anonymous("en").get("/public/operations/PUB-001/").status_code == 404
    page = officer.get("/public/exclusions/").content.decode()
    assert "A child&#x27;s name" in page or "A child's name" in page
    refused = officer.post("/public/exclusions/PUB-001/approve/", {"lock_version": exclusion.lock_version})
    assert refused.status_code == 403
    manager = Client()
    manager.force_login(user(RA_MANAGER))
    assert (
        manager.post(
            "/public/exclusions/PUB-001/approve/", {"lock_version": exclusion.lock_version}
        ).status_code
        == 302
    )
    exclusion.refresh_from_db()
    assert exclusion.status == "approved" and exclusion.approved_by == user(RA_MANAGER)
    assert _anonymous("en").get("/public/exclusions/").status_code in (302, 403)


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("nl", "Gefinancierde concrete acties"),
        ("fr", "Opérations financées"),
        ("de", "Geförderte Vorhaben"),
        ("en", "Funded operations"),
    ],
)
def test_the_list_speaks_the_readers_language(world, language: str, title: str) -> None:  # type: ignore[no-untyped-def]
    body = _anonymous(language).get("/public/operations/").content.decode()
    assert f"<h1>{title}</h1>" in body


def test_officer_records_a_location_from_the_project_page(world) -> None:  # type: ignore[no-untyped-def]
    officer = Client()
    officer.force_login(user(RA_OFFICER))
    page = officer.get("/projects/PUB-001/").content.decode()
    assert 'id="project-publication-title"' in page and "/public/operations/PUB-001/" in page
    response = officer.post(
        "/public/locations/PUB-001/",
        {"lock_version": "1", "country_wide": "on", "location_note": "Mobile team in every province"},
    )
    assert response.status_code == 302
    body = _anonymous("en").get("/public/operations/PUB-001/").content.decode()
    assert "country-wide or mobile" in body and "Mobile team in every province" in body
    stale = officer.post(
        "/public/locations/PUB-001/", {"lock_version": "1", "municipality": "Gent"}, follow=True
    )
    assert "Gent" not in _anonymous("en").get("/public/operations/PUB-001/").content.decode()
    assert stale.status_code == 200
    beneficiary = Client()
    beneficiary.force_login(user(CARITAS))
    assert beneficiary.post("/public/locations/PUB-001/", {"municipality": "Gent"}).status_code == 403


def test_the_2021_2027_programme_page(world) -> None:  # type: ignore[no-untyped-def]
    adopted = ProgrammeVersion.objects.filter(programme__cci="2021BE65AMPR001", status="adopted")
    latest = adopted.order_by("-number").first()
    assert latest is not None  # the demo's 2021-2027 programme is imported as adopted
    response = _anonymous("fr").get("/public/programmes/2021BE65AMPR001/")
    assert response.status_code == 200
    assert f"version {latest.number} du programme" in response.content.decode()


def test_the_2021_2027_programme_page_sums_its_allocations(world) -> None:  # type: ignore[no-untyped-def]
    """2021-2027: the EU amounts per specific objective are the Annex V allocations (table 2), they add
    up to the programme's EU total, technical assistance is named, and the title has no markup."""
    from amis.programme import selectors as programme_selectors
    from amis.public.selectors import public_programme

    version = programme_selectors.version_get("2021BE65AMPR001", adopted_only=True)
    assert version is not None
    tables = programme_selectors.annex_v_data(version)
    assert tables is not None
    page = public_programme("2021BE65AMPR001")
    assert page is not None
    amounts = {code: amount for code, _name, amount in page.objectives}
    assert amounts == {row["code"]: row["eu"] for row in tables["objective_shares"]}
    assert sum(amounts.values()) == page.total == tables["allocations_eu"] > 0
    assert all(amount > 0 for amount in amounts.values())
    body = _anonymous("en").get("/public/programmes/2021BE65AMPR001/").content.decode()
    title = body.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<span" not in title and "2021BE65AMPR001" in title
    assert "Technical assistance" in body


def test_sitemap_lists_published_operations_only_and_robots_points_to_it(world) -> None:  # type: ignore[no-untyped-def]
    client = _anonymous("en")
    sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200 and sitemap["Content-Type"].startswith("application/xml")
    body = sitemap.content.decode()
    assert "/public/operations/PUB-001/" in body and f"/public/programmes/{CCI}/" in body
    assert "PUB-005" not in body
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots and "Allow: /public/" in robots
