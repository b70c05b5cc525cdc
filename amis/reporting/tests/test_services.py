"""Reports: lines checked as typed, the same invoice twice flagged and justified, submission rounds
frozen, returned and resubmitted."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from amis.core.errors import ApplicationError, StaleObjectError
from amis.projects.tests.builders import REDCROSS, selected_project, signed_agreement, user
from amis.reporting import services
from amis.reporting.models import ExpenditureLine, Report, ReportSubmission
from amis.reporting.selectors import report_summary
from amis.reporting.tests.conftest import World

pytestmark = pytest.mark.django_db


def test_a_line_is_checked_and_saved_with_its_warnings(world: World) -> None:
    line, warnings = services.line_add(actor=world.caritas, report=world.report, data=world.line())
    assert line.position == 1 and line.amount_declared == Decimal("1000.00")
    assert line.supplier_key == "0403170701" and warnings == {}
    big, warnings = services.line_add(
        actor=world.caritas,
        report=world.report,
        data=world.line(
            category="travel",
            invoice_number="T-9",
            amount_excl_vat="30000.00",
            amount_incl_vat="30000.00",
            amount_declared="30000.00",
        ),
    )
    assert big.position == 2 and "amount_declared" in warnings  # above the travel budget: kept, warned


def test_a_refused_line_saves_nothing_and_names_each_field(world: World) -> None:
    with pytest.raises(ApplicationError) as refused:
        services.line_add(
            actor=world.caritas,
            report=world.report,
            data=world.line(category="castles", invoice_date="1999-01-01", amount_declared="12.345"),
        )
    fields = refused.value.extra["fields"]
    assert {"category", "invoice_date", "amount_declared"} <= set(fields)
    assert not ExpenditureLine.objects.exists()


def test_another_organisation_cannot_add_lines(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.line_add(actor=user(REDCROSS), report=world.report, data=world.line())
    assert not ExpenditureLine.objects.exists()


def test_the_summary_adds_up_per_category(world: World) -> None:
    services.line_add(actor=world.caritas, report=world.report, data=world.line())
    rows = report_summary(world.report)
    staff = next(r for r in rows if r["category"] == "staff")
    assert staff["budget"] == Decimal("240000.00") and staff["this"] == Decimal("1000.00")
    assert staff["remaining"] == Decimal("239000.00")
    total = rows[-1]
    assert total["this"] == Decimal("1000.00")
    assert total["remaining"] == total["budget"] - total["before"] - total["this"]


def test_the_same_invoice_twice_is_flagged_and_blocks_submission_until_justified(world: World) -> None:
    first, _w = services.line_add(actor=world.caritas, report=world.report, data=world.line())
    second, _w = services.line_add(
        actor=world.caritas,
        report=world.report,
        data=world.line(supplier_number="0403170701", description="x"),
    )
    assert second.duplicate_of_id == first.pk and first.duplicate_of_id is None
    report = Report.objects.get(pk=world.report.pk)
    with pytest.raises(ApplicationError) as refused:
        services.report_submit(actor=world.caritas, report=report, expected_lock_version=report.lock_version)
    assert "2" in refused.value.extra["fields"]["duplicates"]
    assert not ReportSubmission.objects.exists()
    with pytest.raises(ApplicationError):
        services.duplicate_justify(actor=world.caritas, line=second, justification="  ")
    services.duplicate_justify(actor=world.caritas, line=second, justification="Second instalment.")
    submission = services.report_submit(
        actor=world.caritas, report=report, expected_lock_version=report.lock_version
    )
    assert submission.round == 1


def test_a_different_date_and_amount_is_not_the_same_invoice(world: World) -> None:
    services.line_add(actor=world.caritas, report=world.report, data=world.line())
    other, _w = services.line_add(
        actor=world.caritas,
        report=world.report,
        data=world.line(invoice_date=world.day(5, 2).isoformat(), amount_declared="900.00"),
    )
    assert other.duplicate_of_id is None


def test_flag_duplicates_flags_a_whole_report_in_bulk(world: World) -> None:
    first, _w = services.line_add(actor=world.caritas, report=world.report, data=world.line())
    # lines written directly, as the import writes them, then flagged at once
    rows = [
        ExpenditureLine(
            report=world.report,
            position=10 + i,
            category="staff",
            supplier_key="0403170701",
            invoice_number="F-001" if i < 3 else f"G-{i}",
            invoice_date=world.day(),
            amount_declared=Decimal("5.00"),
        )
        for i in range(5)
    ]
    ExpenditureLine.objects.bulk_create(rows)
    assert services.flag_duplicates(world.report) == 3
    flagged = ExpenditureLine.objects.filter(duplicate_of=first).count()
    assert flagged == 3
    assert services.flag_duplicates(world.report) == 3  # again: nothing changes
    # an invoice corrected on the lines (another number): no longer a duplicate, its flag cleared
    ExpenditureLine.objects.filter(position=10).update(invoice_number="F-010", duplicate_justification="x")
    assert services.flag_duplicates(world.report) == 2
    cleared = ExpenditureLine.objects.get(position=10)
    assert cleared.duplicate_of_id is None and cleared.duplicate_justification == ""


def test_the_same_invoice_in_another_project_of_the_beneficiary_is_flagged(world: World) -> None:
    services.line_add(actor=world.caritas, report=world.report, data=world.line())
    project = selected_project(code="FL-AMIF21-TWO")
    signed_agreement(project)
    report = Report.objects.get(project=project, number=1)
    again, _w = services.line_add(actor=world.caritas, report=report, data=world.line())
    assert again.duplicate_of is not None and again.duplicate_of.report.project == world.project


def _submit(world: World, **kwargs: Any) -> ReportSubmission:
    report = Report.objects.get(pk=world.report.pk)
    return services.report_submit(
        actor=world.caritas, report=report, expected_lock_version=report.lock_version
    )


def test_submit_return_resubmit_keeps_every_round(
    world: World, django_capture_on_commit_callbacks: Any, run_worker: Any
) -> None:
    services.line_add(actor=world.caritas, report=world.report, data=world.line())
    report = Report.objects.get(pk=world.report.pk)
    report = services.report_update(
        actor=world.caritas,
        report=report,
        expected_lock_version=report.lock_version,
        data={
            "progress": "Started.",
            "activities": [{"activity": "Workplace Dutch", "progress": "Two groups."}],
            "indicators": {"O.2.1": {"value": "40", "breakdown": {"women": "22"}}},
        },
    )
    with pytest.raises(StaleObjectError):
        services.report_submit(
            actor=world.caritas, report=report, expected_lock_version=report.lock_version - 1
        )
    with django_capture_on_commit_callbacks(execute=True):
        first = _submit(world)
    report = Report.objects.get(pk=world.report.pk)
    assert report.status == "submitted" and report.round == 1 and report.agreement_version is not None
    assert first.snapshot["totals"] == {"staff": "1000.00"} and first.declared == Decimal("1000.00")
    assert first.snapshot["lines"][0][0] == 1 and first.snapshot["indicators"][0]["breakdown"] == {
        "women": "22"
    }
    run_worker()
    [receipt] = mail.outbox
    assert receipt.to == ["beneficiary@caritas.example"] and receipt.attachments[0][1][:5] == b"%PDF-"
    first.refresh_from_db()
    assert len(first.receipt_sha256) == 64
    with pytest.raises(ApplicationError):  # only the beneficiary's reports are theirs to change
        services.line_add(actor=world.caritas, report=report, data=world.line(invoice_number="F-2"))
    with pytest.raises(ApplicationError):
        services.report_return(
            actor=world.da, report=report, expected_lock_version=report.lock_version, comments=" "
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.report_return(
            actor=world.da,
            report=report,
            expected_lock_version=report.lock_version,
            comments="Add the timesheets.",
        )
    run_worker()
    assert len(mail.outbox) == 2 and "Add the timesheets." in mail.outbox[1].body
    services.line_add(actor=world.caritas, report=report, data=world.line(invoice_number="F-2"))
    with django_capture_on_commit_callbacks(execute=True):
        second = _submit(world)
    assert second.round == 2 and second.declared == Decimal("2000.00")
    rounds = list(ReportSubmission.objects.filter(report=world.report).order_by("round"))
    assert [r.round for r in rounds] == [1, 2]
    assert rounds[0].return_comments == "Add the timesheets." and rounds[0].declared == Decimal("1000.00")
    assert rounds[1].returned_at is None


def test_a_report_update_refuses_unknown_activities_and_indicators(world: World) -> None:
    report = world.report
    with pytest.raises(ApplicationError) as refused:
        services.report_update(
            actor=world.caritas,
            report=report,
            expected_lock_version=report.lock_version,
            data={
                "activities": [{"activity": "Gardening", "progress": "x"}],
                "indicators": {"O.2.1": {"value": "10", "breakdown": {"women": "11"}}, "Z": "1"},
            },
        )
    assert set(refused.value.extra["fields"]) == {"activities.0", "indicators.O.2.1.women", "indicators.Z"}
    assert Report.objects.get(pk=report.pk).lock_version == report.lock_version


def test_a_unit_cost_line_is_computed_by_amis(world: World) -> None:
    from amis.projects.models import AgreementVersion

    version = AgreementVersion.objects.get(agreement__project=world.project, status="signed")
    terms = dict(version.terms)
    terms["simplified_costs"] = [{"code": "HOUR", "kind": "unit", "category": "staff", "amount": "45.50"}]
    AgreementVersion.objects.filter(pk=version.pk).update(terms=terms)
    unit = {"category": "staff", "cost_type": "unit", "simplified_cost": "HOUR", "units": "10"}
    line, _w = services.line_add(actor=world.caritas, report=world.report, data=unit)
    assert line.amount_declared == Decimal("455.00") and line.unit_cost == Decimal("45.50")
    with pytest.raises(ApplicationError) as refused:
        services.line_add(
            actor=world.caritas, report=world.report, data={**unit, "amount_declared": "500.00"}
        )
    assert "amount_declared" in refused.value.extra["fields"]
    with pytest.raises(ApplicationError) as refused:
        services.line_add(actor=world.caritas, report=world.report, data={**unit, "simplified_cost": "DAY"})
    assert "simplified_cost" in refused.value.extra["fields"]
    assert ExpenditureLine.objects.count() == 1
