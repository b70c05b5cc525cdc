"""The public face (issue 18) in chromium, anonymously, in French and Dutch: from the welcome page to
the list of operations, a search by municipality, one operation, the CSV of the list as searched
(downloaded: the operation is in it, the withheld one is not), the adopted programme with its chart,
the calls' timetable and the published lists of operations; the withheld operation is nowhere. axe
finds no WCAG 2.1 AA violation on any of them, nor on the officers' exclusion and publications pages.
The officer's publication is queued, built by the worker (`run_worker`), and the page, polling its
progress, reloads to show it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from amis.public import publications, services
from amis.public.tests.helpers import CCI, RA_MANAGER, RA_OFFICER, base, operation, user
from tests.browser.test_selection_browser import _axe, _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_pages_anonymously_in_french_and_dutch(
    live_server: Any, browser: Browser, run_worker: Callable[[], None]
) -> None:
    base()
    operation("PUB-001", municipality="Antwerpen")
    operation("PUB-002", "Gentse Opvang vzw", municipality="Gent")
    secret = operation("PUB-005", "Geheime Opvang vzw", municipality="Gent")
    exclusion = services.exclusion_propose(
        actor=user(RA_OFFICER), project=secret, reason="security", text="Secret shelter"
    )
    services.exclusion_approve(actor=user(RA_MANAGER), exclusion=exclusion, expected_lock_version=1)
    publications.publish(actor=user(RA_OFFICER))
    url = live_server.url

    for locale, lang, heading, search in (
        ("fr-BE", "fr", "Opérations financées", "Rechercher"),
        ("nl-BE", "nl", "Gefinancierde concrete acties", "Zoeken"),
    ):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=locale)
        context.add_cookies([{"name": "django_language", "value": lang, "url": url}])
        page = context.new_page()
        page.goto(f"{url}/")
        page.locator('a[href="/public/operations/"]').click()
        expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
        assert _axe(page) == []
        page.locator("#id_municipality").fill("Gent")
        page.get_by_role("button", name=search, exact=True).click()
        expect(page.locator("#operation-list")).to_contain_text("PUB-002")
        assert "PUB-005" not in page.content() and "Geheime" not in page.content()
        assert _axe(page) == []
        page.get_by_role("link", name="PUB-002").click()
        expect(page.get_by_role("heading", name="Project PUB-002", level=1)).to_be_visible()
        assert _axe(page) == []
        page.go_back()  # the list as searched: its CSV holds the same operations
        with page.expect_download() as download_info:
            page.locator('a[href^="/public/operations.csv"]').click()
        csv = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
        assert "PUB-002" in csv and "Gentse Opvang vzw" in csv
        assert "PUB-005" not in csv and "Geheime" not in csv and "PUB-001" not in csv
        page.get_by_role("link", name="PUB-002").click()
        page.get_by_role("link", name=CCI).click()
        expect(page.locator("#adopted-version")).to_be_visible()
        assert _axe(page) == []
        page.goto(f"{url}/public/calls/")
        expect(page.locator("#calls-open")).to_be_visible()
        assert _axe(page) == []
        page.goto(f"{url}/public/publications/")
        expect(page.locator("#publications-title")).to_be_visible()
        assert "PUB-005" not in page.content()
        assert _axe(page) == []
        context.close()

    officer = _login(browser, url, RA_OFFICER)
    officer.goto(f"{url}/public/exclusions/")
    expect(officer.locator("#exclusion-list")).to_contain_text("PUB-005")
    assert _axe(officer) == []
    officer.goto(f"{url}/public/publications/")
    officer.get_by_role("button", name="Publish the list now").click()
    # queued: the worker builds it; the page shows the request and polls its progress
    expect(officer.get_by_text("The publication is queued")).to_be_visible()
    expect(officer.locator("#publication-requests")).to_contain_text("queued")
    assert _axe(officer) == []
    run_worker()
    # the polled part sees nothing running any more and reloads the page: the new publication is listed
    expect(officer.locator("#publication-requests")).to_be_empty(timeout=15_000)
    expect(officer.locator("#publications-title + div tbody tr")).to_have_count(2)
    assert _axe(officer) == []
    officer.goto(f"{url}/projects/PUB-002/")
    officer.get_by_label("Municipality", exact=True).fill("Gent-Zwijnaarde")
    officer.get_by_role("button", name="Save the location").click()
    expect(officer.get_by_text("The location of PUB-002 is saved.")).to_be_visible()
    expect(officer.locator("#publication-state")).to_contain_text("Published on the public list")
    assert _axe(officer) == []
