"""Shared steps of the declarations tests: verified reports on the 2021-2027 programme, dated in
accounting year 2026 (1 July 2025 – 30 June 2026), so that the year is over and its accounts can be
submitted."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from amis.projects.tests.builders import CARITAS, REDCROSS, selected_project, signed_agreement, user
from amis.reporting.models import ExpenditureLine, Report
from amis.reporting.rules import supplier_key
from amis.verification import services as verification
from amis.verification.checklist import DEFAULT_ITEMS
from amis.verification.models import Verification

RA_MANAGER = "ra.manager@amis.example"
RA_OFFICER = "ra.officer@amis.example"
ACCOUNTING = "accounting@amis.example"
VERIFIER = "verifier@amis.example"
DA = "da.flanders@amis.example"
AUDITOR = "auditor@amis.example"
MC = "mc.member@amis.example"
YEAR = 2026
IN_YEAR = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)


def verified_report(code: str, email: str = CARITAS, short: str = "Caritas", lines: int = 5) -> Verification:
    """A signed project's interim report, its lines all eligible, its verification completed on
    1 March 2026."""
    project = selected_project(code, email=email, short=short)
    version = signed_agreement(project)
    report = Report.objects.get(project=project, number=1)
    day = version.eligible_start + dt.timedelta(days=10)
    ExpenditureLine.objects.bulk_create(
        ExpenditureLine(
            report=report,
            position=i + 1,
            category="staff",
            supplier_name=f"Supplier {i}",
            supplier_key=supplier_key("", f"Supplier {i}"),
            invoice_number=f"F-{code}-{i}",
            invoice_date=day,
            amount_declared=Decimal("1000.00") + i,
        )
        for i in range(lines)
    )
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.SUBMITTED, round=1, agreement_version=version
    )
    report = Report.objects.get(pk=report.pk)
    verifier = user(VERIFIER)
    v = verification.verification_start(actor=verifier, report=report)
    verification.lines_decide(
        actor=verifier, verification=v, filters={"undecided": True}, decision="eligible"
    )
    v.refresh_from_db()
    v = verification.checklist_answer(
        actor=verifier,
        verification=v,
        expected_lock_version=v.lock_version,
        answers={c: {"answer": "yes"} for c, _t in DEFAULT_ITEMS},
    )
    v = verification.verification_complete(
        actor=verifier, verification=v, expected_lock_version=v.lock_version
    )
    Verification.objects.filter(pk=v.pk).update(completed_at=IN_YEAR)
    v.refresh_from_db()
    return v


def two_verified() -> tuple[Verification, Verification]:
    return verified_report("FL-DECL-A"), verified_report("FL-DECL-B", email=REDCROSS, short="Rode Kruis")


def today() -> dt.date:
    return timezone.localdate()
