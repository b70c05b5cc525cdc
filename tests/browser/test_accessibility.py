"""WCAG 2.1 A and AA checks with axe-core (vendored: tests/browser/vendor/axe.min.js, MPL-2.0) on
the pages each role works in, in Debian's chromium. Automated checks find part of the problems
(contrast, names, labels, landmarks, ARIA); they do not replace a review with a screen reader."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from amis.calls.models import Application
from amis.core.demo import load_belgian_programme
from amis.core.demo_calls import CODE, DRAFT_CODE, load_calls, load_draft_call
from amis.core.demo_people import load_people
from tests.browser.test_selection_browser import _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _violations(page: Page, url: str) -> list[str]:
    page.goto(url)
    page.add_script_tag(content=AXE)
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    return [
        f"{url}: {v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


def test_the_pages_of_every_role_pass_axe(live_server: Any, browser: Browser) -> None:
    load_belgian_programme(log=lambda m: None)
    load_people(log=lambda m: None)
    load_calls(log=lambda m: None)
    load_draft_call(log=lambda m: None)
    base = live_server.url
    draft = Application.objects.get(call__code=CODE, status="draft").reference
    submitted = Application.objects.get(call__code=CODE, status="submitted").reference
    found: list[str] = []
    visitor = browser.new_context(locale="en-GB").new_page()
    for path in (
        "/accounts/login/",
        "/programmes/",
        "/programmes/2014BE65AMNP001/",
        "/programmes/2014BE65AMNP001/v2/financing/",
        "/calls/",
        f"/calls/{CODE}/",
    ):
        found += _violations(visitor, base + path)
    beneficiary = _login(browser, base, "beneficiary@caritas.example")
    for path in (f"/applications/{draft}/edit/", f"/applications/{draft}/", "/applications/"):
        found += _violations(beneficiary, base + path)
    officer = _login(browser, base, "da.flanders@amis.example")
    for path in ("/calls/new/", f"/calls/{CODE}/", f"/applications/{submitted}/"):
        found += _violations(officer, base + path)
    ra = _login(browser, base, "ra.officer@amis.example")
    for path in (f"/calls/{DRAFT_CODE}/edit/", "/organisations/registrations/"):
        found += _violations(ra, base + path)
    assert found == [], "\n".join(found)
