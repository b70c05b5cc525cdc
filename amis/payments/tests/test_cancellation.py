"""A cancelled payment is a new entry, never an edit: minus the amount, four eyes, the bank's date of
the return; never in a batch; once only. What was paid counts it once recorded, so the same report
(or the pre-financing) is paid again exactly once, and the net paid never exceeds the maximum grant."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from amis.accounts.services import SegregationOfDutiesError
from amis.core.audit import AuditEntry
from amis.core.errors import ApplicationError, StaleObjectError
from amis.payments import closure, selectors, services
from amis.payments.models import Payment
from amis.payments.tests.helpers import (
    ACCOUNTING,
    RA_MANAGER,
    RA_OFFICER,
    approve,
    cancelled,
    paid,
    record,
    to_the_bank,
)
from amis.payments.tests.test_services import _verified
from amis.projects.selectors import version_in_force
from amis.projects.tests.builders import CARITAS, user
from amis.verification.tests.test_services import _submitted_report

pytestmark = pytest.mark.django_db


def test_a_paid_interim_payment_cancelled_is_paid_again_once(belgian: object) -> None:
    report = _submitted_report(20)
    project = report.project
    done = _verified(report)
    first = paid(project, "interim", report)
    assert first.amount == done.eu_share > 0 and first.status == Payment.Status.PAID
    officer, manager = user(RA_OFFICER), user(RA_MANAGER)
    with pytest.raises(ApplicationError):  # a reason is required
        services.payment_cancel(actor=officer, payment=first, reason=" ", expected_lock_version=1)
    with pytest.raises(StaleObjectError):
        services.payment_cancel(actor=officer, payment=first, reason="x", expected_lock_version=99)
    with pytest.raises(PermissionDenied):  # the beneficiary never cancels
        services.payment_cancel(
            actor=user(CARITAS), payment=first, reason="x", expected_lock_version=first.lock_version
        )
    cancellation = services.payment_cancel(
        actor=manager,
        payment=first,
        reason="Returned: account closed",
        expected_lock_version=first.lock_version,
    )
    assert cancellation.kind == Payment.Kind.CANCELLATION and cancellation.amount == -first.amount
    assert cancellation.cancels == first and cancellation.iban == first.iban
    assert cancellation.remittance == f"{project.reference} cancellation of {first.remittance}"
    assert AuditEntry.objects.filter(action="cancel", object_id=str(cancellation.pk)).exists()
    first.refresh_from_db()
    assert first.status == Payment.Status.PAID  # the original is never edited
    with pytest.raises(ApplicationError):  # once only
        services.payment_cancel(
            actor=officer, payment=first, reason="x", expected_lock_version=first.lock_version
        )
    # not yet recorded: it frees nothing, the report cannot be paid again
    assert services.paid_so_far(project) == first.amount
    with pytest.raises(ApplicationError):
        services.payment_propose(actor=officer, project=project, kind="interim", report=report)
    with pytest.raises(SegregationOfDutiesError):  # four eyes: not the one who proposed it
        services.payment_approve(actor=manager, payment=cancellation, expected_lock_version=1)
    with pytest.raises(ApplicationError):  # recorded once approved
        record(cancellation)
    cancellation = services.payment_approve(
        actor=officer_as_manager(), payment=cancellation, expected_lock_version=1
    )
    with pytest.raises(ApplicationError):  # a cancellation never goes into a batch
        services.batch_create(actor=user(ACCOUNTING), payments=[cancellation], execution_date=dt.date.today())
    with pytest.raises(ApplicationError):  # the return does not come before the payment
        assert first.paid_on is not None
        record(cancellation, first.paid_on - dt.timedelta(days=1))
    cancellation = record(cancellation)
    assert cancellation.status == Payment.Status.PAID
    assert services.paid_so_far(project) == Decimal("0.00")
    again = paid(project, "interim", report)
    assert again.amount == first.amount and again.remittance == first.remittance
    assert services.paid_so_far(project) == first.amount
    version = version_in_force(project)
    assert version is not None and services.paid_so_far(project) <= version.max_grant
    with pytest.raises(ApplicationError):  # and not a third time
        services.payment_propose(actor=officer, project=project, kind="interim", report=report)


def officer_as_manager() -> object:
    """A second authorising officer, so the manager's own proposal can be approved by another."""
    from amis.accounts import services as accounts
    from amis.accounts.models import User
    from amis.accounts.roles import Role
    from amis.organisations.models import Organisation

    other = accounts.user_create(email="second.manager@amis.example", password="a-long-test-password-1")
    accounts.role_assign(
        user=other,
        role=Role.RA_MANAGER,
        organisation=Organisation.objects.get(short_name="FPS HA EFU"),
        actor_label="test",
    )
    return User.objects.get(pk=other.pk)


def test_a_cancelled_pre_financing_is_proposed_again_and_never_above_the_grant(belgian: object) -> None:
    project = _submitted_report(3).project
    pre = paid(project)
    version = version_in_force(project)
    assert version is not None
    cancelled(pre)
    assert services.paid_so_far(project) == Decimal("0.00")
    again = paid(project)
    assert again.amount == pre.amount
    assert services.paid_so_far(project) == pre.amount <= version.max_grant
    with pytest.raises(ApplicationError):  # one standing pre-financing
        services.payment_propose(actor=user(RA_OFFICER), project=project, kind="prefinancing")


def test_a_payment_sent_to_the_bank_is_cancelled_and_never_recorded_as_paid(belgian: object) -> None:
    project = _submitted_report(3).project
    officer = user(RA_OFFICER)
    pre = services.payment_propose(actor=officer, project=project, kind="prefinancing")
    with pytest.raises(ApplicationError):  # proposed only: reject it instead
        services.payment_cancel(actor=officer, payment=pre, reason="x", expected_lock_version=1)
    pre = approve(pre)
    with pytest.raises(ApplicationError):  # approved, not yet sent
        services.payment_cancel(
            actor=officer, payment=pre, reason="x", expected_lock_version=pre.lock_version
        )
    pre = to_the_bank(pre)
    cancellation = services.payment_cancel(
        actor=officer, payment=pre, reason="Rejected by the bank", expected_lock_version=pre.lock_version
    )
    pre.refresh_from_db()
    with pytest.raises(ApplicationError):  # being cancelled: not recorded as paid
        record(pre)
    with pytest.raises(ApplicationError):  # a cancellation is not cancelled
        services.payment_cancel(actor=officer, payment=cancellation, reason="x", expected_lock_version=1)
    record(approve(cancellation))
    assert services.paid_so_far(project) == Decimal("0.00")
    # the transfer never arrived: nothing was received, and the original no longer waits for the bank
    assert services.paid_net(project) == Decimal("0.00")
    assert selectors.project_totals(project)["paid"] == Decimal("0.00")
    assert not any("not recorded as paid" in b for b in closure.closure_blockers(project))
