"""Recovery orders: ordered by a payment officer with the finding or irregularity they come from,
never more than was paid; money received by the accounting unit in parts that add up, never more than
outstanding; written off by an authorising officer with a reason, never by the person who ordered it.
And closing the project: refused, with what still blocks it, until everything is settled."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from amis.accounts.services import SegregationOfDutiesError
from amis.core.audit import AuditEntry
from amis.core.errors import ApplicationError, StaleObjectError
from amis.payments import closure, services
from amis.payments.models import Recovery
from amis.payments.recoveries import recovery_order, recovery_receive, recovery_write_off
from amis.payments.tests.helpers import ACCOUNTING, RA_MANAGER, RA_OFFICER, paid
from amis.payments.tests.test_services import _verified
from amis.projects.models import Project
from amis.projects.tests.builders import CARITAS, user
from amis.reporting.models import Report
from amis.verification.models import Finding, Irregularity
from amis.verification.tests.test_services import VERIFIER, _submitted_report

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
LATER = TODAY + dt.timedelta(days=60)


def _finding(project: Project, text: str = "Invoices paid twice") -> Finding:
    return Finding.objects.create(project=project, text=text, created_by=user(VERIFIER))


def test_order_receive_in_parts_and_write_off(belgian: object) -> None:
    project = _submitted_report(3).project
    officer, manager, accountant = user(RA_OFFICER), user(RA_MANAGER), user(ACCOUNTING)
    finding = _finding(project)
    with pytest.raises(ApplicationError):  # nothing paid yet: nothing to recover
        recovery_order(actor=officer, project=project, amount=Decimal("10.00"), due_date=LATER, reason="x")
    pre = paid(project)
    for amount, due, reason in (
        (Decimal("0"), LATER, "x"),
        (Decimal("-5.00"), LATER, "x"),
        (Decimal("1.005"), LATER, "x"),
        (Decimal("10.00"), TODAY - dt.timedelta(days=1), "x"),
        (Decimal("10.00"), LATER, "  "),
        (pre.amount + Decimal("0.01"), LATER, "x"),
    ):
        with pytest.raises(ApplicationError):
            recovery_order(actor=officer, project=project, amount=amount, due_date=due, reason=reason)
    with pytest.raises(PermissionDenied):
        recovery_order(actor=accountant, project=project, amount=Decimal("1.00"), due_date=LATER, reason="x")
    irregularity = Irregularity.objects.create(
        project=project,
        finding=finding,
        type="double_funding",
        amount="1000.00",
        detected_on=TODAY,
        description="Also funded by the region",
        created_by=user(VERIFIER),
    )
    recovery = recovery_order(
        actor=officer,
        project=project,
        amount=Decimal("1000.00"),
        due_date=LATER,
        reason="Double funding",
        irregularity=irregularity,
    )
    assert recovery.debtor == project.organisation and recovery.finding == finding
    assert recovery.irregularity == irregularity and recovery.status == Recovery.Status.OPEN
    assert AuditEntry.objects.filter(object_id=str(recovery.pk), action="create").exists()
    with pytest.raises(PermissionDenied):  # the accounting unit records money received, nobody else
        recovery_receive(
            actor=officer,
            recovery=recovery,
            amount=Decimal("1.00"),
            received_on=TODAY,
            expected_lock_version=1,
        )
    with pytest.raises(ApplicationError):  # not in the future
        recovery_receive(
            actor=accountant,
            recovery=recovery,
            amount=Decimal("1.00"),
            received_on=TODAY + dt.timedelta(days=1),
            expected_lock_version=1,
        )
    recovery = recovery_receive(
        actor=accountant,
        recovery=recovery,
        amount=Decimal("400.00"),
        received_on=TODAY,
        expected_lock_version=1,
    )
    with pytest.raises(StaleObjectError):
        recovery_receive(
            actor=accountant,
            recovery=recovery,
            amount=Decimal("1.00"),
            received_on=TODAY,
            expected_lock_version=1,
        )
    with pytest.raises(ApplicationError):  # never more than outstanding
        recovery_receive(
            actor=accountant,
            recovery=recovery,
            amount=Decimal("600.01"),
            received_on=TODAY,
            expected_lock_version=recovery.lock_version,
        )
    assert recovery.outstanding == Decimal("600.00") and recovery.receipts.count() == 1
    with pytest.raises(PermissionDenied):  # an officer does not write off
        recovery_write_off(actor=officer, recovery=recovery, reason="x", expected_lock_version=2)
    with pytest.raises(ApplicationError):
        recovery_write_off(actor=manager, recovery=recovery, reason=" ", expected_lock_version=2)
    recovery = recovery_write_off(
        actor=manager, recovery=recovery, reason="The association was dissolved", expected_lock_version=2
    )
    assert recovery.status == Recovery.Status.WRITTEN_OFF and recovery.written_off == Decimal("600.00")
    assert recovery.outstanding == 0 and recovery.written_off_by == manager
    with pytest.raises(ApplicationError):  # once
        recovery_receive(
            actor=accountant,
            recovery=recovery,
            amount=Decimal("1.00"),
            received_on=TODAY,
            expected_lock_version=recovery.lock_version,
        )
    # the rest in two receipts that add up
    second = recovery_order(
        actor=officer,
        project=project,
        amount=Decimal("300.00"),
        due_date=LATER,
        reason="Ineligible",
        finding=finding,
    )
    second = recovery_receive(
        actor=accountant,
        recovery=second,
        amount=Decimal("100.00"),
        received_on=TODAY,
        expected_lock_version=1,
    )
    second = recovery_receive(
        actor=accountant,
        recovery=second,
        amount=Decimal("200.00"),
        received_on=TODAY,
        expected_lock_version=2,
    )
    assert second.status == Recovery.Status.RECOVERED and second.received == Decimal("300.00")


def test_the_one_who_ordered_never_writes_off(belgian: object) -> None:
    project = _submitted_report(3).project
    paid(project)
    manager = user(RA_MANAGER)
    recovery = recovery_order(
        actor=manager, project=project, amount=Decimal("50.00"), due_date=LATER, reason="Ineligible"
    )
    with pytest.raises(SegregationOfDutiesError):
        recovery_write_off(actor=manager, recovery=recovery, reason="Too small", expected_lock_version=1)
    assert AuditEntry.objects.filter(action="permission_refused", object_id=str(recovery.pk)).exists()
    recovery.refresh_from_db()
    assert recovery.status == Recovery.Status.OPEN
    with pytest.raises(ApplicationError):  # a finding of another project is refused
        elsewhere = Finding(project_id=project.pk + 999)  # never saved: refused before
        recovery_order(
            actor=manager,
            project=project,
            amount=Decimal("1.00"),
            due_date=LATER,
            reason="x",
            finding=elsewhere,
        )


def test_closing_the_project_once_everything_is_settled(belgian: object) -> None:
    report = _submitted_report(20)
    Report.objects.filter(pk=report.pk).update(kind=Report.Kind.FINAL)
    report.refresh_from_db()
    project = report.project
    manager, officer, accountant = user(RA_MANAGER), user(RA_OFFICER), user(ACCOUNTING)
    blockers = closure.closure_blockers(project)
    assert len(blockers) == 2  # the final report not verified, the balance not paid
    with pytest.raises(ApplicationError) as refused:
        closure.project_close(actor=manager, project=project)
    assert refused.value.extra["blockers"] == blockers
    done = _verified(report)
    balance = services.payment_propose(actor=officer, project=project, kind="balance", report=report)
    assert any("proposed" in b for b in closure.closure_blockers(project))
    from amis.payments.tests.helpers import approve, record, to_the_bank

    balance = record(to_the_bank(approve(balance)))
    finding = _finding(project)
    recovery = recovery_order(
        actor=officer, project=project, amount=Decimal("100.00"), due_date=LATER, reason="Ineligible"
    )
    blockers = closure.closure_blockers(project)
    assert (
        len(blockers) == 2
        and any("recovery" in b for b in blockers)
        and any("finding" in b for b in blockers)
    )
    Finding.objects.filter(pk=finding.pk).update(status=Finding.Status.CLOSED)
    recovery_receive(
        actor=accountant,
        recovery=recovery,
        amount=Decimal("100.00"),
        received_on=TODAY,
        expected_lock_version=1,
    )
    assert closure.closure_blockers(project) == []
    with pytest.raises(PermissionDenied):  # an authorising officer closes
        closure.project_close(actor=officer, project=project)
    with pytest.raises(PermissionDenied):
        closure.project_close(actor=user(CARITAS), project=project)
    closed = closure.project_close(actor=manager, project=project)
    assert closure.is_closed(project) and closure.closures_for([project]) == {project.pk: closed}
    assert closed.figures == {
        "max_grant": "240750.00",
        "eu_verified": str(done.eu_share),
        "paid_net": str(balance.amount),
        "recovered": "100.00",
        "written_off": "0.00",
    }
    with pytest.raises(ApplicationError):  # closed: nothing more is paid, recovered or closed
        services.payment_propose(actor=officer, project=project, kind="prefinancing")
    with pytest.raises(ApplicationError):
        recovery_order(actor=officer, project=project, amount=Decimal("1.00"), due_date=LATER, reason="x")
    with pytest.raises(ApplicationError):
        closure.project_close(actor=manager, project=project)


def test_a_balance_turned_into_a_recovery_closes_once_recovered(belgian: object) -> None:
    report = _submitted_report(5)
    Report.objects.filter(pk=report.pk).update(kind=Report.Kind.FINAL)
    report.refresh_from_db()
    project = report.project
    pre = paid(project)  # 96,300.00: far above the EU share verified
    done = _verified(report)
    balance = paid(project, "balance", report)  # nil, approved
    assert balance.amount == Decimal("0.00") and balance.status == "approved"
    recovery = Recovery.objects.get(project=project)
    assert recovery.amount_due == pre.amount - done.eu_share
    assert closure.closure_blockers(project) == ["1 recovery order(s) still open."]
    recovery_receive(
        actor=user(ACCOUNTING),
        recovery=recovery,
        amount=recovery.amount_due,
        received_on=TODAY,
        expected_lock_version=recovery.lock_version,
    )
    closed = closure.project_close(actor=user(RA_MANAGER), project=project)
    assert closed.figures["recovered"] == str(recovery.amount_due)
    assert closed.figures["paid_net"] == str(pre.amount)
