"""On-the-spot checks: a reproducible risk-based and random selection with its coverage, the visit
with its findings and documents, the beneficiary's reply, follow-up to closure; a correction from a
finding lowers what can be paid."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from amis.core.errors import ApplicationError
from amis.payments import services as payments
from amis.programme.models import Programme
from amis.projects.tests.builders import CARITAS, PDF, user
from amis.verification import spot_checks
from amis.verification.models import CheckSelection, Finding
from amis.verification.tests.test_services import VERIFIER, _submitted_report

pytestmark = pytest.mark.django_db
WEIGHTS = {
    "size": "3",
    "earlier_findings": "2",
    "ineligible_share": "2",
    "procurement": "1",
    "beneficiary_type": "1",
}


def test_the_selection_is_kept_and_reproducible(belgian: object) -> None:
    report = _submitted_report(3)
    programme = Programme.objects.get(cci="2021BE65AMPR001")
    verifier = user(VERIFIER)
    with pytest.raises(ApplicationError):
        spot_checks.selection_run(
            actor=verifier,
            programme=programme,
            year=2027,
            weights={"colour": "1"},
            risk_count=1,
            random_count=0,
        )
    selection = spot_checks.selection_run(
        actor=verifier, programme=programme, year=2027, weights=WEIGHTS, risk_count=1, random_count=1, seed=42
    )
    assert selection.risk_based == [report.project.reference]
    assert (
        spot_checks.selection_rerun(CheckSelection.objects.get(pk=selection.pk))
        == selection.risk_based + selection.random_part
    )
    assert selection.coverage["operational_share"] == "1.0000"
    assert "seed 42" in selection.method


def test_visit_findings_reply_follow_up_and_a_correction_that_lowers_the_payment(belgian: object) -> None:
    report = _submitted_report(4)
    project = report.project
    verifier = user(VERIFIER)
    check = spot_checks.check_plan(
        actor=verifier, project=project, kind="operational", planned_on=timezone.localdate()
    )
    check = spot_checks.check_record_visit(
        actor=verifier,
        check=check,
        expected_lock_version=check.lock_version,
        visited_on=timezone.localdate(),
        team=["Julie Lambert", " "],
        checklist={"attendance": "yes"},
        summary="Attendance lists complete; one invoice without proof of payment.",
        findings=[
            {
                "text": "Invoice F-1 has no proof of payment.",
                "severity": "major",
                "amount_at_stake": "101.00",
                "recommendation": "Add bank statements.",
            }
        ],
    )
    spot_checks.check_add_document(actor=verifier, check=check, name="visit.pdf", data=PDF)
    check = spot_checks.check_reply(
        actor=user(CARITAS), check=check, expected_lock_version=check.lock_version, reply="Statements sent."
    )
    finding = Finding.objects.get(spot_check=check)
    assert check.team == ["Julie Lambert"] and check.documents.count() == 1 and check.beneficiary_reply
    with pytest.raises(ApplicationError, match="already recorded"):
        spot_checks.check_record_visit(
            actor=verifier,
            check=check,
            expected_lock_version=check.lock_version,
            visited_on=timezone.localdate(),
            team=["Julie Lambert"],
            checklist={},
            summary="Again.",
            findings=[],
        )
    assert Finding.objects.filter(spot_check=check).count() == 1
    before = payments.eu_verified_total(project)
    correction = spot_checks.correction_record(
        actor=verifier,
        finding=finding,
        amount=Decimal("101.00"),
        reason="No proof of payment.",
        category="travel",
    )
    assert correction.eu_amount == Decimal("75.75")
    assert payments.eu_verified_total(project) == before - Decimal("75.75")
    finding = spot_checks.finding_close(
        actor=verifier,
        finding=finding,
        expected_lock_version=finding.lock_version,
        follow_up="Bank statements received.",
    )
    assert finding.status == Finding.Status.CLOSED
    with pytest.raises(ApplicationError):
        spot_checks.check_record_visit(
            actor=verifier,
            check=check,
            expected_lock_version=check.lock_version,
            visited_on=timezone.localdate() + dt.timedelta(days=3),
            team=["x"],
            checklist={},
            summary="",
            findings=[],
        )
