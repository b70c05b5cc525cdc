"""The money in chromium: a verified project with its pre-financing paid. The responsible
authority's home page (the dashboard at a glance) shows the programme's money per objective,
the project page its financial picture with every column per category and the total row; axe at 0
violations on both; screenshots test-artifacts/home-programme-totals.png and project-picture.png."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from amis.payments import services
from amis.payments.tests.test_picture import _pay
from amis.payments.tests.test_services import RA_OFFICER, _verified
from amis.projects.tests.builders import user
from amis.verification.tests.test_services import _submitted_report
from tests.browser.conftest import screenshot
from tests.browser.test_accessibility import _violations
from tests.browser.test_selection_browser import _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_programme_totals_and_the_financial_picture_pass_axe(live_server: Any, browser: Browser) -> None:
    report = _submitted_report(12)
    project = report.project
    _verified(report)
    _pay(services.payment_propose(actor=user(RA_OFFICER), project=project, kind="prefinancing"))
    base = live_server.url
    page = _login(browser, base, RA_OFFICER)
    found = _violations(page, f"{base}/")
    # the dashboard on the home page: the paid pre-financing in the 2021-2027 programme's total
    table = page.get_by_role("table").filter(has_text="absorption is paid / planned")
    expect(table.filter(has_text="96,300.00")).to_be_visible()
    expect(table.filter(has_text="96,300.00").get_by_role("row").filter(has_text="Total")).to_contain_text(
        "96,300.00"
    )
    screenshot(page, "home-programme-totals")
    found += _violations(page, f"{base}/projects/{project.reference}/")
    picture = page.get_by_role("table").filter(has_text="Pre-financing not yet cleared")
    expect(picture).to_be_visible()
    expect(picture.get_by_role("columnheader", name="Recovered (EU) (€)")).to_be_visible()
    screenshot(page, "project-picture")
    assert found == []
