"""The share of each specific objective is drawn by Chart.js from a JSON script element (no inline
script, no hand-made SVG bars), with the same figures in a table beside the chart."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from amis.programme import selectors
from amis.programme.views import share_chart

pytestmark = pytest.mark.django_db


def _figures(html: str, element_id: str) -> dict[str, Any]:
    found = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S)
    assert found, element_id
    return json.loads(found.group(1))


def test_the_split_per_specific_objective_is_a_chart_and_a_table(client: Client, belgian: Any) -> None:
    html = client.get("/programmes/2014BE65AMNP001/v2/financing/").content.decode()
    assert "<svg" not in html
    assert 'canvas data-figures="split-figures" role="img"' in html
    assert "vendor/chartjs/chart.umd.min.js" in html and "amis/figures.js" in html
    figures = _figures(html, "split-figures")
    plan = selectors.financing_plan_data(belgian)
    assert figures["labels"] == [so["code"] for so in plan["specific_objectives"]]
    assert figures["format"] == "percent" and figures["horizontal"] is True
    assert figures["series"][0]["values"][0] == pytest.approx(28.12)  # SO1 of the basic allocation
    table = html[html.index('data-testid="split"') :]
    assert "SO1" in table and "28.12%" in table[: table.index("</table>")]


def test_the_2021_2027_shares_in_the_initial_allocation_are_a_chart_beside_their_table(
    client: Client,
) -> None:
    from amis.demo.programme import load_belgian_programme

    load_belgian_programme(log=lambda m: None)
    html = client.get("/programmes/2021BE65AMPR001/v1/financing/").content.decode()
    figures = _figures(html, "annex-shares-figures")
    assert 'canvas data-figures="annex-shares-figures"' in html
    assert figures["labels"] and figures["labels"][-1] == "Technical assistance"
    version = selectors.version_get("2021BE65AMPR001", 1)
    assert version is not None
    annex = selectors.annex_v_data(version)
    assert annex is not None
    assert figures["series"][0]["values"] == [float(so["share"]) for so in annex["objective_shares"]]
    assert "Share of each specific objective in the initial allocation" in html


def test_the_chart_data_reads_missing_shares_as_zero() -> None:
    chart = share_chart([("SO1", Decimal("28.12")), ("SO2", None)])
    assert chart == {
        "labels": ["SO1", "SO2"],
        "series": [{"label": "Share", "values": [28.12, 0.0]}],
        "format": "percent",
        "horizontal": True,
    }
