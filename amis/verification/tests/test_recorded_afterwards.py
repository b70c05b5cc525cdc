"""Work recorded afterwards (the demo's history, an authority catching up): a verification completed,
a financial correction and a recovery order take the moment they happened (`now=`), never in the
future, a verification never before its report came in; the accounts then count the correction in
the year of its date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from amis.core.errors import ApplicationError
from amis.payments import recoveries
from amis.payments.models import Payment
from amis.projects.tests.builders import user
from amis.reporting.models import Report
from amis.verification import irregularities, spot_checks
from amis.verification import services as verification
from amis.verification.tests.test_services import VERIFIER, _answer_all, _submitted_report

pytestmark = pytest.mark.django_db
RA_OFFICER = "ra.officer@amis.example"


def test_recorded_on_their_own_dates(belgian: object) -> None:
    report = _submitted_report(lines=3)
    came_in = timezone.now() - dt.timedelta(days=40)
    Report.objects.filter(pk=report.pk).update(submitted_at=came_in)
    report = Report.objects.get(pk=report.pk)
    verifier = user(VERIFIER)
    started = verification.verification_start(actor=verifier, report=report)
    verification.lines_decide(
        actor=verifier, verification=started, filters={"undecided": True}, decision="eligible"
    )
    started.refresh_from_db()
    answered = _answer_all(started)
    for wrong in (came_in - dt.timedelta(days=1), timezone.now() + dt.timedelta(days=1)):
        with pytest.raises(ApplicationError):
            verification.verification_complete(
                actor=verifier, verification=answered, expected_lock_version=answered.lock_version, now=wrong
            )
    when = came_in + dt.timedelta(days=30)
    done = verification.verification_complete(
        actor=verifier, verification=answered, expected_lock_version=answered.lock_version, now=when
    )
    assert done.completed_at == when
    # a correction decided ten days ago, not today; never tomorrow
    finding = irregularities.verification_finding_record(
        actor=verifier, verification=done, text="Overclaimed"
    )
    ago = timezone.now() - dt.timedelta(days=10)
    with pytest.raises(ApplicationError):
        spot_checks.correction_record(
            actor=verifier, finding=finding, amount=Decimal("10.00"), reason="r", category="staff",
            now=timezone.now() + dt.timedelta(days=1),
        )  # fmt: skip
    correction = spot_checks.correction_record(
        actor=verifier, finding=finding, amount=Decimal("10.00"), reason="r", category="staff", now=ago
    )
    correction.refresh_from_db()
    assert correction.created_at == ago
    # a recovery ordered twenty days ago with a due date five days ago: its due date was ahead then
    project = report.project
    Payment.objects.create(
        project=project, kind=Payment.Kind.PREFINANCING, amount=Decimal("500.00"), status=Payment.Status.PAID,
        paid_on=timezone.localdate() - dt.timedelta(days=30), creditor_name="Caritas",
        iban="BE68539007547034", remittance=project.reference, proposed_by=user(RA_OFFICER),
    )  # fmt: skip
    due = timezone.localdate() - dt.timedelta(days=5)
    ordered = timezone.now() - dt.timedelta(days=20)
    with pytest.raises(ApplicationError):  # ordered today, that due date is in the past
        recoveries.recovery_order(
            actor=user(RA_OFFICER), project=project, amount=Decimal("50.00"), due_date=due, reason="r"
        )
    recovery = recoveries.recovery_order(
        actor=user(RA_OFFICER),
        project=project,
        amount=Decimal("50.00"),
        due_date=due,
        reason="r",
        now=ordered,
    )
    recovery.refresh_from_db()
    assert recovery.created_at == ordered and recovery.due_date == due
