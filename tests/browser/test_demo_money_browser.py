"""The demo's money stages as the people who did them see them in a browser: the payment officer on the
flagship's project page (verified, pre-financing and interim payment paid), the verifier on the
verification of its interim report (one line ineligible, with the reason), the accounting officer on
the batch that paid it; a screenshot of each in test-artifacts/, and axe finds no WCAG 2.1 AA
violation."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from amis.demo import money
from amis.demo import projects as demo
from amis.demo.calls import load_2021_call
from amis.demo.people import load_people
from amis.demo.programme import load_belgian_programme
from amis.payments.models import Payment
from amis.projects.models import Project
from amis.reporting.models import Report
from tests.browser.conftest import screenshot
from tests.browser.test_selection_browser import _axe, _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_flagship_verified_and_paid_as_each_role_sees_it(live_server: Any, browser: Browser) -> None:
    quiet = lambda message: None  # noqa: E731
    load_belgian_programme(log=quiet)
    load_people(log=quiet)
    load_2021_call(log=quiet)
    demo.load_projects(log=quiet)
    money.load_money(log=quiet)
    project = Project.objects.get(application__call__code=demo.CODE, application__title=demo.FLAGSHIP_TITLE)
    report = Report.objects.get(project=project, number=1)
    interim = Payment.objects.get(project=project, kind=Payment.Kind.INTERIM)
    base = live_server.url

    officer = _login(browser, base, demo.RA_OFFICER)
    officer.goto(f"{base}/projects/{project.reference}/")
    expect(officer.get_by_role("heading", name="Verifications")).to_be_visible()
    expect(officer.get_by_role("link", name="interim payment")).to_be_visible()
    expect(officer.get_by_role("cell", name="paid", exact=False).first).to_be_visible()
    screenshot(officer, "demo-flagship-project")
    assert _axe(officer) == []

    verifier = _login(browser, base, money.VERIFIER)
    verifier.goto(f"{base}/reports/{report.pk}/verification/")
    expect(verifier.get_by_text("completed · verifier: Julie Lambert")).to_be_visible()
    expect(verifier.get_by_text("rittenblad", exact=False).first).to_be_visible()
    expect(verifier.get_by_role("row", name="ineligible 1", exact=False)).to_be_visible()
    screenshot(verifier, "demo-flagship-verification")
    assert _axe(verifier) == []

    accountant = _login(browser, base, money.ACCOUNTING)
    accountant.goto(f"{base}/payments/batches/{interim.batch_id}/")
    expect(accountant.get_by_text("exported to the bank")).to_be_visible()
    expect(accountant.get_by_role("cell", name=f"{project.reference} · interim payment")).to_be_visible()
    screenshot(accountant, "demo-payment-batch")
    assert _axe(accountant) == []
