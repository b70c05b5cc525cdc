"""The pages of cancellations, recoveries and the closure, role by role: an officer cancels a paid
payment (a reason, a confirmation), another person approves, the accounting unit records the return
with a Dutch date; an officer orders a recovery with a Dutch amount, the accounting unit records a
receipt, the authorising officer writes off the rest; an authorising officer closes the project once
nothing blocks it. Bad input 400, never a 500."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from amis.payments import services
from amis.payments.models import Payment, ProjectClosure, Recovery
from amis.payments.tests.helpers import ACCOUNTING, RA_MANAGER, RA_OFFICER, approve, paid, record, to_the_bank
from amis.payments.tests.test_services import _verified
from amis.projects.tests.builders import CARITAS, user
from amis.reporting.models import Report
from amis.verification.tests.test_services import _submitted_report

pytestmark = pytest.mark.django_db


def _client(email: str, language: str = "en") -> Client:
    client = Client()
    client.force_login(user(email))
    client.cookies["django_language"] = language
    return client


def _order(fields: dict[str, str]) -> dict[str, str]:
    return {f"recovery-{name}": value for name, value in fields.items()}


def _dutch(day: Any) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def test_a_paid_payment_is_cancelled_and_its_return_recorded(belgian: object) -> None:
    project = _submitted_report(3).project
    pre = paid(project)
    officer = _client(RA_OFFICER)
    page = officer.get(reverse("payments:detail", args=[pre.pk]))
    assert page.status_code == 200 and b"Cancel the payment" in page.content
    url = reverse("payments:cancel", args=[pre.pk])
    empty = officer.post(url, {"lock_version": pre.lock_version, "reason": " "})
    assert empty.status_code == 400 and not Payment.objects.filter(cancels=pre).exists()
    ask = officer.post(url, {"lock_version": pre.lock_version, "reason": "Returned by the bank"})
    assert ask.status_code == 200 and b'name="confirm"' in ask.content
    assert not Payment.objects.filter(cancels=pre).exists()  # nothing done before the confirmation
    stale = officer.post(url, {"lock_version": 99, "reason": "Returned", "confirm": "yes"})
    assert stale.status_code == 409
    done = officer.post(url, {"lock_version": pre.lock_version, "reason": "Returned", "confirm": "yes"})
    assert done.status_code == 302
    cancellation = Payment.objects.get(cancels=pre)
    assert done["Location"] == reverse("payments:detail", args=[cancellation.pk])
    again = officer.post(url, {"lock_version": pre.lock_version + 1, "reason": "Twice", "confirm": "yes"})
    assert again.status_code == 400 and Payment.objects.filter(kind="cancellation").count() == 1
    shown = officer.get(reverse("payments:detail", args=[pre.pk]))
    assert b"Cancelled by" in shown.content and b"Cancel the payment" not in shown.content
    manager = _client(RA_MANAGER)
    manager.post(reverse("payments:approve", args=[cancellation.pk]), {"lock_version": 1, "confirm": "yes"})
    cancellation.refresh_from_db()
    assert cancellation.status == Payment.Status.APPROVED
    accountant = _client(ACCOUNTING, "nl")
    batches = accountant.get(reverse("payments:batches"))
    assert batches.status_code == 200 and cancellation.remittance.encode() in batches.content
    field = f"p{cancellation.pk}-"
    bad = accountant.post(
        reverse("payments:paid", args=[cancellation.pk]),
        {field + "lock_version": cancellation.lock_version, field + "paid_on": "32/13/2020"},
    )
    assert bad.status_code == 400
    ok = accountant.post(
        reverse("payments:paid", args=[cancellation.pk]),
        {field + "lock_version": cancellation.lock_version, field + "paid_on": _dutch(timezone.localdate())},
    )
    assert ok.status_code == 302
    cancellation.refresh_from_db()
    assert cancellation.status == Payment.Status.PAID and services.paid_so_far(project) == Decimal("0.00")


def test_order_receive_and_write_off_a_recovery_on_the_pages(belgian: object) -> None:
    project = _submitted_report(3).project
    paid(project)
    officer = _client(RA_OFFICER, "nl")
    page = officer.get(reverse("projects:detail", args=[project.reference]))
    assert page.status_code == 200 and page.context["recovery_form"] is not None
    url = reverse("payments:recovery_order", args=[project.reference])
    later = _dutch(timezone.localdate() + dt.timedelta(days=30))
    for bad in (
        {"amount": "abc", "due_date": later, "reason": "x"},
        {"amount": "1.234,56", "due_date": "99/99/2020", "reason": "x"},
        {
            "amount": "1.234,56",
            "due_date": _dutch(timezone.localdate() - dt.timedelta(days=1)),
            "reason": "x",
        },
        {"amount": "999.999,00", "due_date": later, "reason": "x"},
        {"amount": "1.234,56", "due_date": later, "reason": ""},
    ):
        assert officer.post(url, bad).status_code == 400, bad
    assert not Recovery.objects.exists()
    made = officer.post(
        url, _order({"amount": "1.234,56", "due_date": later, "reason": "Ineligible staff costs"})
    )
    assert made.status_code == 302
    recovery = Recovery.objects.get()
    assert recovery.amount_due == Decimal("1234.56") and recovery.debtor == project.organisation

    accountant = _client(ACCOUNTING, "nl")
    listed = accountant.get(reverse("payments:recoveries") + "?status=open")
    assert listed.status_code == 200 and project.reference.encode() in listed.content
    detail = accountant.get(reverse("payments:recovery", args=[recovery.pk]))
    assert detail.status_code == 200 and detail.context["may_receive"] and not detail.context["may_write_off"]
    receive = reverse("payments:recovery_receive", args=[recovery.pk])
    today = _dutch(timezone.localdate())
    too_much = accountant.post(receive, {"lock_version": 1, "amount": "2.000,00", "received_on": today})
    assert too_much.status_code == 400 and too_much.context["error"]
    assert (
        accountant.post(receive, {"lock_version": 1, "amount": "x", "received_on": today}).status_code == 400
    )
    got = accountant.post(receive, {"lock_version": 1, "amount": "234,56", "received_on": today})
    assert got.status_code == 302
    recovery.refresh_from_db()
    assert recovery.outstanding == Decimal("1000.00") and recovery.receipts.count() == 1
    assert (
        accountant.post(receive, {"lock_version": 1, "amount": "1,00", "received_on": today}).status_code
        == 409
    )

    manager = _client(RA_MANAGER)
    write_off = reverse("payments:recovery_write_off", args=[recovery.pk])
    assert manager.post(write_off, {"lock_version": 2, "reason": ""}).status_code == 400
    ask = manager.post(write_off, {"lock_version": 2, "reason": "Bankrupt"})
    assert ask.status_code == 200 and b'name="confirm"' in ask.content
    done = manager.post(write_off, {"lock_version": 2, "reason": "Bankrupt", "confirm": "yes"})
    assert done.status_code == 302
    recovery.refresh_from_db()
    assert recovery.status == Recovery.Status.WRITTEN_OFF and recovery.written_off == Decimal("1000.00")
    assert officer.post(write_off, {"lock_version": 3, "reason": "x"}).status_code == 403
    beneficiary = _client(CARITAS)
    assert beneficiary.get(reverse("payments:recoveries")).status_code == 403
    assert beneficiary.get(reverse("payments:recovery", args=[recovery.pk])).status_code == 403


def test_the_one_who_ordered_is_refused_the_write_off_with_the_reason(belgian: object) -> None:
    project = _submitted_report(3).project
    paid(project)
    manager = _client(RA_MANAGER)
    later = _dutch(timezone.localdate() + dt.timedelta(days=30))
    manager.post(
        reverse("payments:recovery_order", args=[project.reference]),
        _order({"amount": "10.00", "due_date": later, "reason": "x"}),
    )
    recovery = Recovery.objects.get()
    page = manager.get(reverse("payments:recovery", args=[recovery.pk]))
    assert not page.context["may_write_off"]
    refused = manager.post(
        reverse("payments:recovery_write_off", args=[recovery.pk]),
        {"lock_version": 1, "reason": "Small", "confirm": "yes"},
    )
    assert refused.status_code == 403 and "segregation of duties" in refused.context["error"]


def test_closing_the_project_from_its_page(belgian: object) -> None:
    report = _submitted_report(10)
    Report.objects.filter(pk=report.pk).update(kind=Report.Kind.FINAL)
    report.refresh_from_db()
    project = report.project
    manager = _client(RA_MANAGER)
    page = manager.get(reverse("projects:detail", args=[project.reference]))
    assert b"What still keeps the project from being closed" in page.content
    assert b"The balance is not paid" in page.content
    url = reverse("payments:close", args=[project.reference])
    refused = manager.post(url, {"confirm": "yes"})
    assert refused.status_code == 400 and b"final report" in refused.content
    _verified(report)
    balance = services.payment_propose(actor=user(RA_OFFICER), project=project, kind="balance", report=report)
    record(to_the_bank(approve(balance)))
    page = manager.get(reverse("projects:detail", args=[project.reference]))
    assert page.context["close_blockers"] == [] and b"Close the project" in page.content
    assert _client(RA_OFFICER).post(url, {"confirm": "yes"}).status_code == 403
    ask = manager.post(url)
    assert ask.status_code == 200 and b'name="confirm"' in ask.content and not ProjectClosure.objects.exists()
    assert manager.post(url, {"confirm": "yes"}).status_code == 302
    page = _client(RA_OFFICER).get(reverse("projects:detail", args=[project.reference]))
    assert b"Closed on" in page.content and page.context["propose_form"] is None
