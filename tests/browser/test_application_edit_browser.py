"""The application's edit page never loses what was typed: uploading a document saves the draft
with the typed changes first, and leaving the page with unsaved changes asks first (a static
script; the CSP forbids inline ones)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Dialog, expect

from amis.applications.models import Application
from amis.demo.calls import CODE, load_calls
from amis.demo.people import load_people
from amis.demo.programme import load_belgian_programme
from tests.browser.test_selection_browser import _axe, _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_typed_changes_survive_an_upload_and_leaving_asks_first(
    live_server: Any, browser: Browser, tmp_path: Path
) -> None:
    load_belgian_programme(log=lambda m: None)
    load_people(log=lambda m: None)
    load_calls(log=lambda m: None)
    base = live_server.url
    draft = Application.objects.get(call__code=CODE, status="draft")
    ben = _login(browser, base, "beneficiary@caritas.example")
    ben.goto(f"{base}/applications/{draft.reference}/edit/")
    ben.get_by_label("Summary").fill("Typed, not yet saved.")
    asked: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        asked.append(dialog.type)
        dialog.dismiss()  # stay on the page

    ben.on("dialog", dismiss)
    ben.get_by_role("link", name="Back to the application").click()
    ben.wait_for_timeout(300)
    assert asked == ["beforeunload"]
    assert ben.url.endswith("/edit/")
    ben.remove_listener("dialog", dismiss)

    plan = tmp_path / "work-plan.pdf"
    plan.write_bytes(b"%PDF-1.4\n% work plan\n")
    ben.get_by_label("Add a document", exact=False).set_input_files(str(plan))
    ben.get_by_role("button", name="Save the draft and upload").click()
    expect(ben.get_by_text("The draft was saved and the document was added.")).to_be_visible()
    expect(ben.get_by_label("Summary")).to_have_value("Typed, not yet saved.")
    expect(ben.get_by_role("link", name="work-plan.pdf")).to_be_visible()
    assert _axe(ben) == []
    draft.refresh_from_db()
    assert draft.summary == "Typed, not yet saved."
