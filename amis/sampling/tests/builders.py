"""Declared expenditure for the sampling tests, made directly in the tables (fast): projects of the
demo's 2021-2027 call, one verification per amount, items of a submitted payment application of
accounting year 2026."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from amis.accounts.models import User
from amis.applications.models import Application
from amis.calls.models import Call
from amis.declarations.models import PaymentApplication, PaymentApplicationItem
from amis.demo.programme import BELGIAN_2021_CCI
from amis.organisations.models import Organisation
from amis.programme.models import Programme
from amis.projects.models import Project
from amis.projects.tests.builders import demo_base
from amis.reporting.models import Report
from amis.verification.models import Verification

AUDITOR = "auditor@amis.example"
RA_OFFICER = "ra.officer@amis.example"
YEAR = 2026


def declared(amounts: dict[str, list[str]], *, year: int = YEAR, status: str = "submitted") -> Programme:
    """`amounts`: per project reference, the eligible amount of each declared item."""
    if not Programme.objects.filter(cci=BELGIAN_2021_CCI).exists():
        demo_base()
    programme = Programme.objects.get(cci=BELGIAN_2021_CCI)
    call = Call.objects.filter(programme=programme).order_by("pk").first()
    assert call is not None
    officer = User.objects.get(email=RA_OFFICER)
    organisation = Organisation.objects.filter(kind="ngo").order_by("pk").first()
    assert organisation is not None
    sequence = PaymentApplication.objects.filter(programme=programme, year=year).count() + 1
    application = PaymentApplication.objects.create(
        programme=programme,
        year=year,
        sequence=sequence,
        prepared_by=officer,
        status=status,
        submitted_on=dt.date(year, 3, 1) if status == "submitted" else None,
    )
    today = timezone.localdate()
    for reference, values in amounts.items():
        project = Project.objects.filter(reference=reference).first()
        if project is None:
            app = Application.objects.create(
                call=call, organisation=organisation, reference=f"A-{reference}", title=reference
            )
            project = Project.objects.create(
                application=app,
                reference=reference,
                organisation=organisation,
                eu_contribution="750000.00",
                total_cost="1000000.00",
                start_date=today,
                end_date=today,
            )
        report = Report.objects.filter(project=project).first() or Report.objects.create(
            project=project, number=1, kind="interim", period_start=today, period_end=today, due_date=today
        )
        for value in values:
            round_ = Verification.objects.filter(report=report).count() + 1
            verification = Verification.objects.create(
                report=report,
                round=round_,
                status="completed",
                verifier=officer,
                completed_at=timezone.now(),
                verified=value,
                eu_share=Decimal(value) * Decimal("0.75"),
            )
            PaymentApplicationItem.objects.create(
                application=application,
                verification=verification,
                project=project,
                call=call,
                specific_objective=call.specific_objective,
                eligible=value,
                public=value,
                eu=Decimal(value) * Decimal("0.75"),
            )
    return programme
