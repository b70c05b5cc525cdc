"""Launching a call in the browser: the objectives follow the chosen specific objective (HTMX), the
draft gets a document, is published, and a visitor downloads the document from the public page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from amis.calls.models import Call, CallDocument
from amis.demo.people import load_people
from amis.demo.programme import load_belgian_programme
from tests.browser.conftest import screenshot
from tests.browser.test_selection_browser import _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_launches_and_publishes_a_call(live_server: Any, browser: Browser, tmp_path: Path) -> None:
    load_belgian_programme(log=lambda m: None)
    load_people(log=lambda m: None)
    base = live_server.url
    year = dt.date.today().year + 1
    da = _login(browser, base, "da.flanders@amis.example")
    da.goto(f"{base}/calls/")
    da.get_by_role("link", name="Launch a call").click()
    da.get_by_label("Call code").fill("FL-AMIF-INT-05")
    da.get_by_role("checkbox", name="Nederlands").check()
    da.get_by_label("Title (Nederlands)").fill("Oproep: taal op de werkvloer")
    da.get_by_label("Specific objective").select_option("SO1")
    expect(da.locator("#objectives input[value='NO1']")).to_be_visible()
    da.get_by_label("Specific objective").select_option("SO2")  # HTMX swaps in SO2's objectives
    # SO1 has an NO2 too: wait for an action only SO2 has, so the swap is done before ticking
    expect(da.locator("#objectives input[name='actions'][value='13']")).to_be_visible()
    da.locator("#objectives input[value='NO2']").check()
    da.locator("#objectives input[name='actions'][value='13']").check()
    da.locator("#objectives input[name='indicators'][value='C2']").check()
    da.get_by_label("Budget (€)").fill("250000.00")
    da.get_by_role("checkbox", name="Non-governmental organisation").check()
    da.get_by_label("Eligible period: start").fill(f"{year}-01-01")
    da.get_by_label("Eligible period: end").fill(f"{year}-12-31")
    da.locator("#id_award_0_code").fill("A1")
    da.locator("#id_award_0_text").fill("Relevance")
    da.locator("#id_award_0_weight").fill("100")
    da.locator("#id_award_0_min_score").fill("50")
    da.get_by_label("Opens at (Europe/Brussels)").fill(f"{year - 1}-01-01T09:00")
    da.get_by_label("Closes at (Europe/Brussels)").fill(f"{year}-01-31T12:00")
    screenshot(da, "call-form")
    da.get_by_role("button", name="Create the draft call").click()
    expect(da.get_by_text("Draft call FL-AMIF-INT-05 created.")).to_be_visible()
    call = Call.objects.get(code="FL-AMIF-INT-05")
    assert call.national_objectives == ["NO2"] and call.actions == [13] and call.indicators == ["C2"]

    guide = tmp_path / "gids.pdf"
    guide.write_bytes(b"%PDF-1.4\n% gids voor aanvragers\n")
    da.get_by_label("Title", exact=True).fill("Gids voor aanvragers")
    da.get_by_label("Document (PDF", exact=False).set_input_files(str(guide))
    da.get_by_role("button", name="Upload").click()
    expect(da.get_by_text("The document was added to the call.")).to_be_visible()
    da.get_by_role("button", name="Publish the call").click()
    da.get_by_role("button", name="Yes, publish the call").click()  # the confirmation step
    expect(da.get_by_text("The call is now published.")).to_be_visible()
    screenshot(da, "call-published")

    visitor = browser.new_context(locale="en-GB").new_page()
    visitor.goto(f"{base}/calls/FL-AMIF-INT-05/")
    with visitor.expect_download() as download:
        visitor.get_by_role("link", name="Gids voor aanvragers").click()
    assert Path(download.value.path()).read_bytes() == guide.read_bytes()
    assert (
        CallDocument.objects.get(call=call).sha256
        == __import__("hashlib").sha256(guide.read_bytes()).hexdigest()
    )
