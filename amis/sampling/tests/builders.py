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


def declared(
    amounts: dict[str, list[str]],
    *,
    year: int = YEAR,
    status: str = "submitted",
    submitted_on: dt.date | None = None,
    specific_objective: str = "",
) -> Programme:
    """`amounts`: per project reference, the eligible amount of each declared item; the application
    submitted on `submitted_on` (1 March of the year when not given), its items under
    `specific_objective` (the call's when not given)."""
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
        submitted_on=(submitted_on or dt.date(year, 3, 1)) if status == "submitted" else None,
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
                specific_objective=specific_objective or call.specific_objective,
                eligible=value,
                public=value,
                eu=Decimal(value) * Decimal("0.75"),
            )
    return programme


def lines_behind(reference: str, amounts: list[str]) -> list[int]:
    """Expenditure lines in the report of the project's first declared verification, each decided
    eligible at its amount by the verifier (the lines a sub-sample is drawn from); their ids."""
    from amis.declarations.models import PaymentApplicationItem
    from amis.reporting.models import ExpenditureLine
    from amis.verification.models import LineDecision

    item = PaymentApplicationItem.objects.filter(project__reference=reference).order_by("pk").first()
    assert item is not None
    verification = item.verification
    officer = User.objects.get(email=RA_OFFICER)
    ids = []
    for position, amount in enumerate(amounts, start=1):
        line = ExpenditureLine.objects.create(
            report=verification.report,
            position=position,
            category="staff",
            supplier_name=f"Supplier {position}",
            invoice_number=f"INV-{position:03}",
            amount_declared=amount,
        )
        LineDecision.objects.create(
            verification=verification, line=line, decision="eligible", eligible=amount, decided_by=officer
        )
        ids.append(line.pk)
    return ids
