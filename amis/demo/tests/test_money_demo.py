"""The demo's verification, on-the-spot checks and payments (issue 15): the flagship's interim report
verified with one ineligible line and paid in an exported SEPA batch, a visit with a finding, a reply
and a correction, a balance awaiting approval, a final report awaiting verification; every step by
the person whose role it is, and the audit chain verifies."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from amis.accounts.models import DutyRecord
from amis.core.audit import AuditEntry, verify_chain
from amis.demo import finished, money
from amis.demo import projects as demo
from amis.demo.calls import load_2021_call
from amis.demo.people import load_people
from amis.demo.programme import load_belgian_programme
from amis.payments.models import Payment, PaymentBatch
from amis.payments.rules import payment_due_date
from amis.projects.models import AgreementVersion, Project
from amis.projects.rules import reporting_calendar
from amis.reporting.models import ExpenditureLine, Report, ReportSubmission
from amis.verification import spot_checks
from amis.verification.models import (
    CheckSelection,
    FinancialCorrection,
    Finding,
    LineDecision,
    OnTheSpotCheck,
    Verification,
)
from amis.verification.selectors import checklist_for

SEPA = "{urn:iso:std:iso:20022:tech:xsd:pain.001.001.03}"


def _load(today: dt.date | None = None) -> None:
    quiet = lambda message: None  # noqa: E731
    load_belgian_programme(log=quiet)
    load_people(log=quiet)
    load_2021_call(log=quiet)
    demo.load_projects(log=quiet)
    money.load_money(log=quiet, today=today)


def _project(title: str) -> Project:
    return Project.objects.get(application__call__code=demo.CODE, application__title=title)


@pytest.mark.django_db
def test_the_flagship_verified_with_one_ineligible_line_and_paid_in_an_exported_batch(
    belgian: object,
) -> None:
    _load()
    today = timezone.localdate()
    project = _project(demo.FLAGSHIP_TITLE)
    report = Report.objects.get(project=project, number=1)
    # returned once for the time sheets, submitted again two weeks ago: round 2, accepted
    first, second = ReportSubmission.objects.filter(report=report).order_by("round")
    assert first.returned_at is not None and "tijdsregistratie" in first.return_comments
    assert second.returned_at is None and second.submitted_at.date() == today - dt.timedelta(days=14)
    assert report.status == Report.Status.ACCEPTED and report.round == 2

    verification = Verification.objects.get(report=report)
    assert verification.status == Verification.Status.COMPLETED and verification.round == 2
    assert verification.verifier.email == money.VERIFIER
    preparers = set(
        AgreementVersion.objects.filter(agreement__project=project).values_list("prepared_by", flat=True)
    )
    assert verification.verifier_id not in preparers  # the preparer never verifies
    decisions = LineDecision.objects.filter(verification=verification)
    assert decisions.count() == ExpenditureLine.objects.filter(report=report).count() == 211
    ineligible = decisions.get(decision=LineDecision.Decision.INELIGIBLE)
    assert ineligible.reason == LineDecision.Reason.NO_DOCUMENT and "rittenblad" in ineligible.reason_text
    assert ineligible.eligible == 0
    reduced = decisions.get(decision=LineDecision.Decision.REDUCED)
    assert 0 < reduced.eligible < reduced.line.amount_declared and reduced.reason_text
    assert decisions.filter(decision=LineDecision.Decision.ELIGIBLE).count() == 209
    # declared = verified-eligible + ineligible + reduced, per line
    assert verification.declared == sum(
        (line.amount_declared for line in ExpenditureLine.objects.filter(report=report)), Decimal("0")
    )
    assert verification.ineligible == ineligible.line.amount_declared
    assert verification.reduced == reduced.line.amount_declared - reduced.eligible
    assert set(verification.checklist) == {item.code for item in checklist_for(report)}
    assert verification.checklist["documents"]["answer"] == "no"

    # the pre-financing in a first batch, the interim payment in a later one; both exported and paid
    pre = Payment.objects.get(project=project, kind=Payment.Kind.PREFINANCING)
    interim = Payment.objects.get(project=project, kind=Payment.Kind.INTERIM)
    assert interim.report == report and interim.verification == verification
    for payment in (pre, interim):
        assert payment.status == Payment.Status.PAID and payment.paid_on == today
        assert payment.batch is not None and payment.batch.status == PaymentBatch.Status.EXPORTED
        assert payment.proposed_by.email == demo.RA_OFFICER
        assert payment.approved_by is not None and payment.approved_by.email == money.AUTHORISING
        assert payment.recorded_by is not None and payment.recorded_by.email == money.ACCOUNTING
        assert payment.approved_by_id not in (payment.proposed_by_id, verification.verifier_id)
    assert pre.batch_id is not None and interim.batch_id is not None and pre.batch_id < interim.batch_id
    # interim payment: the EU share verified less the pre-financing to clear, paid within 80 days
    assert interim.amount == verification.eu_share - pre.amount > 0
    assert interim.claim_date == second.submitted_at.date() and interim.due_date is not None
    assert interim.paid_on is not None and interim.paid_on <= interim.due_date

    # the SEPA file of the interim payment's batch names it, and its control sum is the batch total
    batch = interim.batch
    assert batch is not None and batch.xml is not None
    root = ElementTree.fromstring(bytes(batch.xml))
    amounts = [Decimal(e.text or "") for e in root.iter(f"{SEPA}InstdAmt")]
    remittances = [e.text for e in root.iter(f"{SEPA}Ustrd")]
    assert f"{project.reference} report 1" in remittances
    assert Decimal(root.findtext(f"{SEPA}CstmrCdtTrfInitn/{SEPA}GrpHdr/{SEPA}CtrlSum") or "") == sum(amounts)
    assert batch.control_sum == sum(amounts) == sum(p.amount for p in batch.payments.all())

    # the verifier and the authorising officer kept their duties apart; the chain holds
    assert DutyRecord.objects.filter(user=verification.verifier, duty="verify").exists()
    assert not DutyRecord.objects.filter(user=verification.verifier, duty="pay").exists()
    chain = verify_chain()
    assert chain.ok, chain.problem


@pytest.mark.django_db
def test_a_selected_project_visited_with_a_finding_a_reply_and_a_correction(belgian: object) -> None:
    _load()
    visited = _project(finished.RECOVERY.title)
    selection = CheckSelection.objects.get()
    assert selection.seed == money.SELECTION_SEED and selection.year == timezone.localdate().year
    assert visited.reference in selection.risk_based
    assert spot_checks.selection_rerun(selection) == [*selection.risk_based, *selection.random_part]

    check = OnTheSpotCheck.objects.get(project=visited)
    assert check.status == OnTheSpotCheck.Status.VISITED and check.selection == selection
    assert check.visited_on == timezone.localdate() and check.team == ["Julie Lambert", "Marc Dubois"]
    assert check.beneficiary_reply and check.replied_at is not None
    finding = Finding.objects.get(spot_check=check)
    assert finding.status == Finding.Status.OPEN and finding.recommendation
    correction = FinancialCorrection.objects.get(finding=finding)
    assert correction.line is not None and correction.line.report.project == visited
    assert correction.amount == correction.line.amount_declared == finding.amount_at_stake
    assert correction.eu_amount == (correction.amount * Decimal("0.75")).quantize(Decimal("0.01"))
    # the final report verified (one line ineligible), its balance paid, offsetting a recovery
    final = Report.objects.get(project=visited, kind=Report.Kind.FINAL)
    assert final.status == Report.Status.ACCEPTED
    assert Payment.objects.get(project=visited, kind=Payment.Kind.BALANCE).offset > 0
    # the flagship, also among the riskiest, has an operational check planned
    flagship = OnTheSpotCheck.objects.get(project=_project(demo.FLAGSHIP_TITLE))
    assert flagship.status == OnTheSpotCheck.Status.PLANNED and flagship.planned_on > timezone.localdate()


@pytest.mark.django_db
def test_ended_projects_a_balance_awaiting_approval_a_report_to_verify_a_balance_paid(
    belgian: object,
) -> None:
    _load()
    start, end = finished.period(timezone.localdate())
    for spec in finished.FINISHED:
        project = _project(spec.title)
        assert (project.start_date, project.end_date) == (start, end)
        final = Report.objects.get(project=project)  # a six-month project has its final report only
        assert final.kind == Report.Kind.FINAL and final.submitted_at is not None
        assert end < final.submitted_at.date() <= final.due_date < timezone.localdate()
        pre = Payment.objects.get(project=project, kind=Payment.Kind.PREFINANCING)
        assert pre.status == Payment.Status.PAID
    proposed = Payment.objects.get(
        project=_project(finished.BALANCE_PROPOSED.title), kind=Payment.Kind.BALANCE
    )
    assert proposed.status == Payment.Status.PROPOSED and proposed.amount > 0 and proposed.batch is None
    waiting = Report.objects.get(project=_project(finished.AWAITING_VERIFICATION.title))
    assert (
        waiting.status == Report.Status.SUBMITTED and not Verification.objects.filter(report=waiting).exists()
    )
    paid = Payment.objects.get(project=_project(finished.CLOSURE.title), kind=Payment.Kind.BALANCE)
    interim = Payment.objects.get(kind=Payment.Kind.INTERIM)
    assert paid.status == Payment.Status.PAID and paid.batch == interim.batch
    # settled in full: pre-financing and balance are the EU share verified
    verified = Verification.objects.get(report__project=paid.project)
    settled = Payment.objects.get(project=paid.project, kind=Payment.Kind.PREFINANCING).amount + paid.amount
    assert settled == verified.eu_share


@pytest.mark.django_db
def test_loading_twice_adds_nothing(belgian: object) -> None:
    _load()
    counts = (Payment.objects.count(), Verification.objects.count(), AuditEntry.objects.count())
    money.load_money(log=lambda message: None)
    assert (Payment.objects.count(), Verification.objects.count(), AuditEntry.objects.count()) == counts


@pytest.mark.django_db
def test_a_recovery_offset_against_the_balance_and_a_closed_project(belgian: object) -> None:
    """ "Taalbad" owes back the EU share of undeclared revenue (a finding of its final report's
    verification): the recovery is cleared by its balance, paid in an exported batch; "Samen aan
    tafel" is closed by the authorising officer with its figures frozen."""
    from amis.payments.closure import is_closed
    from amis.payments.models import ProjectClosure, Recovery

    _load()
    taalbad = _project(finished.RECOVERY.title)
    recovery = Recovery.objects.get(project=taalbad)
    assert recovery.finding is not None and recovery.finding.verification is not None
    assert recovery.status == Recovery.Status.RECOVERED and recovery.outstanding == 0
    rate = taalbad.agreement.versions.get(number=1).eu_rate
    assert recovery.amount_due == (Decimal("640.00") * rate).quantize(Decimal("0.01"))  # the fees' EU share
    balance = Payment.objects.get(project=taalbad, kind=Payment.Kind.BALANCE)
    assert balance.status == Payment.Status.PAID and balance.offset == recovery.amount_due
    assert balance.batch is not None and balance.batch.status == PaymentBatch.Status.EXPORTED
    assert recovery.created_by.email == money.RA_OFFICER
    assert balance.approved_by is not None and balance.approved_by.email == money.AUTHORISING

    closed = _project(finished.CLOSURE.title)
    assert is_closed(closed) and not is_closed(taalbad)
    closure = ProjectClosure.objects.get(project=closed)
    assert closure.closed_by.email == money.AUTHORISING
    assert Decimal(closure.figures["paid_net"]) == Decimal(closure.figures["eu_verified"])
    assert verify_chain().ok


