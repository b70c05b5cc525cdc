"""The headline figures of a 2021-2027 programme: planned is the EU contribution of each specific
objective's allocation lines (CPR Annex V, financing table 2), which its calls draw on."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from amis.demo.calls import load_2021_call, load_calls
from amis.demo.people import load_people
from amis.home.selectors import headline_figures

pytestmark = pytest.mark.django_db


def test_a_2021_2027_programme_s_figures_come_from_its_allocation_lines(belgian: Any) -> None:
    load_people(log=lambda m: None)
    load_calls(log=lambda m: None)
    load_2021_call(log=lambda m: None)
    figures = {f["programme"].cci: f for f in headline_figures()}
    figure = figures["2021BE65AMPR001"]
    assert figure["planned"] == Decimal("196000000.00")  # every line's EU contribution, TA included
    so2 = next(o for o in figure["objectives"] if o["code"] == "SO2")
    assert (so2["planned"], so2["committed"]) == (Decimal("51000000.00"), Decimal("2000000.00"))
    assert so2["name"] == {"en": "Legal migration and integration"}
    assert [o["code"] for o in figure["objectives"]] == ["SO1", "SO2", "SO3", "SO4"]  # TA is no objective
    assert figures["2014BE65AMNP001"]["planned"] == Decimal("177261833.12")  # 2014-2020 as before
