"""An audit of operations in a browser: the auditor opens it from the home page, builds the population
of the year's declared expenditure, draws a MUS sample from a seed (the high-value operation in the
100 % stratum), records a systemic error on it and the other results, and projects the errors: the
total error rate with its working. axe finds no WCAG 2.1 AA violation on the way."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from amis.demo.programme import BELGIAN_2021_CCI
from amis.sampling.models import Sample
from amis.sampling.tests.builders import YEAR, declared
from tests.browser.conftest import screenshot
from tests.browser.test_selection_browser import _axe, _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_auditor_walks_from_the_population_to_the_projected_rate(
    live_server: Any, browser: Browser
) -> None:
    declared({"OP-A": ["300000.00"], "OP-01": ["10000.00"], "OP-02": ["10000.00"], "OP-03": ["10000.00"]})
    base = live_server.url
    auditor = _login(browser, base, "auditor@amis.example")
    auditor.get_by_role(
        "link", name="Audits of operations: population, sample, results and projected error rates"
    ).click()
    expect(auditor.get_by_role("heading", name="Audits of operations", exact=True)).to_be_visible()
    assert _axe(auditor) == []
    build = auditor.locator("form", has=auditor.get_by_role("heading", name="Build the population"))
    build.get_by_label("Programme").select_option(BELGIAN_2021_CCI)
    build.get_by_label("Accounting year (the calendar year in which it ends)").fill(str(YEAR))
    build.get_by_role("button", name="Build the population").click()
    expect(auditor.get_by_role("heading", name="How the population was built")).to_be_visible()
    assert _axe(auditor) == []
    auditor.get_by_label("System audits' category (1 works well … 4 does not work)").select_option("1")
    auditor.get_by_label("Anticipated standard deviation", exact=False).fill("0.05")
    auditor.get_by_label("Seed (leave empty for a new random seed)").fill("2026")
    auditor.get_by_role("button", name="Draw the sample").click()
    expect(auditor.get_by_role("heading", name="Sample size and selection: the working")).to_be_visible()
    assert _axe(auditor) == []
    sample = Sample.objects.get()
    assert sample.seed == 2026 and sample.size == 4
    auditor.get_by_role("link", name="OP-A").click()
    auditor.get_by_label("Irregular amount (error)").fill("3000")
    auditor.get_by_label("Type of error").select_option("systemic")
    auditor.get_by_label("The auditee's reply").fill("The procurement rule was misread in every file.")
    assert _axe(auditor) == []
    auditor.get_by_role("button", name="Record", exact=True).click()
    for key in ("OP-01", "OP-02", "OP-03"):
        auditor.get_by_role("link", name=key).click()
        auditor.get_by_label("Irregular amount (error)").fill("0")
        auditor.get_by_role("button", name="Record", exact=True).click()
    auditor.get_by_role("button", name="Project").click()
    expect(auditor.locator("#total-rate")).to_contain_text("0.9091%")  # 3 000 / 330 000 = 0.9091 %
    expect(auditor.get_by_role("heading", name="Projection: the working")).to_be_visible()
    screenshot(auditor, "sampling-projection")
    assert _axe(auditor) == []
    assert Sample.objects.get().projection["figures"]["total"] == "3000.00"
