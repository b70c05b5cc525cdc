"""Desk verification on the database: bulk decisions, the working, segregation of duties."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from amis.accounts.services import SegregationOfDutiesError
from amis.core.errors import ApplicationError
from amis.projects.tests.builders import DA, selected_project, signed_agreement, user
from amis.reporting.models import ExpenditureLine, Report
from amis.reporting.rules import supplier_key
from amis.verification import services
from amis.verification.checklist import DEFAULT_ITEMS
from amis.verification.models import LineDecision, Verification

pytestmark = pytest.mark.django_db
VERIFIER = "verifier@amis.example"


def _submitted_report(lines: int = 30) -> Report:
    """A signed project's interim report with `lines` travel and staff lines, marked submitted (the
    submission service is the reporting stage's; here only its outcome matters)."""
    project = selected_project()
    version = signed_agreement(project)
    report = Report.objects.get(project=project, number=1)
    day = version.eligible_start + dt.timedelta(days=10)
    ExpenditureLine.objects.bulk_create(
        ExpenditureLine(
            report=report,
            position=i + 1,
            category="staff" if i % 3 else "travel",
            supplier_name=f"Supplier {i % 7}",
            supplier_key=supplier_key("", f"Supplier {i % 7}"),
            invoice_number=f"F-{i}",
            invoice_date=day,
            amount_declared=Decimal("100.00") + i,
        )
        for i in range(lines)
    )
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.SUBMITTED, round=1, agreement_version=version
    )
    return Report.objects.get(pk=report.pk)


def _answer_all(verification: Verification) -> Verification:
    return services.checklist_answer(
        actor=user(VERIFIER),
        verification=verification,
        expected_lock_version=verification.lock_version,
        answers={code: {"answer": "yes"} for code, _texts in DEFAULT_ITEMS},
    )


def test_bulk_decisions_and_the_verified_amount(belgian: object) -> None:
    report = _submitted_report()
    verifier = user(VERIFIER)
    verification = services.verification_start(actor=verifier, report=report)
    line = ExpenditureLine.objects.filter(report=report, category="travel").order_by("position").first()
    assert line is not None
    with pytest.raises(ApplicationError):  # ineligible needs its reason
        services.lines_decide(
            actor=verifier, verification=verification, filters={"ids": [line.pk]}, decision="ineligible"
        )
    services.lines_decide(
        actor=verifier,
        verification=verification,
        filters={"ids": [line.pk]},
        decision="ineligible",
        reason="no_document",
    )
    decided = services.lines_decide(
        actor=verifier, verification=verification, filters={"undecided": True}, decision="eligible"
    )
    assert decided == 29
    verification.refresh_from_db()
    with pytest.raises(ApplicationError):  # the checklist first
        services.verification_complete(
            actor=verifier, verification=verification, expected_lock_version=verification.lock_version
        )
    verification = _answer_all(verification)
    done = services.verification_complete(
        actor=verifier, verification=verification, expected_lock_version=verification.lock_version
    )
    declared = sum(
        ExpenditureLine.objects.filter(report=report).values_list("amount_declared", flat=True), Decimal("0")
    )
    assert done.declared == declared
    assert done.declared == done.eligible_by_decision + done.ineligible + done.reduced
    assert done.ineligible == line.amount_declared
    direct = declared - line.amount_declared
    assert done.verified == direct + (direct * Decimal("0.07")).quantize(Decimal("0.01"))
    assert done.eu_share == (done.verified * Decimal("0.7500")).quantize(Decimal("0.01"))
    assert Report.objects.get(pk=report.pk).status == Report.Status.ACCEPTED
    assert LineDecision.objects.filter(verification=done).count() == 30


def test_the_preparer_of_the_agreement_cannot_verify(belgian: object) -> None:
    report = _submitted_report(3)
    with pytest.raises(SegregationOfDutiesError):
        services.verification_start(actor=user(DA), report=report)
    assert not Verification.objects.exists()
