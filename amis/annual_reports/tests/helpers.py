"""Builders for the annual report tests: the Belgian programmes and the demo people; a draft report
with every part written; the demo's money (projects, reports, verifications, payments)."""

from __future__ import annotations

from typing import Any

from amis.accounts.models import User
from amis.annual_reports import services
from amis.annual_reports.models import AnnualReport
from amis.demo.people import load_people
from amis.demo.programme import load_belgian_programme
from amis.programme.models import Programme

RA_OFFICER = "ra.officer@amis.example"
RA_MANAGER = "ra.manager@amis.example"
DA = "da.flanders@amis.example"
AUDITOR = "auditor@amis.example"
MC = "mc.member@amis.example"
VERIFIER = "verifier@amis.example"
ACCOUNTING = "accounting@amis.example"
CARITAS = "beneficiary@caritas.example"
CCI_2014 = "2014BE65AMNP001"
CCI_2021 = "2021BE65AMPR001"


def user(email: str) -> User:
    return User.objects.get(email=email)


def base() -> None:
    load_belgian_programme(log=lambda m: None)
    load_people(log=lambda m: None)


def draft(cci: str = CCI_2014, year: int = 2019) -> AnnualReport:
    return services.report_create(actor=user(RA_OFFICER), programme=Programme.objects.get(cci=cci), year=year)


def written(report: AnnualReport, text: str = "Written by the authority.") -> AnnualReport:
    for part in list(report.parts.all()):
        services.narrative_update(
            actor=user(RA_OFFICER),
            report=report,
            section=part.section,
            specific_objective=part.specific_objective,
            text=f"{text} {part.section} {part.specific_objective}".strip(),
            expected_lock_version=part.lock_version,
        )
    return AnnualReport.objects.get(pk=report.pk)


def approved(report: AnnualReport, **kwargs: Any) -> AnnualReport:
    import datetime as dt

    report = written(report)
    report = services.report_submit(
        actor=user(RA_OFFICER), report=report, expected_lock_version=report.lock_version
    )
    return services.committee_decision(
        actor=user(MC),
        report=report,
        expected_lock_version=report.lock_version,
        decision="approve",
        meeting_date=kwargs.get("meeting_date", report.submitted_on or dt.date.today()),
        reference=kwargs.get("reference", "MC/2026/07, point 3"),
    )
