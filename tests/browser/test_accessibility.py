"""WCAG 2.1 A and AA checks with axe-core (vendored: tests/browser/vendor/axe.min.js, MPL-2.0) on
the pages each role works in, in Debian's chromium. Automated checks find part of the problems
(contrast, names, labels, landmarks, ARIA); they do not replace a review with a screen reader."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from amis.applications.models import Application
from amis.demo.calls import CODE, DRAFT_CODE, load_calls, load_draft_call
from amis.demo.people import load_people
from amis.demo.programme import load_belgian_programme
from tests.browser.test_selection_browser import _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _violations(page: Page, url: str) -> list[str]:
    page.goto(url)
    # evaluated by the test driver, not added as an inline <script>, which the pages' policy forbids
    page.evaluate(AXE)
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


def test_the_selection_and_administration_pages_pass_axe(live_server: Any, browser: Browser) -> None:
    from amis.demo.calls import IN_ASSESSMENT_CODE, PAST_CODE, load_call_in_assessment, load_decided_call
    from amis.selection.models import CommitteeMeeting

    load_belgian_programme(log=lambda m: None)
    load_people(log=lambda m: None)
    load_decided_call(log=lambda m: None)
    load_call_in_assessment(log=lambda m: None)
    base = live_server.url
    waiting = Application.objects.filter(call__code=IN_ASSESSMENT_CODE, status="eligible").first()
    assert waiting is not None
    meeting = CommitteeMeeting.objects.get(call__code=PAST_CODE)
    found: list[str] = []
    assessor = _login(browser, base, "assessor@amis.example")
    found += _violations(assessor, f"{base}/applications/{waiting.reference}/assess/")
    officer = _login(browser, base, "da.flanders@amis.example")
    for path in (f"/calls/{IN_ASSESSMENT_CODE}/double-funding/", f"/calls/{PAST_CODE}/"):
        found += _violations(officer, base + path)
    member = _login(browser, base, "mc.member@amis.example")
    found += _violations(member, f"{base}/meetings/{meeting.pk}/")
    manager = _login(browser, base, "ra.manager@amis.example")
    for path in ("/people/", "/people/me/", "/audit/", "/organisations/"):
        found += _violations(manager, base + path)
    beneficiary = _login(browser, base, "beneficiary@caritas.example")
    found += _violations(beneficiary, f"{base}/organisations/mine/")
    assert found == [], "\n".join(found)
