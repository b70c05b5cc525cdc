"""The whole selection path in the browser: submit, close, eligibility, two assessors, ranking,
the Monitoring Committee's meeting and decision, and the beneficiary seeing 'selected'."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyotp
import pytest
from playwright.sync_api import Browser, Page, expect

from amis.accounts.roles import Role
from amis.applications.models import Application
from amis.demo.calls import CODE, load_calls
from amis.demo.people import PEOPLE, load_people
from amis.demo.programme import load_belgian_programme
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCORES = {"A1": "35", "A2": "30", "A3": "20"}
AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()


def _axe(page: Page) -> list[str]:
    """WCAG 2.1 A/AA violations of the page as it stands (the confirmation steps are POST answers,
    reached only by walking the path)."""
    page.evaluate(AXE)
    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", tags)
    return [f"{page.url}: {v['id']}: {v['help']}" for v in result["violations"]]


def _person(email: str) -> Any:
    return next(p for p in PEOPLE if p.email == email)


def _login(browser: Browser, base: str, email: str) -> Page:
    """A fresh browser context per person, logged in (with the TOTP code for authority roles)."""
    person = _person(email)
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password").fill(person.password)
    page.get_by_role("button", name="Sign In").click()
    if person.role != Role.BENEFICIARY:
        page.get_by_label("Code").fill(pyotp.TOTP(person.totp_secret).now())
        page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    return page


def test_from_submission_to_the_committee_decision(live_server: Any, browser: Browser) -> None:
    load_belgian_programme(log=lambda m: None)
    load_people(log=lambda m: None)
    load_calls(log=lambda m: None)
    base = live_server.url
    draft = Application.objects.get(call__code=CODE, status="draft").reference
    other = Application.objects.get(call__code=CODE, status="submitted").reference

    ben = _login(browser, base, "beneficiary@caritas.example")
    ben.goto(f"{base}/applications/{draft}/")
    ben.get_by_role("link", name="Edit the application").click()
    expect(ben.get_by_label("Project title")).not_to_be_empty()
    ben.get_by_role("button", name="Submit").click()
    assert _axe(ben) == []  # the confirmation page
    ben.get_by_role("button", name="Yes, submit the application").click()  # the confirmation step
    expect(ben.locator(".badge")).to_have_text("submitted")
    expect(ben.get_by_role("button", name="Withdraw")).to_be_visible()

    da = _login(browser, base, "da.flanders@amis.example")
    da.goto(f"{base}/calls/{CODE}/")
    da.get_by_role("button", name="Close the call").click()
    da.get_by_role("button", name="Yes, close the call").click()  # the confirmation step
    expect(da.get_by_text("The call is now closed.")).to_be_visible()
    for reference in (draft, other):
        da.goto(f"{base}/applications/{reference}/")
        da.locator("#id_met_E1_0").check()
        da.locator("#id_met_E2_0").check()
        da.get_by_role("button", name="Record the eligibility check").click()
        expect(da.locator(".badge")).to_have_text("eligible, being assessed")

    for email in ("assessor@amis.example", "assessor2@amis.example"):
        assessor = _login(browser, base, email)
        for reference in (draft, other):
            assessor.goto(f"{base}/applications/{reference}/assess/")
            assessor.get_by_label("I declare I have no conflict of interest with this applicant").check()
            for code, score in SCORES.items():
                assessor.get_by_label(f"Score ({code})").fill(score)
                assessor.get_by_label(f"Justification ({code})").fill(f"Criterion {code} is well met.")
            assessor.get_by_role("button", name="Record my assessment").click()
            expect(assessor.get_by_text("Your assessment was recorded.")).to_be_visible()
        assessor.context.close()

    da.goto(f"{base}/calls/{CODE}/")
    da.get_by_role("button", name="Rank and propose").click()
    expect(da.get_by_role("cell", name="proposed for funding").first).to_be_visible()
    da.get_by_label("Meeting date").fill("2030-01-10")
    da.get_by_label("Agenda").fill("Selection of call FL-AMIF-INT-01")
    da.get_by_role("button", name="Plan the meeting").click()
    expect(da.get_by_text("The Monitoring Committee meeting is planned.")).to_be_visible()
    meeting_url = da.url

    mc = _login(browser, base, "mc.member@amis.example")
    mc.goto(f"{base}/calls/{CODE}/")
    mc.get_by_role("link", name="Meeting of").click()
    assert mc.url == meeting_url
    assert _axe(mc) == []  # the planned meeting: amounts, scores, justifications, decision forms
    screenshot(mc, "meeting-planned")
    for reference in (draft, other):
        decision = mc.get_by_role("group", name=f"Decision on {reference}")
        expect(decision.get_by_label("approve")).not_to_be_checked()  # nothing preset
        decision.get_by_label("approve").check()
        mc.get_by_label(f"Reason ({reference})").fill("Approved unanimously.")
        mc.get_by_role("button", name=f"Record the decision on {reference}").click()
        expect(mc.get_by_text(f"The decision on {reference} was recorded.")).to_be_visible()
    mc.get_by_label("Minutes").fill("Both proposed applications were approved.")
    mc.get_by_role("button", name="Close the meeting").click()
    expect(mc.get_by_text("It cannot be undone")).to_be_visible()
    assert _axe(mc) == []
    screenshot(mc, "meeting-close-confirm")
    mc.get_by_role("button", name="Yes, close the meeting").click()
    expect(mc.get_by_text("2 applicants are sent the decision by e-mail")).to_be_visible()

    ben.goto(f"{base}/applications/{draft}/")
    expect(ben.locator(".badge")).to_have_text("selected")
    expect(ben.get_by_text("Approved unanimously.")).to_be_visible()
    screenshot(ben, "beneficiary-selected")
    for page in (ben, da, mc):
        page.context.close()
