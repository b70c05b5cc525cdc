"""The audit authority's services: plan, risk, system audits in categories 1-4, findings to closure,
the assurance level read by the sampling app, the annual control report approved by a second auditor
and frozen; and independence: nobody but an auditor writes an audit record, and an auditor writes
no programme, project or payment data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from amis.audit import hooks, selectors, services
from amis.audit.models import AuditFinding, ControlReport, SystemAudit
from amis.audit.tests.helpers import (
    AUDITOR,
    AUDITOR2,
    CCI_2014,
    DA,
    HIGH,
    RA_MANAGER,
    RA_OFFICER,
    VERIFIER,
    base,
    bodies,
    completed,
    completed_year,
    plan,
    programme,
    user,
)
from amis.core.audit import verify_chain
from amis.core.errors import ApplicationError, StaleObjectError
from amis.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def people(db: None) -> None:
    base()


def test_a_body_is_planned_with_its_documented_risk_score() -> None:
    ra, da = bodies(plan())
    # HIGH: 5 + 4 + 3 + 4 + 3 = 19 >= 18 -> high; LOW: 2 + 2 + 1 + 2 + 2 = 9 < 11 -> low
    assert (ra.risk_score, ra.risk_level) == (19, "high")
    assert (da.risk_score, da.risk_level) == (9, "low")
    assert AuditEntry.objects.filter(object_type="audit.AuditedBody", action="create").count() == 2


def test_default_key_requirements_follow_the_body_and_the_period() -> None:
    the_plan = plan(cci=CCI_2014, year=2019)
    body = services.body_add(
        actor=user(AUDITOR),
        plan=the_plan,
        kind="responsible",
        name="RA",
        risk_factors=HIGH,
        risk_justification="All functions.",
    )
    # 2014-2020 (Reg. 480/2014 Annex IV): the responsible authority carries KR1-8 and the certifying KR9-13
    assert body.key_requirements == [f"KR{n}" for n in range(1, 14)]


@pytest.mark.parametrize(
    ("factors", "codes", "justification"),
    [
        ({**HIGH, "size": 6}, ["KR2"], "x"),
        ({"size": 1}, ["KR2"], "x"),
        (HIGH, ["KR99"], "x"),
        (HIGH, ["KR2"], "  "),
    ],
)
def test_a_body_without_a_valid_risk_assessment_is_refused(
    factors: dict, codes: list, justification: str
) -> None:
    the_plan = plan()
    with pytest.raises(ApplicationError):
        services.body_add(
            actor=user(AUDITOR),
            plan=the_plan,
            kind="delegated",
            name="X",
            risk_factors=factors,
            risk_justification=justification,
            key_requirement_codes=codes,
        )
    assert not the_plan.bodies.exists()


def test_the_overall_category_is_the_worst_key_requirement_and_feeds_the_assurance() -> None:
    the_plan = plan()
    ra, da = bodies(the_plan)
    assert selectors.system_assurance(programme(), 2024).category is None
    done = completed(ra, {"KR2": 1, "KR4": 3, "KR7": 2})
    assert done.overall_category == 3
    completed(da, {"KR4": 1})
    found = selectors.system_assurance(programme(), 2024)
    assert found.category == 3 and found.assurance == "average"
    assert dict(found.bodies) == {
        "FPS Home Affairs - Unit European Funds": 3,
        "Flemish delegated authority": 1,
    }
    assert selectors.system_assurance(programme(), 2023).category is None


def test_an_audit_completes_only_once_every_planned_requirement_is_assessed() -> None:
    ra, _da = bodies(plan())
    system_audit = services.audit_start(actor=user(AUDITOR), body=ra, started_on=dt.date(2024, 3, 1))
    services.requirement_assess(
        actor=user(AUDITOR),
        system_audit=system_audit,
        code="KR2",
        category=2,
        justification="ok",
        expected_lock_version=system_audit.lock_version,
    )
    system_audit.refresh_from_db()
    with pytest.raises(ApplicationError, match="KR4, KR7"):
        services.audit_complete(
            actor=user(AUDITOR),
            system_audit=system_audit,
            conclusion="c",
            expected_lock_version=system_audit.lock_version,
        )
    with pytest.raises(ApplicationError):  # category 5 does not exist
        services.requirement_assess(
            actor=user(AUDITOR),
            system_audit=system_audit,
            code="KR4",
            category=5,
            justification="x",
            expected_lock_version=system_audit.lock_version,
        )
    with pytest.raises(StaleObjectError):
        services.requirement_assess(
            actor=user(AUDITOR),
            system_audit=system_audit,
            code="KR4",
            category=1,
            justification="x",
            expected_lock_version=1,
        )
    assert SystemAudit.objects.get(pk=system_audit.pk).status == "in_progress"


def test_a_finding_is_followed_up_to_closure_and_the_auditee_only_replies() -> None:
    ra, _da = bodies(plan())
    system_audit = services.audit_start(actor=user(AUDITOR), body=ra, started_on=dt.date(2024, 3, 1))
    finding = services.finding_add(
        actor=user(AUDITOR),
        system_audit=system_audit,
        key_requirement="KR4",
        text="Checklists not signed.",
        recommendation="Sign every checklist.",
        priority="high",
        deadline=dt.date(2024, 9, 30),
    )
    assert finding.number == 1
    reply = services.finding_reply(actor=user(RA_OFFICER), finding=finding, text="Done since June.")
    finding.refresh_from_db()
    assert finding.status == "open" and reply.finding_id == finding.pk
    with pytest.raises(PermissionDenied):  # the auditee never closes the finding
        services.finding_close(
            actor=user(RA_MANAGER),
            finding=finding,
            closure_note="x",
            expected_lock_version=finding.lock_version,
        )
    with pytest.raises(PermissionDenied):  # the auditor does not write the auditee's reply
        services.finding_reply(actor=user(AUDITOR), finding=finding, text="x")
    closed = services.finding_close(
        actor=user(AUDITOR),
        finding=finding,
        closure_note="20 checklists checked, signed.",
        expected_lock_version=finding.lock_version,
    )
    assert closed.status == "closed" and closed.closed_by == user(AUDITOR)
    with pytest.raises(ApplicationError):
        services.finding_reply(actor=user(RA_OFFICER), finding=closed, text="late")
    assert verify_chain().ok


@pytest.mark.parametrize("who", [RA_MANAGER, RA_OFFICER, DA, VERIFIER])
def test_no_other_role_writes_an_audit_record(who: str) -> None:
    the_plan = completed_year()
    body = the_plan.bodies.get(kind="delegated")
    actor = user(who)
    with pytest.raises(PermissionDenied):
        services.strategy_create(actor=actor, programme=programme(CCI_2014))
    with pytest.raises(PermissionDenied):
        services.plan_create(actor=actor, strategy=the_plan.strategy, year=2025)
    with pytest.raises(PermissionDenied):
        services.body_update(
            actor=actor,
            body=body,
            risk_factors=HIGH,
            risk_justification="x",
            key_requirement_codes=["KR2"],
            expected_lock_version=body.lock_version,
        )
    with pytest.raises(PermissionDenied):
        services.audit_start(actor=actor, body=body)
    with pytest.raises(PermissionDenied):
        services.report_create(actor=actor, programme=programme(), year=2024)
    assert AuditEntry.objects.filter(action="permission_refused", actor=actor).count() >= 5


def test_a_completed_audit_and_its_plan_no_longer_change() -> None:
    the_plan = completed_year()
    body = the_plan.bodies.get(kind="delegated")
    with pytest.raises(ApplicationError):
        services.body_update(
            actor=user(AUDITOR),
            body=body,
            risk_factors=HIGH,
            risk_justification="x",
            key_requirement_codes=["KR4"],
            expected_lock_version=body.lock_version,
        )
    with pytest.raises(ApplicationError):
        services.requirement_assess(
            actor=user(AUDITOR),
            system_audit=body.system_audit,
            code="KR4",
            category=4,
            justification="x",
            expected_lock_version=body.system_audit.lock_version,
        )


def test_the_control_report_is_drafted_approved_by_a_second_auditor_and_frozen() -> None:
    completed_year()
    report = services.report_create(actor=user(AUDITOR), programme=programme(), year=2024)
    content = selectors.current_content(report)
    assert content["assurance"]["category"] == 2  # KR4 of the RA in category 2, the DA's all 1
    assert content["suggested_opinion"] == "unqualified"
    assert content["sampling"] is None
    with pytest.raises(ApplicationError):  # no opinion yet
        services.report_approve(
            actor=user(AUDITOR2), report=report, expected_lock_version=report.lock_version
        )
    report = services.report_update(
        actor=user(AUDITOR),
        report=report,
        opinion="unqualified",
        opinion_basis="System audits and sample.",
        expected_lock_version=report.lock_version,
    )
    with pytest.raises(ApplicationError, match="Four eyes"):
        services.report_approve(actor=user(AUDITOR), report=report, expected_lock_version=report.lock_version)
    approved = services.report_approve(
        actor=user(AUDITOR2), report=report, expected_lock_version=report.lock_version
    )
    assert approved.status == "approved" and len(approved.snapshot_sha256) == 64
    assert approved.snapshot is not None
    assert approved.snapshot["opinion"] == {"opinion": "unqualified", "basis": "System audits and sample."}
    # frozen: later records do not change it, and it is no longer edited
    ra = approved.programme.audit_strategy.plans.get(year=2024).bodies.get(kind="managing")
    services.finding_add(
        actor=user(AUDITOR),
        system_audit=ra.system_audit,
        key_requirement="KR4",
        text="Late finding",
        recommendation="r",
        priority="low",
        deadline=dt.date(2025, 1, 1),
    )
    assert selectors.current_content(ControlReport.objects.get(pk=approved.pk))["findings"] == []
    with pytest.raises(ApplicationError):
        services.report_update(
            actor=user(AUDITOR),
            report=approved,
            opinion="adverse",
            opinion_basis="x",
            expected_lock_version=approved.lock_version,
        )
    assert AuditFinding.objects.count() == 1


def test_the_sampling_app_fills_its_section_through_the_hook() -> None:
    completed_year()

    def provider(programme, year):  # type: ignore[no-untyped-def]
        return {"method": "MUS standard", "total_error_rate": "2.6"} if year == 2024 else None

    hooks.register_sampling_results(provider)
    try:
        content = selectors.generated_content(programme(), 2024)
    finally:
        hooks.unregister_sampling_results(provider)
    assert content["sampling"] == {"method": "MUS standard", "total_error_rate": "2.6"}
    assert content["suggested_opinion"] == "qualified"  # 2.6 % > 2 % materiality


def test_an_auditor_cannot_change_programme_project_or_payment_data() -> None:
    from amis.organisations import services as organisation_services
    from amis.programme.models import Programme

    auditor = user(AUDITOR)
    with pytest.raises((PermissionDenied, ApplicationError)):
        organisation_services.organisation_register(user=auditor, data={"name": "X"})
    from amis.accounts.permissions import check

    for action in (
        "programme.edit",
        "agreement.prepare",
        "payment.propose",
        "payment.approve",
        "claim.verify",
        "check.manage",
    ):
        assert not check(auditor, action).allowed, action
    assert Programme.objects.filter(cci=CCI_2014).exists()
