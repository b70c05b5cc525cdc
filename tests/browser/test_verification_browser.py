"""The verifier's desk check in a browser: the list of reports to verify, the verification started,
the checklist answered, one line rejected with its reason, the rest decided eligible in bulk by the
filter, completion after the confirmation step, and the verified amount and the EU share with AMIS's
working; axe finds no WCAG 2.1 AA violation on any page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from amis.reporting.models import ExpenditureLine
from amis.verification.models import LineDecision, Verification
from amis.verification.tests.test_services import VERIFIER, _submitted_report
from tests.browser.test_selection_browser import _axe, _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_verifier_verifies_a_submitted_report(live_server: Any, browser: Browser) -> None:
    report = _submitted_report(12)
    base = live_server.url
    page = _login(browser, base, VERIFIER)
    page.goto(f"{base}/verifications/")
    expect(page.get_by_role("heading", name="Reports to verify")).to_be_visible()
    assert _axe(page) == []
    page.get_by_role("link", name="Report 1 (interim report)").click()
    page.get_by_role("button", name="Start the verification").click()
    expect(page.get_by_text("The verification of report 1 has started.")).to_be_visible()
    assert _axe(page) == []

    checklist = page.locator("#checklist")
    for fieldset in checklist.locator("fieldset").all():
        fieldset.get_by_label("yes", exact=True).check()
    checklist.get_by_role("button", name="Save the checklist").click()
    expect(page.get_by_text("The checklist was saved.")).to_be_visible()

    first = ExpenditureLine.objects.filter(report=report).order_by("position").first()
    assert first is not None
    lines = page.locator("#lines")
    lines.get_by_label("Line 1", exact=True).check()
    lines.get_by_label("the lines ticked").check()
    lines.get_by_label("ineligible", exact=True).check()
    lines.get_by_label("Reason (ineligible or reduced)").select_option("no_document")
    lines.get_by_label("Explanation").fill("No invoice for this line.")
    lines.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("1 line was decided.")).to_be_visible()
    assert LineDecision.objects.get(line=first).reason == "no_document"

    lines = page.locator("#lines")
    lines.get_by_label("Only lines not decided yet").check()
    lines.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("11 lines match.")).to_be_visible()
    lines = page.locator("#lines")
    lines.get_by_label("every line matching the filter").check()
    lines.get_by_label("eligible", exact=True).check()
    lines.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("11 lines were decided.")).to_be_visible()
    expect(page.locator("#undecided")).to_have_text("0")
    assert _axe(page) == []

    page.get_by_role("button", name="Complete the verification").click()
    expect(page.get_by_role("button", name="Yes, complete the verification")).to_be_visible()
    assert _axe(page) == []
    page.get_by_role("button", name="Yes, complete the verification").click()
    verification = Verification.objects.get(report=report)
    assert verification.status == "completed" and verification.ineligible == first.amount_declared
    expect(page.locator("#verified-amount")).to_have_text(f"{verification.verified:,.2f}")
    expect(page.locator("#eu-share")).to_have_text(f"{verification.eu_share:,.2f}")
    expect(page.get_by_text("EU co-financing rate")).to_be_visible()
    assert _axe(page) == []
