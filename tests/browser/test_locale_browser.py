"""Numbers and the header as a French user meets them in chromium (issue 12 §2): amounts typed as
French writes them (`12 000,50`, with a normal, a no-break or a narrow no-break space) are read,
saved and shown back as `12 000,50`, and the live summary says `… €`; and the main menu's rows
at 1366 px per language, measured."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from amis.applications.models import Application
from amis.core.numbers import format_amount, format_money
from amis.demo.calls import CODE, load_calls
from amis.demo.people import load_people
from amis.demo.programme import load_belgian_programme
from tests.browser.conftest import screenshot
from tests.browser.test_accessibility import _violations
from tests.browser.test_selection_browser import _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _in_french(page: Page, base: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": "fr", "url": base}])
    page.set_viewport_size({"width": 1366, "height": 900})


@pytest.mark.parametrize("space", [" ", "\u00a0", "\u202f"])
def test_a_french_applicant_types_12_000_50_and_reads_12_000_50_euro(
    live_server: Any, browser: Browser, space: str
) -> None:
    load_belgian_programme(log=lambda m: None)
    load_people(log=lambda m: None)
    load_calls(log=lambda m: None)
    base = live_server.url
    app = Application.objects.get(call__code=CODE, status="draft")
    lines = list(app.budget_lines.order_by("position"))
    page = _login(browser, base, "beneficiary@caritas.example")
    _in_french(page, base)
    page.goto(f"{base}/applications/{app.reference}/edit/")
    amount = page.locator("#id_budget_0_amount")
    expect(amount).to_have_value(format_amount(lines[0].amount, "fr"))  # not 120000.00
    expect(page.locator("#id_indirect_rate")).to_have_value("7\u00a0%")  # not 0.0700
    amount.fill(f"12{space}000,50")
    amount.dispatch_event("change")  # the live summary (HTMX) recalculates
    direct = Decimal("12000.50") + sum((line.amount for line in lines[1:]), Decimal(0))
    expect(page.locator("#budget-summary")).to_contain_text(format_money(direct, "fr"))
    expect(page.locator("#budget-summary")).not_to_contain_text("EUR")
    page.get_by_role("button", name="Enregistrer le brouillon", exact=True).last.click()
    expect(page.locator(".notice.ok")).to_be_visible()
    expect(page.locator("#id_budget_0_amount")).to_have_value("12\u202f000,50")
    app.refresh_from_db()
    assert app.budget_lines.order_by("position")[0].amount == Decimal("12000.50")
    if space == " ":
        screenshot(page, "application-edit-fr")
        assert _violations(page, f"{base}/applications/{app.reference}/edit/") == []


def test_a_wrong_amount_is_refused_in_french_with_a_french_example(
    live_server: Any, browser: Browser
) -> None:
    load_belgian_programme(log=lambda m: None)
    load_people(log=lambda m: None)
    load_calls(log=lambda m: None)
    base = live_server.url
    app = Application.objects.get(call__code=CODE, status="draft")
    page = _login(browser, base, "beneficiary@caritas.example")
    _in_french(page, base)
    page.goto(f"{base}/applications/{app.reference}/edit/")
    page.locator("#id_budget_0_amount").fill("12,000.50")
    page.get_by_role("button", name="Enregistrer le brouillon", exact=True).last.click()
    expect(page.locator("main")).to_contain_text(
        "«\u00a012,000.50\u00a0» n’est pas un montant. Écrivez-le par exemple ainsi\u00a0: 12\u202f000,50."
    )
    expect(page.locator("#id_budget_0_amount")).to_have_value("12,000.50")


# Rows of the header's menu: items of different heights (the language form) share a row as long as
# each starts above the bottom of the row before it.
ROWS = """() => {
  const boxes = [...document.querySelectorAll('header nav li')]
    .map(li => li.getBoundingClientRect()).sort((a, b) => a.top - b.top);
  let rows = 0, bottom = -Infinity;
  for (const box of boxes) {
    if (box.top >= bottom) { rows += 1; bottom = box.bottom; } else { bottom = Math.max(bottom, box.bottom); }
  }
  return rows;
}"""


def test_the_french_main_menu_fits_one_row_at_1366_px(live_server: Any, browser: Browser) -> None:
    """The RA manager and the auditor have the most entries (ten, with the home page); in French they
    wrapped to two rows ("Appels à propositions") until the menu used the short "Appels"."""
    load_belgian_programme(log=lambda m: None)
    load_people(log=lambda m: None)
    base = live_server.url
    page = _login(browser, base, "ra.manager@amis.example")
    page.set_viewport_size({"width": 1366, "height": 900})
    for language in ("fr", "nl", "de", "en"):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
        page.goto(f"{base}/calls/")
        assert page.locator("header nav li").count() == 10
        assert page.evaluate(ROWS) == 1, language
