"""A visitor reads the Belgian 2021-2027 programme: the CPR Annex V parts, and axe finds nothing."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from amis.demo.people import load_people
from amis.demo.programme import load_belgian_programme
from amis.programme import selectors, services
from tests.browser.test_accessibility import _violations
from tests.browser.test_selection_browser import _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
URL = "/programmes/2021BE65AMPR001/v1"


def test_the_2021_2027_programme_pages_show_the_template_and_pass_axe(
    live_server: Any, browser: Browser
) -> None:
    load_belgian_programme(log=lambda m: None)
    page = browser.new_context(locale="en-GB").new_page()
    page.goto(f"{live_server.url}{URL}/financing/")
    expect(
        page.get_by_role("heading", name="Total allocations by specific objective and type of action")
    ).to_be_visible()
    assert re.sub(r"\s", " ", page.get_by_test_id("allocations-eu").inner_text()).strip() == "196,000,000.00"
    assert (
        re.sub(r"\s", " ", page.get_by_test_id("appropriations-total").inner_text()).strip()
        == "196,000,000.00"
    )
    page.get_by_role("link", name="Indicators").click()
    expect(page.get_by_role("columnheader", name="Milestone (2024)").first).to_be_visible()
    found: list[str] = []
    for path in ("/", "/financing/", "/indicators/", "/texts/"):
        found += _violations(page, f"{live_server.url}{URL}{path}")
    assert found == [], "\n".join(found)


def test_an_officer_changes_a_contribution_of_a_2021_2027_draft(live_server: Any, browser: Browser) -> None:
    load_belgian_programme(log=lambda m: None)
    load_people(log=lambda m: None)
    adopted = selectors.version_get("2021BE65AMPR001", 1)
    assert adopted is not None
    draft = services.version_create_draft(source=adopted)
    page = _login(browser, live_server.url, "ra.officer@amis.example")
    url = f"{live_server.url}/programmes/2021BE65AMPR001/v{draft.number}/financing/edit/"
    assert _violations(page, url) == []
    page.goto(url)
    page.locator('input[name="SO3.regular.national_public"]').fill("16000000.00")
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_role("heading", name="Total allocations by specific objective and type of action")
    ).to_be_visible()
    assert "73.77" in page.get_by_test_id("allocations").inner_text()  # 45 / 61 million
