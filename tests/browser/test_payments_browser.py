"""A pre-financing from the signed agreement to the bank, role by role in a browser: the officer
proposes it from the project page, the authorising officer approves it (confirmation step), the
accounting officer gathers it in a batch with a date typed as the reader writes it, exports the batch
(confirmation), downloads the SEPA file (it parses, its control sum is the amount) and records the
bank's date; axe finds no WCAG 2.1 AA violation on any page."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as etree

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from amis.payments.models import Payment
from amis.projects.tests.builders import selected_project, signed_agreement
from tests.browser.test_selection_browser import _axe, _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}


def test_a_pre_financing_from_proposal_to_the_bank(
    live_server: Any, browser: Browser, tmp_path: Path
) -> None:
    project = selected_project()
    signed_agreement(project)
    base = live_server.url

    officer = _login(browser, base, "ra.officer@amis.example")
    officer.goto(f"{base}/projects/{project.reference}/")
    expect(officer.get_by_role("heading", name="Payments")).to_be_visible()
    assert _axe(officer) == []
    officer.get_by_label("Kind of payment").select_option("prefinancing")
    officer.get_by_role("button", name="Propose the payment").click()
    expect(officer.get_by_text("The payment is proposed; another person approves it.")).to_be_visible()
    expect(officer.get_by_role("cell", name="share paid as pre-financing")).to_be_visible()
    assert _axe(officer) == []
    payment = Payment.objects.get(project=project)
    officer.goto(f"{base}/payments/")
    expect(officer.get_by_role("link", name="pre-financing")).to_be_visible()
    assert _axe(officer) == []

    manager = _login(browser, base, "ra.manager@amis.example")
    manager.goto(f"{base}/payments/{payment.pk}/")
    manager.get_by_role("button", name="Approve the payment").click()
    assert _axe(manager) == []  # the confirmation page
    manager.get_by_role("button", name="Yes, approve the payment").click()
    expect(manager.get_by_text("The payment is approved.")).to_be_visible()

    accountant = _login(browser, base, "accounting@amis.example")
    accountant.goto(f"{base}/payments/batches/")
    assert _axe(accountant) == []
    accountant.get_by_label(project.reference, exact=False).check()
    today = timezone.localdate()
    accountant.get_by_label("Execution date at the bank").fill(today.strftime("%d/%m/%Y"))
    accountant.get_by_role("button", name="Create the batch").click()
    expect(
        accountant.get_by_text("The batch is created; export it to make the transfer file.")
    ).to_be_visible()
    assert _axe(accountant) == []
    accountant.get_by_role("button", name="Export the batch to the bank").click()
    assert _axe(accountant) == []  # the confirmation page
    accountant.get_by_role("button", name="Yes, export the batch").click()
    expect(
        accountant.get_by_text("The batch is exported: download its SEPA file for the bank.")
    ).to_be_visible()
    with accountant.expect_download() as download:
        accountant.get_by_role("link", name="Download the SEPA transfer file (XML)").click()
    target = tmp_path / "sepa.xml"
    download.value.save_as(target)
    xml = etree.fromstring(target.read_bytes())
    payment.refresh_from_db()
    assert Decimal(xml.findtext(".//p:GrpHdr/p:CtrlSum", default="", namespaces=NS)) == payment.amount
    accountant.get_by_label("Date of the payment at the bank").fill(today.strftime("%d/%m/%Y"))
    accountant.get_by_role("button", name="Record as paid").click()
    expect(accountant.get_by_text("The payment is recorded as paid.")).to_be_visible()
    assert _axe(accountant) == []
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID and payment.paid_on == today
