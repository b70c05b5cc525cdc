"""The demo's projects: the selected Flemish project with its signed agreement, a signed amendment,
a submitted interim report of ~200 lines and a report due next month; projects at other stages."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from stdnum.be import vat as be_vat

from amis.accounts.models import User
from amis.core.audit import AuditEntry
from amis.demo import expenditure
from amis.demo import projects as demo
from amis.demo.calls import load_2021_call
from amis.demo.people import load_people
from amis.demo.programme import load_belgian_programme
from amis.projects.models import AgreementVersion, Project
from amis.projects.rules import ELIGIBILITY_WINDOW, PERIOD_2021
from amis.projects.selectors import version_budget, version_in_force
from amis.reporting.models import ExpenditureImport, ExpenditureLine, Report, ReportSubmission
from amis.reporting.selectors import financial_picture


def _load() -> None:
    quiet = lambda message: None  # noqa: E731
    load_belgian_programme(log=quiet)
    load_people(log=quiet)
    load_2021_call(log=quiet)
    demo.load_projects(log=quiet)


def _flagship() -> Project:
    return Project.objects.get(application__call__code=demo.CODE, application__title=demo.FLAGSHIP_TITLE)


@pytest.mark.django_db
def test_the_selected_flemish_project_has_its_agreement_amendment_and_reports(belgian: object) -> None:
    _load()
    project = _flagship()
    assert project.application.call.programme.cci == "2021BE65AMPR001"
    v1, v2 = AgreementVersion.objects.filter(agreement__project=project).order_by("number")
    # version 1: prepared by the DA officer, issued by the RA officer, signed by both with the scan
    assert v1.prepared_by.email == demo.DA
    assert v1.issued_by is not None and v1.issued_by.email == demo.RA_OFFICER
    for version in (v1, v2):
        assert version.status == AgreementVersion.Status.SIGNED
        assert version.authority_signed_on and version.beneficiary_signed_on
        assert version.signed_scan_sha256 and version.signed_scan.read().startswith(b"%PDF")
    # the amendment: a reason, staff costs instead of equipment, the total unchanged, in force now
    assert "taalcoaching" in v2.reason
    assert v1.in_force_from is not None and v2.in_force_from is not None
    assert v2.in_force_from > v1.in_force_from
    assert version_in_force(project) == v2
    b1, b2 = version_budget(v1), version_budget(v2)
    assert b2["equipment"] == b1["equipment"] - Decimal("6000.00")
    assert b2["staff"] == b1["staff"] + Decimal("6000.00")
    assert sum(b1.values()) == sum(b2.values()) == Decimal("321000.00")
    # its eligibility period started about a year ago
    today = timezone.localdate()
    assert 330 <= (today - v1.eligible_start).days <= 366

    reports = list(Report.objects.filter(project=project).order_by("number"))
    first = reports[0]
    assert first.kind == Report.Kind.INTERIM and first.status == Report.Status.SUBMITTED
    assert first.period_end < today and first.agreement_version == v1  # in force at its period's end
    lines = list(ExpenditureLine.objects.filter(report=first))
    assert 190 <= len(lines) <= 220
    declared = sum((line.amount_declared for line in lines), Decimal("0"))
    picture = financial_picture(project)
    assert picture.totals["declared"] == declared
    assert picture.totals["budget"] == sum(b2.values())  # the version in force only
    totals = picture.totals
    assert totals["remaining"] == totals["budget"] - totals["verified"] + totals["corrected"]
    submission = ReportSubmission.objects.get(report=first)
    assert submission.round == 1 and submission.declared == declared
    assert len(submission.snapshot["lines"]) == len(lines)
    upload = ExpenditureImport.objects.get(report=first)
    assert upload.status == ExpenditureImport.Status.DONE and upload.lines_created == len(lines)
    assert upload.file.read().decode("utf-8-sig").startswith(";".join(expenditure.TEMPLATE_COLUMNS))
    assert all(line.source_import_id == upload.pk for line in lines)
    # realistic lines: valid Belgian enterprise numbers, Dutch descriptions, one credit note
    assert all(be_vat.is_valid(line.supplier_number) for line in lines)
    assert {line.category for line in lines} == {"staff", "travel", "equipment", "other"}
    credit = [line for line in lines if line.amount_declared < 0]
    assert len(credit) == 1 and credit[0].credit_note_for
    assert first.submitted_at is not None and first.period_end < first.submitted_at.date() <= first.due_date

    due_next_month = [r for r in reports if r.status == Report.Status.OPEN and r.due_date > today]
    next_month = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    assert (due_next_month[0].due_date.year, due_next_month[0].due_date.month) == (
        next_month.year,
        next_month.month,
    )


@pytest.mark.django_db
def test_projects_at_other_stages_and_loading_twice_adds_nothing(belgian: object) -> None:
    _load()
    others = {p.application.title: p for p in Project.objects.filter(application__call__code=demo.CODE)}
    issued = AgreementVersion.objects.get(agreement__project=others[demo.ISSUED_TITLE])
    assert issued.status == AgreementVersion.Status.ISSUED
    assert issued.issued_by is not None and issued.issued_by.email == demo.RA_OFFICER
    assert not issued.authority_signed_on and not issued.beneficiary_signed_on
    assert not AgreementVersion.objects.filter(agreement__project=others[demo.SELECTED_TITLE]).exists()
    late = Report.objects.get(project=others[demo.OVERDUE_TITLE], number=1)
    assert late.status == Report.Status.OPEN and late.due_date < timezone.localdate()
    assert version_in_force(others[demo.OVERDUE_TITLE]) is not None
    counts = (Project.objects.count(), ExpenditureLine.objects.count(), AuditEntry.objects.count())
    demo.load_projects(log=lambda message: None)
    assert (Project.objects.count(), ExpenditureLine.objects.count(), AuditEntry.objects.count()) == counts


@pytest.mark.django_db
def test_projects_list_on_the_demo(belgian: object) -> None:
    _load()
    out = StringIO()
    call_command("projects", "list", "--format", "json", "--call", demo.CODE, stdout=out)
    rows = {r["reference"]: r for r in json.loads(out.getvalue())}
    project = _flagship()
    row = rows[project.reference]
    picture = financial_picture(project)
    assert row["agreement"]["version"] == 2 and row["agreement"]["status"] == "signed"
    assert row["budget"] == "321000.00" and Decimal(row["budget"]) == picture.totals["budget"]
    assert Decimal(row["declared"]) == picture.totals["declared"] > 0
    assert row["reports"] == {"open": 3, "submitted": 1}
    issued = next(r for r in rows.values() if r["title"] == demo.ISSUED_TITLE)
    assert issued["agreement"] is None and issued["latest_version"] == {"number": 1, "status": "issued"}


def test_the_template_csv_reads_back_and_is_refused_whole_on_one_bad_row() -> None:
    rows = expenditure.expenditure_rows(dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    text = expenditure.template_csv(rows).decode("utf-8-sig")
    assert text.splitlines()[0] == ";".join(expenditure.TEMPLATE_COLUMNS)
    assert len(text.splitlines()) == len(rows) + 1
    assert all(be_vat.is_valid(r["supplier_number"]) for r in rows)
    assert len({(r["supplier_number"], r["invoice_number"]) for r in rows}) == len(rows)  # no invoice twice


@pytest.mark.django_db
def test_a_file_with_a_bad_row_saves_nothing(belgian: object) -> None:
    _load()
    project = _flagship()
    report = Report.objects.get(project=project, number=2)
    rows = expenditure.expenditure_rows(report.period_start, report.period_end, seed=2)
    rows[5]["invoice_date"] = (project.start_date - dt.timedelta(days=1)).isoformat()  # before the period
    refused = demo.import_lines(
        report=report,
        actor=User.objects.get(email=demo.CARITAS),
        name="bad.csv",
        data=expenditure.template_csv(rows),
    )
    assert refused.status == ExpenditureImport.Status.FAILED
    assert [(e["row"], e["field"]) for e in refused.errors] == [(7, "invoice_date")]
    assert not ExpenditureLine.objects.filter(report=report).exists()


@given(st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2028, 11, 30)))
def test_the_demo_history_holds_on_any_day(today: dt.date) -> None:
    """Whatever day the demo is loaded: things happen in order, nothing in the future, report 1's
    period has ended and it was submitted before it was due, report 2 is due next month, and every
    period lies inside the 2021-2027 eligibility window."""
    plan = demo.Plan.for_today(today)
    calendar = plan.calendar()
    first, second = calendar[0], calendar[1]
    submitted = first.due_date - dt.timedelta(days=5)
    assert plan.opens < plan.closes < plan.committee < plan.v1_issued < plan.v1_signed < plan.start
    assert first.kind == second.kind == "interim"
    assert first.period_end < submitted < plan.v2_issued < plan.v2_signed < plan.issued_on < today
    next_month = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    assert (second.due_date.year, second.due_date.month) == (next_month.year, next_month.month)
    window = ELIGIBILITY_WINDOW[PERIOD_2021]
    overdue = plan.overdue_calendar()[0]
    assert overdue.kind == "interim" and overdue.due_date < today
    assert plan.committee < plan.overdue_signed < plan.overdue_start
    for start, end in (
        (plan.overdue_start, plan.overdue_end),
        (plan.start, plan.end),
        (plan.issued_start, plan.issued_end),
        (plan.selected_start, plan.selected_end),
    ):
        assert window[0] <= plan.start <= start < end <= plan.call_end <= window[1]


@pytest.mark.django_db
@pytest.mark.parametrize("today", [dt.date(2025, 2, 28), dt.date(2026, 1, 31), dt.date(2026, 7, 1)])
def test_the_demo_loads_on_other_days(
    belgian: object, today: dt.date, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Loaded on another day (the demo's 'today' moved into the past, so that every date the
    services check against the real clock stays in the past): the same projects, report 2 due in the
    month after that day, the amendment's budget never below zero."""

    class Clock:
        make_aware = staticmethod(timezone.make_aware)

        @staticmethod
        def localdate() -> dt.date:
            return today

    monkeypatch.setattr(demo, "timezone", Clock)
    _load()
    project = _flagship()
    v2 = version_in_force(project)
    assert v2 is not None and v2.number == 2
    assert all(amount >= 0 for amount in version_budget(v2).values())
    second = Report.objects.get(project=project, number=2)
    next_month = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    assert (second.due_date.year, second.due_date.month) == (next_month.year, next_month.month)
    assert Report.objects.get(project=project, number=1).status == Report.Status.SUBMITTED
