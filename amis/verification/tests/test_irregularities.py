"""Findings of a desk verification, the beneficiary's reply to a visit and the life of an
irregularity, on the database: who may act (scope of the beneficiary and of a delegated authority),
the steps allowed, refusals audited, optimistic locking."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from amis.accounts import services as accounts
from amis.accounts.models import User
from amis.accounts.roles import Role
from amis.core.audit import AuditEntry
from amis.core.errors import ApplicationError, StaleObjectError
from amis.organisations.models import Organisation
from amis.projects.tests.builders import CARITAS, REDCROSS, user
from amis.verification import irregularities, selectors, services, spot_checks
from amis.verification.models import Finding, Irregularity, OnTheSpotCheck
from amis.verification.tests.test_services import VERIFIER, _submitted_report

pytestmark = pytest.mark.django_db


def visited_check(lines: int = 3) -> OnTheSpotCheck:
    """A planned then visited operational check of a fresh project, with two findings."""
    project = _submitted_report(lines).project
    verifier = user(VERIFIER)
    check = spot_checks.check_plan(
        actor=verifier, project=project, kind="operational", planned_on=timezone.localdate()
    )
    return spot_checks.check_record_visit(
        actor=verifier,
        check=check,
        expected_lock_version=check.lock_version,
        visited_on=timezone.localdate(),
        team=["Julie Lambert"],
        checklist={"attendance": "checked"},
        summary="Attendance lists complete.",
        findings=[
            {"text": "Invoice F-1 unpaid.", "severity": "major", "recommendation": "Send bank statements."},
            {"text": "Logo missing on the leaflet.", "recommendation": "Add the EU emblem."},
        ],
    )


def outside_da() -> User:
    """A delegated authority officer of another part of the programme (SO1; the test call is SO2)."""
    person = accounts.user_create(email="da-so1@test.example", password="a-long-test-password-1")
    accounts.role_assign(
        user=person,
        role=Role.DA_OFFICER,
        organisation=Organisation.objects.get(short_name="ESF Flanders"),
        specific_objective="SO1",
    )
    TOTP.activate(person, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")  # authority roles log in with a second factor
    return User.objects.get(pk=person.pk)


def _suspected(finding: Finding, amount: str = "250.00") -> Irregularity:
    return spot_checks.irregularity_record(
        actor=user(VERIFIER),
        finding=finding,
        type="documents",
        amount=Decimal(amount),
        detected_on=timezone.localdate(),
        description="Proof of payment missing.",
    )


def test_the_beneficiary_replies_to_the_visit_and_to_each_finding(belgian: object) -> None:
    check = visited_check()
    first, second = check.findings.order_by("pk")
    with pytest.raises(PermissionDenied):  # the authority does not reply for the beneficiary
        spot_checks.check_reply(
            actor=user(VERIFIER), check=check, expected_lock_version=check.lock_version, reply="x"
        )
    with pytest.raises(PermissionDenied):  # another organisation's beneficiary
        spot_checks.check_reply(
            actor=user(REDCROSS), check=check, expected_lock_version=check.lock_version, reply="x"
        )
    with pytest.raises(ApplicationError, match="Write the reply"):
        spot_checks.check_reply(
            actor=user(CARITAS), check=check, expected_lock_version=check.lock_version, reply="  "
        )
    replied = spot_checks.check_reply(
        actor=user(CARITAS),
        check=check,
        expected_lock_version=check.lock_version,
        reply="We agree with the findings.",
        finding_replies={first.pk: "Statements sent on Monday.", second.pk: ""},
    )
    assert replied.beneficiary_reply == "We agree with the findings." and replied.replied_at is not None
    first.refresh_from_db()
    assert first.beneficiary_reply == "Statements sent on Monday."
    entry = AuditEntry.objects.filter(action="reply", object_id=str(check.pk)).get()
    assert (entry.after or {})["findings"] == {str(first.pk): "Statements sent on Monday."}
    with pytest.raises(StaleObjectError):
        spot_checks.check_reply(
            actor=user(CARITAS), check=check, expected_lock_version=check.lock_version, reply="again"
        )
    with pytest.raises(ApplicationError, match="not one of this visit"):
        spot_checks.check_reply(
            actor=user(CARITAS),
            check=replied,
            expected_lock_version=replied.lock_version,
            reply="Again.",
            finding_replies={first.pk + 1000: "elsewhere"},
        )


def test_a_planned_check_is_not_shown_nor_answered(belgian: object) -> None:
    project = _submitted_report(2).project
    check = spot_checks.check_plan(
        actor=user(VERIFIER), project=project, kind="financial", planned_on=timezone.localdate()
    )
    assert selectors.recorded_checks(project.pk) == []
    with pytest.raises(ApplicationError, match="findings of a visit"):
        spot_checks.check_reply(
            actor=user(CARITAS), check=check, expected_lock_version=check.lock_version, reply="Hello"
        )


def test_a_finding_of_a_desk_verification_carries_corrections_and_irregularities(belgian: object) -> None:
    report = _submitted_report(3)
    verifier = user(VERIFIER)
    verification = services.verification_start(actor=verifier, report=report)
    with pytest.raises(PermissionDenied):
        irregularities.verification_finding_record(
            actor=user(CARITAS), verification=verification, text="Self-check"
        )
    with pytest.raises(ApplicationError, match="Describe the finding"):
        irregularities.verification_finding_record(actor=verifier, verification=verification, text=" ")
    with pytest.raises(ApplicationError, match="amount at stake"):
        irregularities.verification_finding_record(
            actor=verifier, verification=verification, text="x", amount_at_stake=Decimal("-1")
        )
    finding = irregularities.verification_finding_record(
        actor=verifier,
        verification=verification,
        text="Two invoices of the same supplier on the same day.",
        severity="major",
        amount_at_stake=Decimal("201.00"),
        recommendation="Explain the double invoice.",
    )
    assert finding.verification == verification and finding.spot_check is None
    assert finding.project == report.project
    correction = spot_checks.correction_record(
        actor=verifier, finding=finding, amount=Decimal("100.00"), reason="Double invoice.", category="staff"
    )
    irregularity = _suspected(finding)
    assert correction.finding == finding and irregularity.finding == finding
    assert irregularity.status == Irregularity.Status.SUSPECTED
    assert list(irregularity.events.values_list("to_status", flat=True)) == ["suspected"]
    with pytest.raises(ApplicationError, match="future"):
        spot_checks.irregularity_record(
            actor=verifier,
            finding=finding,
            type="fraud",
            amount=Decimal("1.00"),
            detected_on=timezone.localdate() + dt.timedelta(days=1),
            description="Later.",
        )
    with pytest.raises(PermissionDenied):
        spot_checks.irregularity_record(
            actor=user(CARITAS),
            finding=finding,
            type="fraud",
            amount=Decimal("1.00"),
            detected_on=timezone.localdate(),
            description="Self.",
        )


def test_an_irregularity_is_established_then_closed_or_closed_as_not_confirmed(belgian: object) -> None:
    check = visited_check()
    first, second = check.findings.order_by("pk")
    verifier = user(VERIFIER)
    one = _suspected(first)
    with pytest.raises(ApplicationError, match="reason"):
        irregularities.irregularity_status_change(
            actor=verifier, irregularity=one, expected_lock_version=1, status="established", reason=" "
        )
    one = irregularities.irregularity_status_change(
        actor=verifier,
        irregularity=one,
        expected_lock_version=1,
        status="established",
        reason="Bank confirms no payment.",
    )
    assert one.status == "established" and one.lock_version == 2 and not one.not_confirmed
    with pytest.raises(StaleObjectError):
        irregularities.irregularity_status_change(
            actor=verifier, irregularity=one, expected_lock_version=1, status="closed", reason="Recovered."
        )
    with pytest.raises(ApplicationError, match="cannot become"):
        irregularities.irregularity_status_change(
            actor=verifier, irregularity=one, expected_lock_version=2, status="suspected", reason="Back."
        )
    refused = AuditEntry.objects.filter(action="change_refused", object_id=str(one.pk))
    # the missing reason, the stale edit and the step back, kept after the rollback
    assert refused.count() == 3
    assert [(e.after or {}).get("to", (e.after or {}).get("reason")) for e in refused.order_by("pk")] == [
        "established",
        "stale",
        "suspected",
    ]
    one = irregularities.irregularity_status_change(
        actor=verifier, irregularity=one, expected_lock_version=2, status="closed", reason="Corrected."
    )
    assert one.status == "closed" and not one.not_confirmed
    assert list(one.events.values_list("from_status", "to_status")) == [
        ("", "suspected"),
        ("suspected", "established"),
        ("established", "closed"),
    ]
    with pytest.raises(ApplicationError, match="cannot become"):
        irregularities.irregularity_status_change(
            actor=verifier, irregularity=one, expected_lock_version=3, status="closed", reason="Twice."
        )
    two = irregularities.irregularity_status_change(
        actor=verifier,
        irregularity=_suspected(second, "40.00"),
        expected_lock_version=1,
        status="closed",
        reason="The emblem was on the poster: not an irregularity.",
    )
    assert two.status == "closed" and two.not_confirmed
    status_entry = AuditEntry.objects.filter(action="status", object_id=str(two.pk)).get()
    assert (status_entry.after or {})["not_confirmed"] is True
    with pytest.raises(PermissionDenied):
        irregularities.irregularity_status_change(
            actor=user(CARITAS), irregularity=one, expected_lock_version=3, status="closed", reason="x"
        )


def test_scope_a_delegated_officer_and_a_beneficiary_see_only_their_own(belgian: object) -> None:
    check = visited_check()
    finding = check.findings.order_by("pk").first()
    assert finding is not None
    irregularity = _suspected(finding)
    da_inside = user("da.flanders@amis.example")
    outside = outside_da()
    assert list(selectors.irregularities_for(da_inside)) == [irregularity]
    assert list(selectors.irregularities_for(user(VERIFIER))) == [irregularity]
    assert list(selectors.irregularities_for(outside)) == []
    assert list(selectors.irregularities_for(user(REDCROSS))) == []
    with pytest.raises(PermissionDenied):
        irregularities.irregularity_status_change(
            actor=outside, irregularity=irregularity, expected_lock_version=1, status="closed", reason="x"
        )
    with pytest.raises(PermissionDenied):
        spot_checks.irregularity_record(
            actor=outside,
            finding=irregularity.finding,
            type="other",
            amount=Decimal("1.00"),
            detected_on=timezone.localdate(),
            description="Not mine.",
        )
    done = irregularities.irregularity_status_change(
        actor=da_inside,
        irregularity=irregularity,
        expected_lock_version=1,
        status="established",
        reason="Yes.",
    )
    assert done.status == "established"
