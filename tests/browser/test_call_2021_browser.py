"""A call on the 2021-2027 programme in the browser: the form offers the chosen specific objective's
types of action (allocation lines, swapped in by HTMX), the draft is created, and the form, the call
page and an application's edit page of the demo's 2021-2027 call pass axe."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from amis.applications.models import Application
from amis.calls.models import Call
from amis.demo.calls import CODE_2021, load_2021_call, load_calls
from amis.demo.people import load_people
from amis.demo.programme import BELGIAN_2021_CCI, load_belgian_programme
from tests.browser.test_accessibility import _violations
from tests.browser.test_selection_browser import _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_launches_a_call_on_an_allocation_line(live_server: Any, browser: Browser) -> None:
    load_belgian_programme(log=lambda m: None)
    load_people(log=lambda m: None)
    load_calls(log=lambda m: None)
    load_2021_call(log=lambda m: None)
    base = live_server.url
    year = dt.date.today().year + 1
    ra = _login(browser, base, "ra.officer@amis.example")
    found = _violations(ra, f"{base}/calls/new/?programme={BELGIAN_2021_CCI}")
    ra.get_by_label("Call code").fill("BE21-SO2-05")
    ra.get_by_role("checkbox", name="English").check()
    ra.get_by_label("Title (English)").fill("Integration 2021-2027")
    expect(
        ra.locator("#objectives select[name='type_of_action'] option[value='operating_support']")
    ).to_have_count(1)
    ra.get_by_label("Specific objective").select_option("SO2")  # HTMX swaps in SO2's allocation lines
    expect(
        ra.locator("#objectives select[name='type_of_action'] option[value='operating_support']")
    ).to_have_count(0)
    ra.get_by_label("Type of action (allocation line)").select_option("regular")
    ra.locator("#objectives input[name='indicators'][value='O.2.1']").check()
    ra.get_by_label("Budget (€)").fill("250000.00")
    ra.get_by_role("checkbox", name="Non-governmental organisation").check()
    ra.get_by_label("Eligible period: start").fill(f"{year}-01-01")
    ra.get_by_label("Eligible period: end").fill(f"{year}-12-31")
    ra.locator("#id_award_0_code").fill("A1")
    ra.locator("#id_award_0_text").fill("Relevance")
    ra.locator("#id_award_0_weight").fill("100")
    ra.locator("#id_award_0_min_score").fill("50")
    ra.get_by_label("Opens at (Europe/Brussels)").fill(f"{year - 1}-01-01T09:00")
    ra.get_by_label("Closes at (Europe/Brussels)").fill(f"{year}-01-31T12:00")
    ra.get_by_role("button", name="Create the draft call").click()
    expect(ra.get_by_text("Draft call BE21-SO2-05 created.")).to_be_visible()
    call = Call.objects.get(code="BE21-SO2-05")
    assert (call.specific_objective, call.type_of_action, call.indicators) == ("SO2", "regular", ["O.2.1"])
    found += _violations(ra, f"{base}/calls/{call.code}/")
    found += _violations(ra, f"{base}/calls/{CODE_2021}/")
    beneficiary = _login(browser, base, "beneficiary@redcross.example")
    submitted = Application.objects.get(call__code=CODE_2021).reference
    found += _violations(beneficiary, f"{base}/applications/{submitted}/")
    assert found == []
