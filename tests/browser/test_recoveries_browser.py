"""Recoveries, a cancellation and the closure in a browser, role by role: the officer orders a
recovery from the project page, the accounting officer records part of it received and the
authorising officer writes off the rest (confirmation); the officer cancels the paid pre-financing
(reason, confirmation), another person approves it and the accounting officer records the bank's
return; the authorising officer reads what still keeps the project from being closed. axe finds no
WCAG 2.1 AA violation on any of these pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from amis.payments.models import Payment, Recovery
from amis.payments.tests.helpers import approve, paid
from amis.projects.tests.builders import selected_project, signed_agreement
from tests.browser.test_selection_browser import _axe, _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_recovery_cancellation_and_closure_pages(live_server: Any, browser: Browser) -> None:
    project = selected_project()
    signed_agreement(project)
    pre = paid(project)
    base = live_server.url
    today = timezone.localdate()
    later = today + dt.timedelta(days=30)

    officer = _login(browser, base, "ra.officer@amis.example")
    officer.goto(f"{base}/projects/{project.reference}/")
    expect(officer.get_by_role("group", name="Order a recovery")).to_be_visible()
    assert _axe(officer) == []
    officer.get_by_label("Amount to recover (EUR)").fill("1,000.00")
    officer.get_by_label("To be paid back by").fill(later.strftime("%d/%m/%Y"))
    officer.get_by_label("Why is it recovered?").fill("Staff costs found ineligible")
    officer.get_by_role("button", name="Order the recovery").click()
    expect(officer.get_by_text("The recovery is ordered from the beneficiary.")).to_be_visible()
    assert _axe(officer) == []
    recovery = Recovery.objects.get()
    assert recovery.amount_due == Decimal("1000.00")

    accountant = _login(browser, base, "accounting@amis.example")
    accountant.goto(f"{base}/payments/recoveries/")
    assert _axe(accountant) == []
    accountant.get_by_role("link", name=project.reference, exact=False).click()
    accountant.get_by_label("Amount received (EUR)").fill("400.00")
    accountant.get_by_label("Date of the receipt at the bank").fill(today.strftime("%d/%m/%Y"))
    accountant.get_by_role("button", name="Record the receipt").click()
    expect(accountant.get_by_text("The money received is recorded.")).to_be_visible()
    assert _axe(accountant) == []

    manager = _login(browser, base, "ra.manager@amis.example")
    manager.goto(f"{base}/payments/recoveries/{recovery.pk}/")
    assert _axe(manager) == []
    manager.get_by_label("Why is the recovery written off?").fill("The association was dissolved")
    manager.get_by_role("button", name="Write off the recovery").click()
    assert _axe(manager) == []  # the confirmation page
    manager.get_by_role("button", name="Yes, write off the recovery").click()
    expect(manager.get_by_text("The recovery is written off.")).to_be_visible()
    recovery.refresh_from_db()
    assert recovery.status == Recovery.Status.WRITTEN_OFF and recovery.written_off == Decimal("600.00")

    officer.goto(f"{base}/payments/{pre.pk}/")
    assert _axe(officer) == []
    officer.get_by_label("Why is the payment cancelled?").fill("Returned by the bank: account closed")
    officer.get_by_role("button", name="Cancel the payment").click()
    assert _axe(officer) == []  # the confirmation page
    officer.get_by_role("button", name="Yes, cancel the payment").click()
    expect(officer.get_by_text("The cancellation is proposed; another person approves it.")).to_be_visible()
    assert _axe(officer) == []
    cancellation = approve(Payment.objects.get(cancels=pre))

    accountant.goto(f"{base}/payments/batches/")
    expect(accountant.get_by_role("heading", name="Cancelled payments: record the return")).to_be_visible()
    assert _axe(accountant) == []
    accountant.get_by_label("Date of the return at the bank").fill(today.strftime("%d/%m/%Y"))
    accountant.get_by_role("button", name="Record the return").click()
    expect(accountant.get_by_text("The return of the cancelled payment is recorded.")).to_be_visible()
    cancellation.refresh_from_db()
    assert cancellation.status == Payment.Status.PAID

    manager.goto(f"{base}/projects/{project.reference}/")
    expect(manager.get_by_text("What still keeps the project from being closed:")).to_be_visible()
    assert _axe(manager) == []
