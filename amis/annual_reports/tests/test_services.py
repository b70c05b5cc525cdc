"""The services: drafting a year's report, the texts (only while a draft, stale lock refused and
audited), the steps (refused ones audited), the committee's decision at a meeting (approved: the
content snapshotted; returned: back to draft, traced), the freeze; who may do each."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from amis.annual_reports import services
from amis.annual_reports.models import AnnualReport, ReportEvent
from amis.annual_reports.tests.helpers import (
    AUDITOR,
    CCI_2014,
    DA,
    MC,
    RA_MANAGER,
    RA_OFFICER,
    approved,
    base,
    draft,
    user,
    written,
)
from amis.core.audit import AuditEntry, verify_chain
from amis.core.errors import ApplicationError, StaleObjectError
from amis.programme.models import Programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(db: None) -> None:
    base()


def _refusals(report: AnnualReport) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            object_type="annual_reports.AnnualReport", object_id=str(report.pk), action="change_refused"
        )
    )


def test_drafting_a_report_takes_its_dates_from_the_rules(setup: None) -> None:
    report = draft()
    assert (report.kind, report.period_start, report.period_end, report.due_date) == (
        "annual_implementation",
        dt.date(2018, 10, 16),
        dt.date(2019, 10, 15),
        dt.date(2020, 3, 31),
    )
    sections = {(p.section, p.specific_objective) for p in report.parts.all()}
    assert ("progress", "SO1") in sections and ("summary", "") in sections
    assert AuditEntry.objects.filter(object_type="annual_reports.AnnualReport", action="create").count() == 1
    with pytest.raises(ApplicationError):
        draft()  # one report a year
    with pytest.raises(ApplicationError):
        services.report_create(
            actor=user(RA_OFFICER), programme=Programme.objects.get(cci=CCI_2014), year=2030
        )
    assert len(_refusals(report)) == 0  # the refusals are written on the programme
    assert AuditEntry.objects.filter(object_type="programme.Programme", action="change_refused").count() == 2


def test_a_text_saved_on_an_older_page_is_refused_and_audited(setup: None) -> None:
    report = draft()
    part = report.parts.get(section="progress", specific_objective="SO1")
    services.narrative_update(
        actor=user(RA_OFFICER),
        report=report,
        section="progress",
        specific_objective="SO1",
        text="First.",
        expected_lock_version=part.lock_version,
    )
    with pytest.raises(StaleObjectError):
        services.narrative_update(
            actor=user(RA_MANAGER),
            report=report,
            section="progress",
            specific_objective="SO1",
            text="Second.",
            expected_lock_version=part.lock_version,
        )
    part.refresh_from_db()
    assert part.text == "First."
    stale = AuditEntry.objects.filter(
        object_type="annual_reports.NarrativePart", object_id=str(part.pk), action="change_refused"
    )
    assert stale.count() == 1 and (stale.get().after or {})["reason"] == "stale"
    with pytest.raises(ApplicationError):  # longer than the Commission's model allows
        services.narrative_update(
            actor=user(RA_OFFICER),
            report=report,
            section="progress",
            specific_objective="SO1",
            text="x" * 3001,
            expected_lock_version=part.lock_version,
        )


def test_the_way_to_approval_and_the_refused_steps(setup: None) -> None:
    report = draft()
    with pytest.raises(ApplicationError, match="still empty"):
        services.report_submit(
            actor=user(RA_OFFICER), report=report, expected_lock_version=report.lock_version
        )
    report = written(report)
    with pytest.raises(ApplicationError):  # not submitted yet: the committee cannot decide
        services.committee_decision(
            actor=user(MC),
            report=report,
            expected_lock_version=report.lock_version,
            decision="approve",
            meeting_date=dt.date.today(),
            reference="MC 1",
        )
    with pytest.raises(ApplicationError):
        services.report_freeze(
            actor=user(RA_OFFICER), report=report, expected_lock_version=report.lock_version
        )
    assert len(_refusals(report)) == 3
    report = services.report_submit(
        actor=user(RA_OFFICER), report=report, expected_lock_version=report.lock_version
    )
    # the committee returns it for changes: back to draft, traced
    with pytest.raises(ApplicationError):  # a return says what to change
        services.committee_decision(
            actor=user(MC),
            report=report,
            expected_lock_version=report.lock_version,
            decision="return",
            meeting_date=dt.date.today(),
            reference="MC 1",
        )
    report = services.committee_decision(
        actor=user(MC),
        report=report,
        expected_lock_version=report.lock_version,
        decision="return",
        meeting_date=dt.date.today(),
        reference="MC 1, point 2",
        note="Explain the delays in SO2.",
    )
    assert report.status == "draft" and report.snapshot is None
    returned = ReportEvent.objects.filter(report=report, from_status="submitted", to_status="draft").get()
    assert returned.note == "Explain the delays in SO2." and returned.actor == user(MC)
    report = approved(report)
    assert report.status == "approved" and report.snapshot and len(report.snapshot_sha256) == 64
    assert report.snapshot["approval"]["reference"] == "MC/2026/07, point 3"
    assert report.decided_by == user(MC)
    with pytest.raises(ApplicationError):  # no text changes after approval
        part = report.parts.get(section="summary")
        services.narrative_update(
            actor=user(RA_OFFICER),
            report=report,
            section="summary",
            text="Later.",
            expected_lock_version=part.lock_version,
        )
    report = services.report_freeze(
        actor=user(RA_MANAGER), report=report, expected_lock_version=report.lock_version
    )
    assert report.status == "frozen" and report.frozen_by == user(RA_MANAGER)
    assert [e.to_status for e in report.events.order_by("at", "pk")] == [
        "draft",
        "submitted",
        "draft",
        "submitted",
        "approved",
        "frozen",
    ]
    with pytest.raises(StaleObjectError):
        services.report_freeze(actor=user(RA_MANAGER), report=report, expected_lock_version=1)
    assert verify_chain().ok


def test_who_may_do_what(setup: None) -> None:
    with pytest.raises(PermissionDenied):
        services.report_create(actor=user(DA), programme=Programme.objects.get(cci=CCI_2014), year=2019)
    report = written(draft())
    report = services.report_submit(
        actor=user(RA_OFFICER), report=report, expected_lock_version=report.lock_version
    )
    for who in (RA_OFFICER, RA_MANAGER, AUDITOR):  # only a member of the committee records its decision
        with pytest.raises(PermissionDenied):
            services.committee_decision(
                actor=user(who),
                report=report,
                expected_lock_version=report.lock_version,
                decision="approve",
                meeting_date=dt.date.today(),
                reference="x",
            )
    with pytest.raises(PermissionDenied):
        services.report_freeze(actor=user(MC), report=report, expected_lock_version=report.lock_version)
    assert AuditEntry.objects.filter(action="permission_refused").count() >= 5
