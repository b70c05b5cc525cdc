"""A programme officer opens the demo programme, switches to French and reads the financing plan."""

from __future__ import annotations

import re
from typing import Any

import pyotp
import pytest
from playwright.sync_api import Page, expect

from amis.demo.people import load_people
from amis.demo.programme import load_belgian_programme
from tests.browser.conftest import screenshot
from tests.browser.test_selection_browser import _person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _plain(text: str) -> str:
    return re.sub(r"\s", " ", text).strip()


def test_open_programme_switch_to_french_and_check_the_total(live_server: Any, page: Page) -> None:
    load_belgian_programme(log=lambda message: None)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="2014BE65AMNP001").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("National Programme AMIF Belgium 2014-2020")

    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    page.get_by_role("link", name="Plan de financement").click()
    expect(page.get_by_role("heading", name="Tableau 1 : plan de financement")).to_be_visible()
    total = _plain(page.get_by_test_id("grand-total").inner_text())
    assert total == "177 261 833,12"
    assert _plain(page.get_by_test_id("table3-total").inner_text()) == "177 261 833,12"
    assert _plain(page.get_by_test_id("total-SO1").locator("td").inner_text()) == "30 010 132,27"
    screenshot(page, "financing-plan-fr")


def test_version_diff_and_validation_in_the_browser(live_server: Any, page: Page) -> None:
    """An officer compares the draft with the adopted version (drafts are not public: they log in)."""
    load_belgian_programme(log=lambda message: None)
    load_people(log=lambda message: None)
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    officer = _person("ra.officer@amis.example")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(officer.email)
    page.get_by_label("Password").fill(officer.password)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_label("Code").fill(pyotp.TOTP(officer.totp_secret).now())
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1, name="Home")).to_be_visible()
    page.goto(f"{live_server.url}/programmes/2014BE65AMNP001/versions/")
    expect(page.get_by_text("These changes need no new Commission decision.")).to_be_visible()
    page.get_by_label("From version").select_option("2")
    page.get_by_label("to version").select_option("2")
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_text("The two versions have the same content.")).to_be_visible()
    page.goto(f"{live_server.url}/programmes/2014BE65AMNP001/v2/validation/")
    expect(page.get_by_text("Programme version has been validated.")).to_be_visible()
    screenshot(page, "validation-phone")
