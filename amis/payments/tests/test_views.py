"""The payment pages, role by role: an officer proposes from the project page and reads AMIS's
working in words, the authorising officer approves after a confirmation (never the proposer: 403
with the reason) or rejects with a reason, the accounting unit batches with a date typed in Dutch,
exports once (confirmation), downloads the SEPA file and the CSV, and records the bank's date.
Bad input 400, a stale form 409."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree as etree

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from amis.payments.models import Payment, PaymentBatch
from amis.payments.tests.test_services import ACCOUNTING, RA_MANAGER, RA_OFFICER, _verified
from amis.projects.tests.builders import CARITAS, user
from amis.reporting.models import Report
from amis.verification.tests.test_services import _submitted_report

pytestmark = pytest.mark.django_db
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}


def _client(email: str, language: str = "en") -> Client:
    client = Client()
    client.force_login(user(email))
    client.cookies["django_language"] = language
    return client


def _dutch(day: Any) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def test_from_the_proposal_to_the_bank_role_by_role(belgian: object) -> None:
    report = _submitted_report(6)
    project = report.project
    officer = _client(RA_OFFICER)
    page = officer.get(reverse("projects:detail", args=[project.reference]))
    assert page.status_code == 200 and b"Propose a payment" in page.content
    assert b"Remaining of the grant" in page.content
    answer = officer.post(reverse("payments:propose", args=[project.reference]), {"kind": "prefinancing"})
    assert answer.status_code == 302
    payment = Payment.objects.get(project=project)
    assert payment.amount == Decimal("96300.00")
    detail = officer.get(answer["Location"])
    assert (
        b"maximum grant of the agreement" in detail.content
        and b"share paid as pre-financing" in detail.content
    )
    assert b"Approve the payment" not in detail.content  # an officer does not approve
    assert (
        officer.post(reverse("payments:approve", args=[payment.pk]), {"lock_version": 1}).status_code == 403
    )

    manager = _client(RA_MANAGER)
    listed = manager.get(reverse("payments:list") + "?status=proposed")
    assert listed.status_code == 200 and project.reference.encode() in listed.content
    assert project.reference.encode() not in manager.get(reverse("payments:list") + "?status=paid").content
    ask = manager.post(reverse("payments:approve", args=[payment.pk]), {"lock_version": 1})
    assert ask.status_code == 200 and b'name="confirm"' in ask.content
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PROPOSED  # nothing done before the confirmation
    stale = manager.post(
        reverse("payments:approve", args=[payment.pk]), {"lock_version": 7, "confirm": "yes"}
    )
    assert stale.status_code == 409
    done = manager.post(reverse("payments:approve", args=[payment.pk]), {"lock_version": 1, "confirm": "yes"})
    assert done.status_code == 302
    payment.refresh_from_db()
    assert payment.status == Payment.Status.APPROVED

    accountant = _client(ACCOUNTING, "nl")
    assert accountant.get(reverse("payments:list")).status_code == 403  # the list is the authority's
    batches = accountant.get(reverse("payments:batches"))
    assert batches.status_code == 200 and project.reference.encode() in batches.content
    today = timezone.localdate()
    bad = accountant.post(
        reverse("payments:batches"), {"execution_date": "31-31-2020", "payments": [payment.pk]}
    )
    assert bad.status_code == 400 and not PaymentBatch.objects.exists()
    made = accountant.post(
        reverse("payments:batches"), {"execution_date": _dutch(today), "payments": [payment.pk]}
    )
    assert made.status_code == 302, made.content.decode()[:1500]
    batch = PaymentBatch.objects.get()
    assert batch.execution_date == today
    ask = accountant.post(reverse("payments:export", args=[batch.pk]), {"lock_version": batch.lock_version})
    assert ask.status_code == 200 and b'name="confirm"' in ask.content
    assert accountant.get(reverse("payments:sepa", args=[batch.pk])).status_code == 404  # not exported yet
    exported = accountant.post(
        reverse("payments:export", args=[batch.pk]), {"lock_version": batch.lock_version, "confirm": "yes"}
    )
    assert exported.status_code == 302
    again = accountant.post(
        reverse("payments:export", args=[batch.pk]), {"lock_version": batch.lock_version, "confirm": "yes"}
    )
    assert again.status_code == 409  # the batch changed: exported once, never again
    sepa = accountant.get(reverse("payments:sepa", args=[batch.pk]))
    assert sepa.status_code == 200 and sepa["Content-Type"] == "application/xml"
    xml = etree.fromstring(sepa.content)
    assert Decimal(xml.findtext(".//p:GrpHdr/p:CtrlSum", default="", namespaces=NS)) == payment.amount
    rows = list(
        csv.reader(io.StringIO(accountant.get(reverse("payments:csv", args=[batch.pk])).content.decode()))
    )
    assert rows[1][2] == project.reference and rows[1][7] == "96300.00"
    payment.refresh_from_db()
    future = accountant.post(
        reverse("payments:paid", args=[payment.pk]),
        {f"p{payment.pk}-lock_version": payment.lock_version, f"p{payment.pk}-paid_on": "01/01/2999"},
    )
    assert future.status_code == 400 and future.context["error"]
    paid = accountant.post(
        reverse("payments:paid", args=[payment.pk]),
        {f"p{payment.pk}-lock_version": payment.lock_version, f"p{payment.pk}-paid_on": _dutch(today)},
    )
    assert paid.status_code == 302
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID and payment.paid_on == today
    page = officer.get(reverse("projects:detail", args=[project.reference]))
    assert page.context["payment_totals"]["paid"] == Decimal("96300.00")
    assert page.context["payment_totals"]["remaining"] == Decimal("144450.00")


def test_the_interim_payment_shows_the_working_and_the_80_days_and_rejection_needs_a_reason(
    belgian: object,
) -> None:
    report = _submitted_report(6)
    Report.objects.filter(pk=report.pk).update(submitted_at=timezone.now())
    report.refresh_from_db()
    _verified(report)
    officer = _client(RA_OFFICER)
    answer = officer.post(
        reverse("payments:propose", args=[report.project.reference]), {"kind": "interim", "report": report.pk}
    )
    assert answer.status_code == 302
    payment = Payment.objects.get(report=report)
    page = officer.get(answer["Location"])
    assert b"EU share of the expenditure verified so far" in page.content
    assert payment.due_date is not None and b"80 days from the claim" in page.content
    twice = officer.post(
        reverse("payments:propose", args=[report.project.reference]), {"kind": "interim", "report": report.pk}
    )
    assert twice.status_code == 400 and b"already proposed" in twice.content
    nonsense = officer.post(reverse("payments:propose", args=[report.project.reference]), {"kind": "gift"})
    assert nonsense.status_code == 400
    manager = _client(RA_MANAGER)
    empty = manager.post(reverse("payments:reject", args=[payment.pk]), {"lock_version": 1, "reason": " "})
    assert empty.status_code == 400
    manager.post(
        reverse("payments:reject", args=[payment.pk]), {"lock_version": 1, "reason": "Wrong account"}
    )
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PROPOSED  # asked first
    done = manager.post(
        reverse("payments:reject", args=[payment.pk]),
        {"lock_version": 1, "reason": "Wrong account", "confirm": "yes"},
    )
    assert done.status_code == 302
    payment.refresh_from_db()
    assert payment.status == Payment.Status.REJECTED and payment.rejection_reason == "Wrong account"


def test_the_beneficiary_and_the_proposer_are_kept_out(belgian: object) -> None:
    report = _submitted_report(3)
    beneficiary = _client(CARITAS)
    assert beneficiary.get(reverse("payments:list")).status_code == 403
    assert beneficiary.get(reverse("payments:batches")).status_code == 403
    refused = beneficiary.post(
        reverse("payments:propose", args=[report.project.reference]), {"kind": "prefinancing"}
    )
    assert refused.status_code == 403 and not Payment.objects.exists()


def test_the_proposer_cannot_approve_the_page_says_why(belgian: object) -> None:
    report = _submitted_report(3)
    manager = _client(RA_MANAGER)  # an authorising officer may propose, but not approve what they proposed
    manager.post(reverse("payments:propose", args=[report.project.reference]), {"kind": "prefinancing"})
    payment = Payment.objects.get()
    refused = manager.post(
        reverse("payments:approve", args=[payment.pk]), {"lock_version": 1, "confirm": "yes"}
    )
    assert refused.status_code == 403 and "four eyes" in refused.context["error"]
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PROPOSED
