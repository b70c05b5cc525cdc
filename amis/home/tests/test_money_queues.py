"""The home page's queues for what comes after verification: a signed agreement whose pre-financing
is not proposed, a verified report to pay, a cancellation whose return the bank must confirm, a
selected project to plan a check for and a planned check to record — each gone once done."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from amis.home.selectors import home_for
from amis.payments import services as payments
from amis.payments.tests.test_services import _verified
from amis.projects.tests.builders import user
from amis.verification import spot_checks
from amis.verification.models import CheckSelection
from amis.verification.tests.test_services import VERIFIER, _submitted_report

pytestmark = pytest.mark.django_db
RA_MANAGER, RA_OFFICER, ACCOUNTING = (
    "ra.manager@amis.example",
    "ra.officer@amis.example",
    "accounting@amis.example",
)


def _task(email: str, title: str) -> tuple[int, list[str]]:
    for task in home_for(user(email))["tasks"]:
        if str(task.label) == title:
            return task.count, [text for text, _url in task.items]
    raise AssertionError(f"no task {title!r} for {email}")


def _paid(payment):  # type: ignore[no-untyped-def]
    approved = payments.payment_approve(
        actor=user(RA_MANAGER), payment=payment, expected_lock_version=payment.lock_version
    )
    batch = payments.batch_create(actor=user(ACCOUNTING), payments=[approved], execution_date=dt.date.today())
    payments.batch_export(actor=user(ACCOUNTING), batch=batch, expected_lock_version=batch.lock_version)
    approved.refresh_from_db()
    return payments.payment_record_paid(
        actor=user(ACCOUNTING),
        payment=approved,
        expected_lock_version=approved.lock_version,
        paid_on=dt.date.today(),
    )


def test_payments_to_propose_and_cancellations_to_record(belgian: object) -> None:
    report = _submitted_report(6)
    project = report.project
    assert _task(RA_OFFICER, "Signed agreements whose pre-financing is not proposed") == (
        1,
        [project.reference],
    )
    pre = _paid(payments.payment_propose(actor=user(RA_OFFICER), project=project, kind="prefinancing"))
    assert _task(RA_OFFICER, "Signed agreements whose pre-financing is not proposed")[0] == 0
    assert _task(RA_OFFICER, "Verified reports to pay")[0] == 0
    _verified(report)
    count, items = _task(RA_OFFICER, "Verified reports to pay")
    assert count == 1 and items[0].startswith(f"{project.reference} · 1")
    payments.payment_propose(actor=user(RA_OFFICER), project=project, kind="interim", report=report)
    assert _task(RA_OFFICER, "Verified reports to pay")[0] == 0

    assert _task(ACCOUNTING, "Cancelled payments: record the return")[0] == 0
    pre.refresh_from_db()
    cancel = payments.payment_cancel(
        actor=user(RA_OFFICER),
        payment=pre,
        reason="The bank returned the transfer.",
        expected_lock_version=pre.lock_version,
    )
    payments.payment_approve(
        actor=user(RA_MANAGER), payment=cancel, expected_lock_version=cancel.lock_version
    )
    assert _task(ACCOUNTING, "Cancelled payments: record the return")[0] == 1
    assert _task(RA_OFFICER, "Verified reports to pay")[0] == 0


def test_checks_to_plan_and_to_record(belgian: object) -> None:
    report = _submitted_report(3)
    project = report.project
    CheckSelection.objects.create(
        programme=project.application.call.programme,
        year=timezone.localdate().year,
        weights={},
        risk_count=1,
        random_count=0,
        seed=1,
        candidates=[],
        risk_based=[project.reference],
        method="test",
        created_by=user(VERIFIER),
    )
    assert _task(VERIFIER, "Selected projects to plan a check for") == (1, [project.reference])
    assert _task(VERIFIER, "On-the-spot checks to record")[0] == 0
    spot_checks.check_plan(
        actor=user(VERIFIER),
        project=project,
        kind="financial",
        planned_on=timezone.localdate() + dt.timedelta(days=7),
    )
    assert _task(VERIFIER, "Selected projects to plan a check for")[0] == 0
    count, items = _task(VERIFIER, "On-the-spot checks to record")
    assert count == 1 and items[0].startswith(f"{project.reference} · financial")
    with pytest.raises(AssertionError, match="no task"):
        _task("beneficiary@caritas.example", "On-the-spot checks to record")
