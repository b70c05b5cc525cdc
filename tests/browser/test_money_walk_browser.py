"""One project from its submitted interim report to its final balance, role by role in a browser.

The verifier checks the interim claim and rejects one line; the payment officer proposes the
interim payment; the authorising officer (another person) approves it; the accounting unit batches
it, exports the SEPA file (its control sum is the payment) and records the bank's date. The
beneficiary then types and submits the final report, the verifier verifies it, and the balance is
proposed, approved, exported and paid: in the end the net paid equals the EU share of everything
verified, no more, the project page says so, and the authorising officer closes the project. Axe
finds no WCAG 2.1 AA violation on the pages each person meets on the way (the narrower walks check
the others)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as etree

import pytest
from django.db.models import Sum
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from amis.core.money import cents
from amis.payments import services as payments
from amis.payments.models import Payment, ProjectClosure
from amis.projects.tests.builders import CARITAS, selected_project, signed_agreement, user
from amis.reporting.models import ExpenditureLine, Report
from amis.reporting.services import lines as report_lines
from amis.reporting.services import reports as report_services
from amis.verification.models import Verification
from tests.browser.conftest import screenshot
from tests.browser.test_selection_browser import _axe, _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
VERIFIER = "verifier@amis.example"
OFFICER = "ra.officer@amis.example"
MANAGER = "ra.manager@amis.example"
ACCOUNTING = "accounting@amis.example"


def _line(day: dt.date, n: int, category: str, amount: str) -> dict[str, Any]:
    return {
        "category": category,
        "supplier_name": f"Leverancier {n}",
        "supplier_number": "",
        "invoice_number": f"F-{n:03d}",
        "invoice_date": day.isoformat(),
        "payment_date": (day + dt.timedelta(days=10)).isoformat(),
        "description": f"Costs {n}",
        "amount_excl_vat": amount,
        "amount_incl_vat": amount,
        "amount_declared": amount,
        "vat_recoverable": False,
    }


def _submitted_interim(report: Report, day: dt.date) -> Report:
    """The beneficiary's interim claim, typed and submitted through the reporting services."""
    caritas = user(CARITAS)
    for n in range(1, 9):
        category = "travel" if n == 1 else "staff"
        report_lines.line_add(
            actor=caritas, report=report, data=_line(day, n, category, "2000.00" if n == 1 else "20000.00")
        )
    report = Report.objects.get(pk=report.pk)
    report_services.report_submit(actor=caritas, report=report, expected_lock_version=report.lock_version)
    return Report.objects.get(pk=report.pk)


def _prefinancing_paid(project: Any) -> Payment:
    """The pre-financing, paid at signature through the payment services (its own browser walk is
    test_payments_browser)."""
    pre = payments.payment_propose(actor=user(OFFICER), project=project, kind="prefinancing")
    pre = payments.payment_approve(actor=user(MANAGER), payment=pre, expected_lock_version=pre.lock_version)
    accountant = user(ACCOUNTING)
    batch = payments.batch_create(actor=accountant, payments=[pre], execution_date=timezone.localdate())
    batch = payments.batch_export(actor=accountant, batch=batch, expected_lock_version=batch.lock_version)
    pre.refresh_from_db()
    return payments.payment_record_paid(
        actor=accountant, payment=pre, expected_lock_version=pre.lock_version, paid_on=timezone.localdate()
    )


