"""Two-period sampling, a sub-sample and σr per stratum in a browser: the auditor plans the year in
two periods from the overview, opens the plan and period 1's sample, draws period 2; draws a
sub-sample of a high-value operation's lines from its page, records a line, projects the item's
error; and sees the σr field of each stratum on a population's sample form. axe finds no WCAG 2.1 AA
violation on any of these pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from amis.accounts.models import User
from amis.demo.programme import BELGIAN_2021_CCI
from amis.sampling import services, subsamples
from amis.sampling.models import SamplingPlan, Subsample
from amis.sampling.tests.builders import AUDITOR, YEAR, declared, lines_behind
from tests.browser.test_selection_browser import _axe, _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_two_periods_a_subsample_and_sigma_per_stratum(live_server: Any, browser: Browser) -> None:
    declared({f"OP-{i:02}": ["10000.00"] for i in range(1, 6)}, submitted_on=dt.date(YEAR, 3, 1))
    base = live_server.url
    auditor = _login(browser, base, AUDITOR)
    auditor.goto(f"{base}/sampling/")
    plan = auditor.locator("form", has=auditor.get_by_role("heading", name="Plan a year's MUS sample"))
    plan.get_by_label("Programme").select_option(BELGIAN_2021_CCI)
    plan.get_by_label("Accounting year (the calendar year in which it ends)").fill(str(YEAR))
    plan.get_by_label("Period 1's cut-off date").fill("31/03/2026")
    plan.get_by_label("System audits' category", exact=False).select_option("2")
    plan.get_by_label("σr of period 1", exact=False).fill("0.10")
    plan.get_by_label("σr of period 2 (forecast)").fill("0.20")
    plan.get_by_label("Book value of period 2 (forecast)").fill("60000")
    plan.get_by_label("Seed of period 1", exact=False).fill("11")
    assert _axe(auditor) == []
    plan.get_by_role("button", name="Plan and draw period 1").click()
    expect(auditor.get_by_role("heading", name="The plan: the working")).to_be_visible()
    assert _axe(auditor) == []
    made = SamplingPlan.objects.get()
    declared({"OP-06": ["20000.00"], "OP-07": ["20000.00"]}, submitted_on=dt.date(YEAR, 5, 1))
    auditor.reload()
    auditor.get_by_label("Seed of period 2", exact=False).fill("12")
    auditor.get_by_role("button", name="Build period 2 and draw its sample").click()
    expect(auditor.get_by_role("cell", name="not drawn yet")).to_have_count(0)
    assert _axe(auditor) == []
    first = made.populations.get(period=1).samples.get()
    auditor.goto(f"{base}/sampling/samples/{first.pk}/")
    expect(auditor.get_by_role("link", name=f"Plan #{made.pk}, period 1")).to_be_visible()
    assert _axe(auditor) == []

    # a sub-sample of a high-value operation's lines
    programme = declared({"OP-X": ["90000.00"]})
    lines_behind("OP-X", ["1000.00"] * 35)
    actor = User.objects.get(email=AUDITOR)
    population = services.population_build(actor=actor, programme=programme, year=YEAR, unit_kind="operation")
    sample = services.sample_draw(
        actor=actor,
        population=population,
        method="mus_stratified",
        sigma=D("0.05"),
        anticipated_error=D("0"),
        category=2,
        seed=3,
    )
    item = sample.items.get(unit__key="OP-X")
    auditor.goto(f"{base}/sampling/items/{item.pk}/")
    assert _axe(auditor) == []
    auditor.get_by_label("Seed of the sub-sample", exact=False).fill("5")
    auditor.get_by_role("button", name="Draw the sub-sample").click()
    expect(auditor.get_by_role("heading", name="Sub-sample size and selection: the working")).to_be_visible()
    assert _axe(auditor) == []
    subsample = Subsample.objects.get()
    first_line = subsample.picked.order_by("position").first()
    assert subsample.size == 30 and first_line is not None
    auditor.get_by_role("link", name=first_line.key).click()
    assert _axe(auditor) == []
    auditor.get_by_label("Error found in the line").fill("100")
    auditor.get_by_role("button", name="Record", exact=True).click()
    expect(auditor.get_by_role("heading", name="Lines drawn")).to_be_visible()
    for line in subsample.picked.exclude(pk=first_line.pk):  # the others through the service
        subsamples.subsample_line_record(
            actor=actor, line=line, expected_lock_version=1, audited_value=None, error=D("0")
        )
    auditor.reload()
    auditor.get_by_label("Type of error").select_option("random")
    auditor.get_by_role("button", name="Project and record").click()
    expect(auditor.get_by_role("heading", name="Record the audit", exact=True)).to_be_visible()
    expect(auditor.get_by_text("E_op = Σ e_j / Σ bv_j × BV_op").first).to_be_visible()
    assert _axe(auditor) == []
    item.refresh_from_db()
    assert item.irregular == D("300.00")  # 100 / 30 000 × 90 000

    # σr per stratum on the sample form
    auditor.goto(f"{base}/sampling/populations/{population.pk}/")
    expect(auditor.get_by_label("σr of stratum", exact=False).first).to_be_visible()
    assert _axe(auditor) == []
