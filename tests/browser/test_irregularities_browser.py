"""After an on-the-spot visit, in a browser: the beneficiary opens the check from the project page
and replies to the visit and to a finding; the verifier reads the reply on the check's page, records
an irregularity from the finding, establishes it, and finds it on the finding's page and in the irregularities
list with the filters; axe finds no WCAG 2.1 AA violation on the reply page, the irregularity, the
finding and the list."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from amis.verification.models import Irregularity
from amis.verification.tests.test_irregularities import visited_check
from amis.verification.tests.test_services import VERIFIER
from tests.browser.test_selection_browser import _axe, _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_reply_to_a_visit_and_an_irregularity_followed_up(live_server: Any, browser: Browser) -> None:
    check = visited_check()
    first = check.findings.order_by("pk").first()
    assert first is not None
    reference = check.project.reference
    base = live_server.url
    today = timezone.localdate()

    ben = _login(browser, base, "beneficiary@caritas.example")
    ben.goto(f"{base}/projects/{reference}/")
    expect(ben.get_by_role("heading", name="On-the-spot checks")).to_be_visible()
    ben.get_by_role("link", name=f"operational check, visited on {today:%d/%m/%Y}").click()
    expect(ben.get_by_role("heading", name=f"On-the-spot check of {reference}")).to_be_visible()
    expect(ben.get_by_text("Recommendation: Send bank statements.")).to_be_visible()
    assert _axe(ben) == []
    ben.get_by_role("button", name="Send the reply").click()  # nothing typed: refused, said why
    expect(ben.get_by_text("Nothing was sent:")).to_be_visible()
    assert _axe(ben) == []
    ben.get_by_label("Your reply to finding 1 (optional)").fill("Bank statements attached.")
    ben.get_by_label("Your reply to the visit").fill("We agree with the findings.")
    ben.get_by_role("button", name="Send the reply").click()
    expect(ben.get_by_text("Your reply is sent to the authority.")).to_be_visible()
    expect(ben.locator("#reply-sent")).to_contain_text("We agree with the findings.")
    assert _axe(ben) == []

    officer = _login(browser, base, VERIFIER)
    officer.goto(f"{base}/checks/{check.pk}/")
    expect(officer.locator("#beneficiary-reply")).to_contain_text("We agree with the findings.")
    expect(officer.get_by_text("Reply of the beneficiary: Bank statements attached.")).to_be_visible()
    assert _axe(officer) == []
    finding = officer.locator(".finding").first
    form = finding.locator("form").filter(has_text="Record an irregularity")
    form.get_by_label("Type of irregularity").select_option("documents")
    form.get_by_label("Amount concerned (€)").fill("250.00")
    form.get_by_label("Detected on").fill(f"{today:%d/%m/%Y}")
    form.get_by_label("Description").fill("No proof of payment for invoice F-1.")
    form.get_by_role("button", name="Record the irregularity").click()
    expect(officer.get_by_text("The irregularity is recorded as suspected.")).to_be_visible()
    assert _axe(officer) == []
    officer.get_by_label("established: the irregularity is confirmed").check()
    officer.get_by_label(
        "Reason (what confirmed it, how it was followed up, or why it is not confirmed)"
    ).fill("The bank confirms the invoice was never paid.")
    officer.get_by_role("button", name="Record the step").click()
    expect(officer.locator("#irregularity-status")).to_have_text("established")
    officer.get_by_role("link", name="Invoice F-1 unpaid.").click()  # the finding's own page
    expect(officer.get_by_role("heading", name=f"Finding on {reference}")).to_be_visible()
    expect(officer.get_by_role("link", name="missing or false documents")).to_be_visible()
    assert _axe(officer) == []
    assert Irregularity.objects.get().status == "established"

    officer.goto(f"{base}/checks/irregularities/")
    expect(officer.get_by_role("heading", name="Irregularities")).to_be_visible()
    assert _axe(officer) == []
    officer.get_by_label("Status").select_option("suspected")
    officer.get_by_role("button", name="Filter").click()
    expect(officer.get_by_text("0 irregularities")).to_be_visible()
    officer.get_by_label("Status").select_option("established")
    officer.get_by_role("button", name="Filter").click()
    expect(officer.locator("#irregularities")).to_contain_text(reference)
    assert _axe(officer) == []
