"""A beneficiary logs in and cannot open another organisation's page; an officer logs in with TOTP."""

from __future__ import annotations

from typing import Any

import pyotp
import pytest
from playwright.sync_api import Page, expect

from amis.demo.people import PEOPLE, load_people
from amis.demo.programme import load_belgian_programme
from amis.organisations.models import Organisation
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _person(email: str) -> Any:
    return next(p for p in PEOPLE if p.email == email)


def _login(page: Page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()


def test_beneficiary_cannot_open_another_organisations_page(live_server: Any, page: Page) -> None:
    load_belgian_programme(log=lambda m: None)
    load_people(log=lambda m: None)
    ben = _person("beneficiary@caritas.example")
    _login(page, live_server.url, ben.email, ben.password)
    page.get_by_role("link", name="My organisation").click()
    expect(page.get_by_role("heading", name="Caritas International Belgium")).to_be_visible()
    other = Organisation.objects.get(short_name="Rode Kruis")
    response = page.goto(f"{live_server.url}/organisations/{other.pk}/")
    assert response is not None and response.status == 403
    expect(page.get_by_text("This belongs to another organisation than yours.")).to_be_visible()
    assert "Red Cross Flanders" not in page.content()
    screenshot(page, "beneficiary-refused")


def test_officer_logs_in_with_totp(live_server: Any, page: Page) -> None:
    load_people(log=lambda m: None)
    officer = _person("ra.officer@amis.example")
    _login(page, live_server.url, officer.email, officer.password)
    page.get_by_label("Code").fill(pyotp.TOTP(officer.totp_secret).now())
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    page.get_by_role("link", name="Organisations", exact=True).click()
    expect(page.get_by_role("link", name="Caritas International Belgium")).to_be_visible()
    screenshot(page, "officer-organisations")
