"""Each role's home page in chromium at 1366 px: what waits for them, a click into their main task,
axe at 0 violations, a screenshot per role (test-artifacts/home-<role>.png); the header fits one row
in French; the financing plan in French and German, full width (test-artifacts/financing-plan-*.png)."""

from __future__ import annotations

from typing import Any

import pyotp
import pytest
from playwright.sync_api import Browser, Page, expect

from amis.accounts.roles import Role
from amis.demo.calls import load_call_in_assessment, load_calls, load_decided_call, load_draft_call
from amis.demo.people import load_people
from amis.demo.programme import load_belgian_programme
from tests.browser.conftest import screenshot
from tests.browser.test_accessibility import _violations
from tests.browser.test_selection_browser import _person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDE = {"width": 1366, "height": 900}

# role, person, the task the home page offers, where following its first item leads
ROLES = [
    ("ra-manager", "ra.manager@amis.example", "Programme drafts to review and submit", "/programmes/"),
    ("ra-officer", "ra.officer@amis.example", "Draft calls to complete and publish", "/calls/"),
    ("da-officer", "da.flanders@amis.example", "Submitted applications to check for eligibility", "/calls/"),
    ("assessor", "assessor@amis.example", "Eligible applications to score", "/assess/"),
    # the demo's only meeting is held already: nothing waits, the card leads to the calls
    ("mc-member", "mc.member@amis.example", "Committee meetings to decide", "/calls/"),
    ("auditor", "auditor@amis.example", None, None),
    ("beneficiary", "beneficiary@caritas.example", None, None),
]


def _login(browser: Browser, base: str, email: str, locale: str = "en-GB") -> Page:
    """Logs in from the login page and lands where the login sends everyone: the home page."""
    person = _person(email)
    page = browser.new_context(viewport=WIDE, locale=locale).new_page()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password").fill(person.password)
    page.get_by_role("button", name="Sign In").click()
    if person.role != Role.BENEFICIARY:
        page.get_by_label("Code").fill(pyotp.TOTP(person.totp_secret).now())
        page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1, name="Home")).to_be_visible()
    assert page.url == f"{base}/"
    return page


@pytest.fixture
def demo() -> None:
    for load in (load_belgian_programme, load_people, load_calls, load_draft_call, load_decided_call):
        load(log=lambda m: None)
    load_call_in_assessment(log=lambda m: None)


def test_each_role_lands_on_its_home_page_and_reaches_its_main_task(
    live_server: Any, browser: Browser, demo: None
) -> None:
    base = live_server.url
    found: list[str] = []
    for name, email, task, leads_to in ROLES:
        page = _login(browser, base, email)
        found += _violations(page, f"{base}/")
        if name == "beneficiary":
            expect(page.get_by_role("heading", name="Your applications")).to_be_visible()
            expect(page.get_by_text("Complete and submit it before the call closes.").first).to_be_visible()
        elif name != "auditor":
            card = page.locator(".card", has=page.get_by_role("link", name=task))
            expect(card).to_be_visible()
        if name == "assessor":
            # an authority role without the dashboard: the plan, the calls and the selected projects
            expect(page.locator("canvas[data-figures]").first).to_be_visible()
            expect(page.get_by_role("table").filter(has_text="Financing plan").first).to_be_visible()
        elif name != "beneficiary":
            # the dashboard is the home page: each programme at a glance, as a chart and as a table
            expect(page.locator("canvas[data-figures]").first).to_be_visible()
            glance = page.get_by_role("table").filter(has_text="absorption is paid / planned").first
            expect(glance).to_be_visible()
            expect(glance.get_by_role("row").filter(has_text="Total")).to_be_visible()
        page.wait_for_timeout(300)  # the chart is drawn without animation; let it paint
        screenshot(page, f"home-{name}")
        if task is not None:
            card = page.locator(".card", has=page.get_by_role("link", name=task))
            items = card.locator(".task-list a")
            (items.first if items.count() else card.get_by_role("link", name=task)).click()
            assert leads_to in page.url, (name, page.url)
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            assert "You may not do this" not in page.content()
        page.context.close()
    assert found == [], "\n".join(found)


def test_the_header_fits_one_row_in_french_at_1366_px(live_server: Any, browser: Browser, demo: None) -> None:
    base = live_server.url
    page = _login(browser, base, "ra.manager@amis.example")
    page.locator("#language").select_option("fr")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    items = page.locator("#main-menu .nav-item")
    boxes = [items.nth(i).bounding_box() for i in range(items.count())]
    middles = [box["y"] + box["height"] / 2 for box in boxes if box]
    assert max(middles) - min(middles) < 10, middles  # one row: the items share their middle line
    assert page.locator(".amis-navbar").bounding_box()["height"] < 80  # type: ignore[index]
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDE["width"]  # nothing pushed off-screen
    screenshot(page, "home-ra-manager-fr")


@pytest.mark.parametrize("language", ["fr", "de"])
def test_the_financing_plan_uses_the_width_of_the_screen(
    live_server: Any, browser: Browser, demo: None, language: str
) -> None:
    page = browser.new_context(viewport=WIDE, locale="en-GB").new_page()
    page.goto(f"{live_server.url}/programmes/2014BE65AMNP001/v2/financing/")
    page.locator("#language").select_option(language)
    page.locator(".lang-form button").click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    # Tables 2 and 3 fit at 1366 px or scroll inside their own focusable region: never cut by the page
    for wrap in page.locator(".table-wrap").all():
        box = wrap.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= WIDE["width"], box
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDE["width"]
    assert _violations(page, page.url) == []
    screenshot(page, f"financing-plan-{language}")


def test_the_welcome_login_and_footer_pages_pass_axe(live_server: Any, browser: Browser, demo: None) -> None:
    page = browser.new_context(viewport=WIDE, locale="en-GB").new_page()
    found: list[str] = []
    for path in ("/", "/privacy/", "/accessibility/", "/accounts/login/"):
        found += _violations(page, live_server.url + path)
    page.goto(live_server.url + "/accounts/login/")
    screenshot(page, "login")
    page.goto(live_server.url + "/")
    screenshot(page, "welcome")
    assert found == [], "\n".join(found)


def test_the_call_form_shows_its_sections_and_the_progress(
    live_server: Any, browser: Browser, demo: None
) -> None:
    """The long call form gets a list of its sections (a link to each) and its progress, and passes axe."""
    page = _login(browser, live_server.url, "da.flanders@amis.example")
    page.goto(f"{live_server.url}/calls/new/")
    sections = page.get_by_role("navigation", name="Sections of the form")
    expect(sections).to_be_visible()
    expect(sections.get_by_role("link", name="Opening and closing")).to_be_visible()
    before = sections.locator(".section-progress-label").inner_text()
    assert before.endswith("sections complete"), before
    sections.get_by_role("link", name="Opening and closing").click()
    assert page.url.endswith("#section-0-7") or "#section-" in page.url
    assert _violations(page, page.url) == []
    screenshot(page, "call-form-sections")
