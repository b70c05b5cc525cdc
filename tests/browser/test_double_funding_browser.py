"""Another fund's list in a browser, as the officer of the delegated authority meets it: a list with
bad rows is read by the worker and refused with every bad row shown (nothing of it is used); fixed,
it is read, its warnings shown, confirmed; the call's applications are checked against it and a
flag matched by name is confirmed and cleared with a reason. axe finds nothing on the pages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from amis.applications.models import Application
from amis.calls.models import Call
from amis.demo.calls import CODE, load_calls
from amis.demo.people import load_people
from amis.demo.programme import load_belgian_programme
from amis.integrity.models import DoubleFundingFlag, OtherFundList
from tests.browser.conftest import screenshot
from tests.browser.test_selection_browser import _axe, _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OFFICER = "da.flanders@amis.example"


def test_a_bad_list_refused_then_a_good_one_confirmed_and_a_flag_cleared(
    live_server: Any, browser: Browser, tmp_path: Path, run_worker: Callable[[], None]
) -> None:
    quiet = lambda message: None  # noqa: E731
    load_belgian_programme(log=quiet)
    load_people(log=quiet)
    load_calls(log=quiet)
    call = Call.objects.get(code=CODE)
    app = Application.objects.exclude(status__in=["draft", "withdrawn"]).filter(call=call).first()
    assert app is not None and app.start_date and app.end_date
    name = f"VZW {app.organisation.name.upper()}"  # no enterprise number: matched by name
    start, end = f"{app.start_date:%d/%m/%Y}", f"{app.end_date:%d/%m/%Y}"
    header = "Projectnummer;Titel;Begunstigde;Begindatum;Einddatum;Totale kost;ESF-bijdrage"
    bad = tmp_path / "esf-bad.csv"
    bad.write_text(
        f"{header}\nESF-1;Taal en werk;{name};{start};{end};100.000,00;150.000,00\n"
        f"ESF-1;Jobcoaching;Andere vzw;{start};{end};50.000,00;20.000,00\n",
        encoding="utf-8",
    )
    good = tmp_path / "esf.csv"
    good.write_text(
        f"{header}\nESF-1;Taal en werk;{name};{start};{end};100.000,00;50.000,00\n"
        f"ESF-2;Jobcoaching;Andere vzw;{start};{end};50.000,00;20.000,00\n",
        encoding="utf-8",
    )
    base = live_server.url
    page = _login(browser, base, OFFICER)
    page.goto(f"{base}/double-funding/lists/")
    expect(page.get_by_role("heading", name="Other funds' project lists")).to_be_visible()
    assert _axe(page) == []
    page.get_by_label("Project list (CSV or XLSX)").set_input_files(str(bad))
    page.get_by_label("decimal comma, e.g. 1.234,56 or 1 234,56").check()
    page.get_by_role("button", name="Read the list").click()
    expect(page.get_by_text("Waiting", exact=False)).to_be_visible()
    run_worker()
    page.reload()
    expect(page.get_by_text("The list has 2 errors; nothing of it is used.")).to_be_visible()
    errors = page.locator("table").first
    expect(errors).to_contain_text("The EU amount 150,000.00 is above the total cost 100,000.00.")
    expect(errors).to_contain_text("The project identifier 'ESF-1' is already on row 2")
    assert _axe(page) == []
    assert not OtherFundList.objects.filter(status="active").exists()

    page.goto(f"{base}/double-funding/lists/")
    page.get_by_label("Project list (CSV or XLSX)").set_input_files(str(good))
    page.get_by_label("decimal comma, e.g. 1.234,56 or 1 234,56").check()
    page.get_by_role("button", name="Read the list").click()
    run_worker()
    page.reload()
    expect(page.get_by_text("2 projects were read; 2 of them can be matched")).to_be_visible()
    expect(
        page.get_by_text("This list has no valid enterprise (KBO/BCE) number", exact=False)
    ).to_be_visible()
    screenshot(page, "double-funding-list-read")
    assert _axe(page) == []
    page.get_by_role("button", name="Confirm and use this list").click()
    expect(page.get_by_text("In use since", exact=False)).to_be_visible()

    page.goto(f"{base}/calls/{CODE}/double-funding/")
    page.get_by_role("button", name="Check this call's applications").click()
    expect(page.get_by_text("Matched by name (confidence 1.00).").first).to_be_visible()
    screenshot(page, "double-funding-flags")
    assert _axe(page) == []
    flag = DoubleFundingFlag.objects.get(application=app)
    page.locator("tr", has_text="ESF-1").get_by_role("button", name="Same organisation").click()
    expect(page.get_by_text("Recorded: the same organisation.")).to_be_visible()
    expect(page.get_by_text("An officer confirmed: the same organisation.")).to_be_visible()
    page.get_by_label(f"Select the flag {app.reference} × ESF-1").check()
    page.get_by_label("Why these are not double funding (one reason for all)").fill(
        "ESF pays the trainers, AMIF the coaching: other costs."
    )
    page.get_by_role("button", name="Clear the flags ticked").last.click()
    expect(page.get_by_text("1 flags were cleared.")).to_be_visible()
    flag.refresh_from_db()
    assert flag.cleared_at is not None and flag.clearance.startswith("ESF pays the trainers")