def _verify(page: Page, base: str, report: Report, *, reject_first: bool) -> Verification:
    """The verifier's desk check of `report`: checklist, optionally line 1 rejected, the rest eligible
    in bulk, completion after the confirmation step."""
    page.goto(f"{base}/verifications/")
    expect(page.get_by_role("heading", name="Reports to verify")).to_be_visible()
    name = f"Report {report.number} ({report.get_kind_display()})"
    page.get_by_role("link", name=name).click()
    page.get_by_role("button", name="Start the verification").click()
    expect(page.get_by_text(f"The verification of report {report.number} has started.")).to_be_visible()
    checklist = page.locator("#checklist")
    for fieldset in checklist.locator("fieldset").all():
        fieldset.get_by_label("yes", exact=True).check()
    checklist.get_by_role("button", name="Save the checklist").click()
    expect(page.get_by_text("The checklist was saved.")).to_be_visible()
    if reject_first:
        lines = page.locator("#lines")
        lines.get_by_label("Line 1", exact=True).check()
        lines.get_by_label("the lines ticked").check()
        lines.get_by_label("ineligible", exact=True).check()
        lines.get_by_label("Reason (ineligible or reduced)").select_option("no_document")
        lines.get_by_label("Explanation").fill("No ticket for this journey.")
        lines.get_by_role("button", name="Record the decision").click()
        expect(page.get_by_text("1 line was decided.")).to_be_visible()
    lines = page.locator("#lines")
    lines.get_by_label("Only lines not decided yet").check()
    lines.get_by_role("button", name="Filter").click()
    lines = page.locator("#lines")
    lines.get_by_label("every line matching the filter").check()
    lines.get_by_label("eligible", exact=True).check()
    lines.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#undecided")).to_have_text("0")
    assert _axe(page) == []
    page.get_by_role("button", name="Complete the verification").click()
    page.get_by_role("button", name="Yes, complete the verification").click()
    verification = Verification.objects.get(report=report, status="completed")
    expect(page.locator("#verified-amount")).to_have_text(f"{verification.verified:,.2f}")
    return verification


def _propose(page: Page, base: str, project: Any, kind: str, report: Report) -> Payment:
    page.goto(f"{base}/projects/{project.reference}/")
    page.get_by_label("Kind of payment").select_option(kind)
    page.get_by_label("Report paid (interim payment or balance)").select_option(
        label=f"Report {report.number} ({report.get_kind_display()})"
    )
    page.get_by_role("button", name="Propose the payment").click()
    expect(page.get_by_text("The payment is proposed; another person approves it.")).to_be_visible()
    assert _axe(page) == []
    return Payment.objects.get(report=report, status="proposed")


def _approve(page: Page, base: str, payment: Payment) -> None:
    page.goto(f"{base}/payments/{payment.pk}/")
    page.get_by_role("button", name="Approve the payment").click()
    page.get_by_role("button", name="Yes, approve the payment").click()
    expect(page.get_by_text("The payment is approved.")).to_be_visible()


