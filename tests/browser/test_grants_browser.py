"""The grant agreement in the browser: the delegated authority's officer prepares it from the project
page, a colleague of the responsible authority issues it through the confirmation step; the project,
version and diff pages pass axe (WCAG 2.1 AA)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from amis.projects.models import AgreementVersion
from amis.projects.tests.builders import selected_project
from tests.browser.conftest import screenshot
from tests.browser.test_selection_browser import _axe, _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_prepares_and_a_colleague_issues_the_agreement(live_server: Any, browser: Browser) -> None:
    project = selected_project()
    base = live_server.url
    ref = project.reference

    da = _login(browser, base, "da.flanders@amis.example")
    da.goto(f"{base}/projects/")
    da.get_by_role("link", name=ref).click()
    expect(da.get_by_role("heading", level=1)).to_contain_text(ref)
    assert _axe(da) == []
    da.get_by_role("button", name="Prepare the grant agreement").click()
    expect(da.get_by_text("The agreement is prepared as a draft")).to_be_visible()
    expect(da.locator(".badge")).to_have_text("draft")
    da.get_by_label("Special conditions").first.fill("Quarterly monitoring visits.")
    da.get_by_role("button", name="Save the special conditions").click()
    expect(da.get_by_text("The draft is saved.")).to_be_visible()
    assert _axe(da) == []  # the version page with the draft's forms

    officer = _login(browser, base, "ra.officer@amis.example")
    officer.goto(f"{base}/projects/{ref}/agreement/v1/")
    officer.get_by_role("button", name="Issue this version").click()
    expect(officer.get_by_role("button", name="Yes, issue it")).to_be_visible()
    assert _axe(officer) == []  # the confirmation page
    officer.get_by_role("button", name="Yes, issue it").click()
    expect(officer.get_by_text("The version is issued")).to_be_visible()
    expect(officer.locator(".badge")).to_have_text("issued, awaiting signatures")
    expect(officer.get_by_role("group", name="Sign for the authority")).to_be_visible()
    version = AgreementVersion.objects.get(agreement__project=project)
    assert version.status == "issued" and version.issued_by.email == "ra.officer@amis.example"  # type: ignore[union-attr]
    assert version.terms["special_conditions"] == "Quarterly monitoring visits."
    officer.goto(f"{base}/projects/{ref}/")
    expect(officer.get_by_role("link", name="PDF of version 1")).to_be_visible()
    assert _axe(officer) == []
    officer.goto(f"{base}/projects/{ref}/agreement/v1/diff/")
    assert _axe(officer) == []
    screenshot(officer, "grants-project")

    # both sides sign; the beneficiary uploads the scan: version 1 is in force, the financial
    # picture and the transfer form show on the project page
    day = version.issued_at.date().isoformat()  # type: ignore[union-attr]
    officer.goto(f"{base}/projects/{ref}/agreement/v1/")
    authority = officer.get_by_role("group", name="Sign for the authority")
    authority.get_by_label("Who signed").fill("Marc Dubois")
    authority.get_by_label("Date of signature").fill(day)
    authority.get_by_role("button", name="Record the authority's signature").click()
    expect(officer.get_by_text("The signature is recorded.")).to_be_visible()
    ben = _login(browser, base, "beneficiary@caritas.example")
    ben.goto(f"{base}/projects/{ref}/agreement/v1/")
    assert _axe(ben) == []  # the beneficiary's signature form
    own = ben.get_by_role("group", name="Sign for the beneficiary")
    own.get_by_label("Who signed").fill("Fatima El Amrani")
    own.get_by_label("Date of signature").fill(day)
    own.get_by_label("Scan of the agreement signed by both sides (PDF)").set_input_files(
        files=[{"name": "signed.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}]
    )
    own.get_by_role("button", name="Record your signature").click()
    expect(ben.locator(".badge")).to_have_text("signed")
    ben.goto(f"{base}/projects/{ref}/")
    expect(ben.get_by_role("heading", name="Financial picture")).to_be_visible()
    expect(ben.get_by_role("button", name="Move the budget")).to_be_visible()
    assert _axe(ben) == []
    screenshot(ben, "grants-project-beneficiary")
