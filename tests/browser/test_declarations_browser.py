"""Declarations to the Commission in a browser: the authorising officer opens them from the home page,
reads the 2021-2027 programme's decommitment risk (a warning), the submitted payment application and
the draft with its reintroduced item, submits the draft (four eyes: the payment officer prepared it),
then the accounts of the year with the reconciliation explaining the held-back item; the delegated
authority officer reads the same accounts for their part only. axe finds no WCAG 2.1 AA violation."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from amis.declarations.models import PaymentApplication
from amis.demo import money
from amis.demo import projects as demo
from amis.demo.calls import load_2021_call
from amis.demo.declarations import load_declarations
from amis.demo.people import load_people
from amis.demo.programme import BELGIAN_2021_CCI, load_belgian_programme
from tests.browser.conftest import screenshot
from tests.browser.test_selection_browser import _axe, _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_applications_and_accounts_as_the_authority_sees_them(live_server: Any, browser: Browser) -> None:
    quiet = lambda message: None  # noqa: E731
    load_belgian_programme(log=quiet)
    load_people(log=quiet)
    load_2021_call(log=quiet)
    demo.load_projects(log=quiet)
    money.load_money(log=quiet)
    load_declarations(log=quiet)
    draft = PaymentApplication.objects.get(status="draft")
    base = live_server.url

    manager = _login(browser, base, "ra.manager@amis.example")
    manager.get_by_role("link", name="Payment applications and annual accounts to the Commission").click()
    expect(manager.get_by_role("heading", name="Declarations to the Commission")).to_be_visible()
    assert _axe(manager) == []
    manager.get_by_role("link", name=BELGIAN_2021_CCI).click()
    expect(manager.get_by_role("heading", name="Decommitment risk")).to_be_visible()
    expect(manager.get_by_text("warning: deadline within six months")).to_be_visible()
    assert _axe(manager) == []
    manager.get_by_role("link", name=f"{draft.year}/{draft.sequence}").click()
    expect(manager.get_by_text("reintroduced from", exact=False)).to_be_visible()
    assert _axe(manager) == []
    manager.get_by_role("button", name="Submit the application").click()
    expect(manager.locator("#application-status")).to_have_text("submitted to the Commission")
    assert PaymentApplication.objects.get(pk=draft.pk).status == "submitted"
    manager.get_by_role("link", name=f"Accounts {draft.year}").click()
    expect(
        manager.get_by_role("heading", name="Reconciliation with the payment applications")
    ).to_be_visible()
    expect(manager.get_by_role("cell", name="held back: assessment under way")).to_be_visible()
    screenshot(manager, "declarations-accounts")
    assert _axe(manager) == []

    da = _login(browser, base, demo.DA)
    da.goto(f"{base}/declarations/{BELGIAN_2021_CCI}/accounts/{draft.year}/")
    expect(da.get_by_text("Only the projects of your part of the programme are counted.")).to_be_visible()
    assert _axe(da) == []