@pytest.mark.django_db
@pytest.mark.parametrize("today", [dt.date(2025, 3, 1), dt.date(2026, 8, 31)])
def test_the_money_loads_on_other_days(
    belgian: object, today: dt.date, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Loaded on another day (moved into the past, as the projects' test does): the same stages."""

    class Clock:
        make_aware = staticmethod(timezone.make_aware)

        @staticmethod
        def localdate() -> dt.date:
            return today

    monkeypatch.setattr(demo, "timezone", Clock)
    _load(today)
    assert Payment.objects.filter(status=Payment.Status.PAID).count() == 8
    assert Payment.objects.filter(status=Payment.Status.PROPOSED).count() == 1
    assert PaymentBatch.objects.filter(status=PaymentBatch.Status.EXPORTED).count() == 3
    assert Finding.objects.count() == 2 and FinancialCorrection.objects.count() == 1
    interim = Payment.objects.get(kind=Payment.Kind.INTERIM)
    assert interim.claim_date == today - dt.timedelta(days=14)
    assert verify_chain().ok


@given(st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2028, 11, 30)))
def test_the_money_history_holds_on_any_day(today: dt.date) -> None:
    """Whatever day the demo is built: the ended projects lie inside the call's eligibility period,
    their final reports came in after their period and before today; the flagship's report 1 was
    returned after it came in and submitted again after that, before today; the interim payment's
    80-day deadline (from the second submission) lies after today."""
    plan = demo.Plan.for_today(today)
    start, end = finished.period(today)
    calendar = reporting_calendar(start, end, demo.INTERIM_MONTHS, demo.DUE_DAYS)
    assert [entry.kind for entry in calendar] == ["final"]
    submitted = calendar[0].due_date - dt.timedelta(days=5)
    assert plan.committee < start - dt.timedelta(days=24)  # the agreement prepared after the decision
    assert plan.start <= start < end < submitted < today - dt.timedelta(days=7) and end <= plan.call_end
    first = plan.calendar()[0].due_date - dt.timedelta(days=5)
    again = today - dt.timedelta(days=14)
    assert first + dt.timedelta(days=21) < again
    assert payment_due_date(again) > today
