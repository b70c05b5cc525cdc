"""The Content-Security-Policy holds in the browser (issue 10, §4.3): every page carries the header,
and the pages, the TOTP login and an HTMX swap run without a single violation (nothing inline)."""

from __future__ import annotations

from typing import Any

import pyotp
import pytest
from playwright.sync_api import Browser, Page, expect

from amis.demo.people import load_people
from amis.demo.programme import load_belgian_programme
from tests.browser.test_selection_browser import _person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# Runs before any page script, outside the page's policy: remembers every violation the page reports.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", e =>
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


def _watched(browser: Browser) -> tuple[Page, list[str]]:
    """A page whose console messages about the policy are collected."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.add_init_script(LISTEN)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    return page, console


def _violations(page: Page) -> list[str]:
    return page.evaluate("window.__cspViolations || []")


def test_pages_carry_the_policy_and_break_none_of_it(live_server: Any, browser: Browser) -> None:
    load_belgian_programme(log=lambda m: None)
    load_people(log=lambda m: None)
    base = live_server.url
    page, console = _watched(browser)
    found: list[str] = []
    for path in ("/programmes/", "/programmes/2014BE65AMNP001/v2/financing/", "/calls/"):
        response = page.goto(base + path)
        assert response is not None
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, path
        found += _violations(page)

    person = _person("da.flanders@amis.example")
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password").fill(person.password)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_label("Code").fill(pyotp.TOTP(person.totp_secret).now())
    found += _violations(page)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    page.goto(f"{base}/calls/new/")
    page.get_by_label("Specific objective").select_option("SO2")  # HTMX swaps in SO2's objectives
    expect(page.locator("#objectives input[name='actions'][value='13']")).to_be_visible()
    found += _violations(page)
    assert found == [] and console == [], "\n".join(found + console)
