"""Test builders: a project selected through the real services (call, application, eligibility,
two assessors, ranking, the committee), and its agreement prepared, issued and signed through the
projects services. Used by the tests of projects, reporting and the stages after them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from amis.accounts.models import User
from amis.applications import services as applications
from amis.calls import services as call_services
from amis.calls.models import Call
from amis.demo.calls import TWO_CRITERIA, load_2021_call
from amis.demo.people import load_people
from amis.demo.programme import BELGIAN_2021_CCI, load_belgian_programme
from amis.organisations.models import Organisation
from amis.programme.models import Programme
from amis.projects import services
from amis.projects.models import AgreementVersion, Project
from amis.selection import services as selection

PDF = b"%PDF-1.4\n% signed agreement scan\n%%EOF\n"
DA = "da.flanders@amis.example"
RA_OFFICER = "ra.officer@amis.example"
RA_MANAGER = "ra.manager@amis.example"
CARITAS = "beneficiary@caritas.example"
REDCROSS = "beneficiary@redcross.example"


def user(email: str) -> User:
    return User.objects.get(email=email)


def demo_base() -> None:
    """The Belgian programmes, the demo people, the 2021-2027 call (and the DA's delegation of SO2)."""
    load_belgian_programme(log=lambda m: None)
    load_people(log=lambda m: None)
    load_2021_call(log=lambda m: None)


def selected_project(
    code: str = "FL-AMIF21-TEST",
    *,
    email: str = CARITAS,
    short: str = "Caritas",
    staff: str = "240000.00",
    travel: str = "20000.00",
    other: str = "40000.00",
    indirect_rate: str = "0.07",
) -> Project:
    """A call of the ESF agency of Flanders on the 2021-2027 programme (SO2, regular actions), one
    application of `short` (by default EUR 300,000 direct costs over two years, 7 % flat rate, 75 %
    EU), taken through eligibility, two assessments, ranking and the committee's approval."""
    demo_base()
    da = user(DA)
    now = timezone.localtime()
    year = now.year + 1
    call, _warnings = call_services.call_create(
        actor=da,
        programme=Programme.objects.get(cci=BELGIAN_2021_CCI),
        organisation=Organisation.objects.get(short_name="ESF Flanders"),
        data={
            "code": code,
            "title": {"nl": "Testoproep", "en": "Test call"},
            "description": {"en": "A test call."},
            "languages": ["nl", "en"],
            "specific_objective": "SO2",
            "type_of_action": "regular",
            "budget": "1000000.00",
            "max_eu_rate": "0.75",
            "min_grant": "50000.00",
            "max_grant": "400000.00",
            "eligible_kinds": ["ngo", "local_public_body", "state_authority", "red_cross"],
            "eligible_start": f"{year}-01-01",
            "eligible_end": f"{year + 1}-12-31",
            "target_groups": ["third-country nationals"],
            "indicators": ["O.2.1"],
            "eligibility_criteria": [{"code": "E1", "text": "Established in Flanders."}],
            "award_criteria": TWO_CRITERIA,
            "pass_mark": "60.00",
            "opens_at": now - dt.timedelta(days=5),
            "closes_at": now + dt.timedelta(days=45),
        },
    )
    call = call_services.call_transition(
        actor=da, call=call, status="published", expected_lock_version=call.lock_version, no_documents=True
    )
    beneficiary = user(email)
    app = applications.application_create(
        actor=beneficiary,
        call=call,
        organisation=Organisation.objects.get(short_name=short),
        title="Taal en werk",
    )
    budget: list[dict[str, Any]] = []
    for y in (year, year + 1):
        for category, amount in (("staff", staff), ("travel", travel), ("other", other)):
            half = (Decimal(amount) / 2).quantize(Decimal("0.01"))
            budget.append({"category": category, "year": y, "description": category, "amount": str(half)})
    total_direct = sum((Decimal(str(b["amount"])) for b in budget), Decimal("0.00"))
    total = total_direct + (total_direct * Decimal(indirect_rate)).quantize(Decimal("0.01"))
    eu = (total * Decimal("0.75")).quantize(Decimal("0.01"))
    app = applications.application_update(
        actor=beneficiary,
        application=app,
        expected_lock_version=app.lock_version,
        data={
            "summary": "Dutch at the workplace and job coaching.",
            "start_date": f"{year}-01-01",
            "end_date": f"{year + 1}-12-31",
            "indirect_rate": indirect_rate,
            "activities": [
                {"name": "Workplace Dutch", "start": f"{year}-01-01", "end": f"{year + 1}-12-31"},
                {"name": "Job coaching", "start": f"{year}-03-01", "end": f"{year + 1}-12-31"},
            ],
            "planned_indicators": {"O.2.1": "120.00"},
            "budget": budget,
            "funding": {"eu": str(eu), "national_public": str(total - eu)},
        },
    )
    app = applications.application_submit(
        actor=beneficiary, application=app, expected_lock_version=app.lock_version
    )
    call = Call.objects.get(pk=call.pk)
    call = call_services.call_transition(
        actor=da, call=call, status="closed", expected_lock_version=call.lock_version
    )
    app = selection.check_eligibility(actor=da, application=app, answers={"E1": {"met": True}})
    for email_ in ("assessor@amis.example", "assessor2@amis.example"):
        selection.assess(
            actor=user(email_),
            application=app,
            no_conflict_of_interest=True,
            scores={"A1": "45", "A2": "40"},
            justifications={"A1": "Good.", "A2": "Good."},
        )
    selection.rank_and_propose(actor=da, call=call)
    meeting = selection.meeting_plan(
        actor=da, call=Call.objects.get(pk=call.pk), date=now.date(), agenda="Selection"
    )
    mc = user("mc.member@amis.example")
    selection.record_decision(actor=mc, meeting=meeting, application=app, decision="approve", note="")
    selection.close_meeting(actor=mc, meeting=meeting, minutes="Approved.")
    return Project.objects.get(application=app)


def signed_agreement(project: Project, *, signed_on: dt.date | None = None) -> AgreementVersion:
    """Version 1 prepared by the DA officer, issued by the RA officer (four eyes), signed by both
    sides with the scan uploaded: in force, its reports made."""
    version = services.agreement_prepare(actor=user(DA), project=project)
    version = services.version_issue(
        actor=user(RA_OFFICER), version=version, expected_lock_version=version.lock_version
    )
    day = signed_on or timezone.localdate()
    version = services.version_sign(
        actor=user(RA_OFFICER),
        version=version,
        expected_lock_version=version.lock_version,
        side="authority",
        signatory="Marc Dubois",
        signed_on=day,
    )
    beneficiary = user(CARITAS if project.organisation.short_name == "Caritas" else REDCROSS)
    return services.version_sign(
        actor=beneficiary,
        version=version,
        expected_lock_version=version.lock_version,
        side="beneficiary",
        signatory="Fatima El Amrani",
        signed_on=day,
        scan=("agreement-signed.pdf", PDF),
    )


__all__ = ["Any", "selected_project", "signed_agreement"]