def _to_the_bank(page: Page, base: str, payment: Payment, tmp_path: Path) -> etree.Element:
    """Batch, export (confirmation), download the SEPA file, record the bank's date."""
    today = timezone.localdate()
    page.goto(f"{base}/payments/batches/")
    page.get_by_label(payment.project.reference, exact=False).check()
    page.get_by_label("Execution date at the bank").fill(today.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Create the batch").click()
    page.get_by_role("button", name="Export the batch to the bank").click()
    page.get_by_role("button", name="Yes, export the batch").click()
    expect(page.get_by_text("The batch is exported: download its SEPA file for the bank.")).to_be_visible()
    assert _axe(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the SEPA transfer file (XML)").click()
    target = tmp_path / f"sepa-{payment.pk}.xml"
    download.value.save_as(target)
    page.get_by_label("Date of the payment at the bank").fill(today.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Record as paid").click()
    expect(page.get_by_text("The payment is recorded as paid.")).to_be_visible()
    return etree.fromstring(target.read_bytes())


def test_from_the_interim_report_to_the_balance(live_server: Any, browser: Browser, tmp_path: Path) -> None:
    project = selected_project()
    version = signed_agreement(project)
    day = version.eligible_start + dt.timedelta(days=40)
    interim = _submitted_interim(Report.objects.get(project=project, number=1), day)
    final = Report.objects.get(project=project, kind="final")
    pre = _prefinancing_paid(project)
    base = live_server.url

    # 1. The verifier rejects the travel line and accepts the rest.
    verifier = _login(browser, base, VERIFIER)
    rejected = ExpenditureLine.objects.get(report=interim, position=1)
    first = _verify(verifier, base, interim, reject_first=True)
    assert first.ineligible == rejected.amount_declared
    kept = interim.lines.aggregate(s=Sum("amount_declared"))["s"] - rejected.amount_declared
    assert first.verified == cents(kept * Decimal("1.07"))  # the 7 % flat rate on the verified base

    # 2. The interim payment: proposed, approved by another person, batched, exported, paid.
    officer = _login(browser, base, OFFICER)
    interim_payment = _propose(officer, base, project, "interim", interim)
    expect(officer.get_by_role("cell", name="already paid")).to_be_visible()
    manager = _login(browser, base, MANAGER)
    _approve(manager, base, interim_payment)
    accountant = _login(browser, base, ACCOUNTING)
    xml = _to_the_bank(accountant, base, interim_payment, tmp_path)
    interim_payment.refresh_from_db()
    assert interim_payment.status == "paid"
    assert Decimal(xml.findtext(".//p:GrpHdr/p:CtrlSum", default="", namespaces=NS)) == interim_payment.amount
    assert f"{project.reference} report 1" in xml.findtext(".//p:RmtInf/p:Ustrd", default="", namespaces=NS)

    # 3. The beneficiary types the final report's expenditure and submits it.
    ben = _login(browser, base, CARITAS)
    ben.goto(f"{base}/reports/{final.pk}/")
    expect(ben.get_by_role("heading", name=f"Report {final.number} (final report)")).to_be_visible()
    last_day = version.eligible_end - dt.timedelta(days=30)
    for n, amount in ((1, "50,000.00"), (2, "40,000.00")):
        form = ben.locator("#expenditure form[aria-labelledby='line-form-title']")
        form.get_by_label("Cost category").select_option("staff")
        form.get_by_label("Supplier", exact=True).fill(f"Sociaal Secretariaat {n}")
        form.get_by_label("Invoice number").fill(f"S-{n}")
        form.get_by_label("Invoice date").fill(last_day.strftime("%d/%m/%Y"))
        form.get_by_label("Amount declared (€)").fill(amount)
        form.get_by_role("button", name="Add the line").click()
        expect(ben.locator("#expenditure table").get_by_text(f"Sociaal Secretariaat {n}")).to_be_visible()
    assert _axe(ben) == []
    ben.get_by_role("button", name="Submit the report").click()
    assert _axe(ben) == []  # the confirmation page
    ben.get_by_role("button", name="Yes, submit the report").click()
    expect(ben.get_by_text(f"Report {final.number} was submitted (round 1).")).to_be_visible()
    final.refresh_from_db()
    assert final.status == "submitted"

    # 4. The verifier verifies the final report; the balance is proposed, approved and paid.
    second = _verify(verifier, base, final, reject_first=False)
    assert second.verified == Decimal("96300.00")  # 90,000 staff + the 7 % flat rate
    balance = _propose(officer, base, project, "balance", final)
    _approve(manager, base, balance)
    officer.goto(f"{base}/payments/{balance.pk}/")
    screenshot(officer, "money-walk-balance")
    xml = _to_the_bank(accountant, base, balance, tmp_path)
    balance.refresh_from_db()
    assert Decimal(xml.findtext(".//p:GrpHdr/p:CtrlSum", default="", namespaces=NS)) == balance.amount

    # In the end: net paid = the EU share of everything verified (below the maximum grant).
    eu_verified = cents(first.eu_share + second.eu_share)
    assert eu_verified < version.max_grant
    paid = Payment.objects.filter(project=project, status="paid").aggregate(s=Sum("amount"))["s"]
    assert paid == eu_verified == pre.amount + interim_payment.amount + balance.amount
    officer.goto(f"{base}/projects/{project.reference}/")
    totals = officer.locator("#project-payments-title + dl")
    expect(totals).to_contain_text(f"{eu_verified:,.2f}")
    # the financial picture's total row: paid (EU) is the same figure, shared over the categories
    picture_total = officer.locator("section[aria-labelledby='finance-h'] tfoot tr")
    expect(picture_total.locator("td").nth(4)).to_have_text(f"{eu_verified:,.2f}")
    screenshot(officer, "money-walk-project")

    # 5. Nothing pending, nothing open: the authorising officer closes the project.
    manager.goto(f"{base}/projects/{project.reference}/")
    manager.get_by_role("button", name="Close the project").click()
    assert _axe(manager) == []  # the confirmation page
    manager.get_by_role("button", name="Yes, close the project").click()
    expect(manager.get_by_text("Closed on", exact=False)).to_be_visible()
    assert ProjectClosure.objects.get(project=project).figures["paid_net"] == str(eu_verified)
    assert _axe(officer) == []
