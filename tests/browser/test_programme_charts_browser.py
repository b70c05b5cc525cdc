"""The programme's share per specific objective is drawn by the vendored Chart.js (no inline script)
beside the table with the same figures, in both formats of the financing plan, and axe finds nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Browser

from amis.demo.programme import load_belgian_programme
from tests.browser.test_accessibility import _violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# the page, the JSON script element the chart reads
CHARTS = [
    ("/programmes/2014BE65AMNP001/v2/financing/", "split-figures"),
    ("/programmes/2021BE65AMPR001/v1/financing/", "annex-shares-figures"),
]


@pytest.mark.parametrize(("path", "figures"), CHARTS)
def test_the_shares_are_a_chart_js_chart_beside_their_table(
    live_server: Any, browser: Browser, path: str, figures: str
) -> None:
    load_belgian_programme(log=lambda m: None)
    page = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-GB").new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(live_server.url + path)
    page.wait_for_function(
        f"window.Chart && window.Chart.getChart(document.querySelector('canvas[data-figures=\"{figures}\"]'))"
    )
    drawn = page.evaluate(
        f"""() => {{
          const chart = window.Chart.getChart(document.querySelector('canvas[data-figures="{figures}"]'));
          return {{labels: chart.data.labels, values: chart.data.datasets[0].data,
                   axis: chart.options.indexAxis, width: chart.width, height: chart.height}};
        }}"""
    )
    expected = json.loads(page.locator(f"#{figures}").text_content() or "{}")
    assert drawn["labels"] == expected["labels"] and drawn["values"] == expected["series"][0]["values"]
    assert drawn["axis"] == "y" and drawn["width"] > 300 and drawn["height"] > 100
    assert errors == []  # the Content-Security-Policy let the scripts run, and nothing failed
    assert _violations(page, page.url) == []
