"""Builders for the public tests: the Belgian programme (version 2 adopted) and the demo people,
operations of signed projects with their locations."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from amis.accounts.models import User
from amis.applications.models import Application
from amis.calls.models import Call
from amis.demo.people import load_people
from amis.demo.programme import load_belgian_programme
from amis.organisations.models import Organisation
from amis.programme.models import Programme
from amis.projects.models import AgreementVersion, GrantAgreement, Project
from amis.public import services

CCI = "2014BE65AMNP001"
RA_OFFICER = "ra.officer@amis.example"
RA_MANAGER = "ra.manager@amis.example"
CARITAS = "beneficiary@caritas.example"


def user(email: str) -> User:
    return User.objects.get(email=email)


def base() -> None:
    load_belgian_programme(log=lambda m: None)
    load_people(log=lambda m: None)


def call(code: str = "PUB-CALL", status: str = "published", **extra: object) -> Call:
    now = timezone.now()
    fields: dict[str, object] = {
        "programme": Programme.objects.get(cci=CCI),
        "managing_organisation": Organisation.objects.filter(kind="responsible_authority").first(),
        "title": {"en": f"Call {code}", "nl": f"Oproep {code}"},
        "specific_objective": "SO2",
        "national_objectives": ["NO2"],
        "budget": "100000.00",
        "eligible_start": dt.date(2019, 1, 1),
        "eligible_end": dt.date(2021, 12, 31),
        "opens_at": now - dt.timedelta(days=10),
        "closes_at": now + dt.timedelta(days=10),
        "status": status,
    }
    fields.update(extra)
    return Call.objects.get_or_create(code=code, defaults=fields)[0]


def operation(
    reference: str,
    organisation_name: str = "Vluchtelingenwerk Antwerpen vzw",
    *,
    signed: bool = True,
    municipality: str = "Antwerpen",
    natural_person: bool = False,
    the_call: Call | None = None,
) -> Project:
    organisation = Organisation.objects.get_or_create(
        name=organisation_name, defaults={"kind": "ngo", "status": "approved"}
    )[0]
    application = Application.objects.create(
        call=the_call or call(),
        organisation=organisation,
        reference=f"A-{reference}",
        title=f"Project {reference}",
        summary=f"Purpose of {reference}",
        status="selected",
    )
    project = Project.objects.create(
        application=application,
        reference=reference,
        organisation=organisation,
        eu_contribution="75000.00",
        total_cost="100000.00",
        start_date=dt.date(2019, 3, 1),
        end_date=dt.date(2020, 12, 31),
    )
    agreement = GrantAgreement.objects.create(project=project, reference=f"GA-{reference}")
    AgreementVersion.objects.create(
        agreement=agreement,
        number=1,
        status="signed" if signed else "draft",
        max_grant="75000.00",
        eu_rate="0.7500",
        total_cost="100000.00",
        eligible_start=project.start_date,
        eligible_end=project.end_date,
        in_force_from=project.start_date if signed else None,
        prepared_by=user(RA_OFFICER),
    )
    services.details_set(
        actor=user(RA_OFFICER),
        project=project,
        expected_lock_version=None,
        postcode="2000",
        municipality=municipality,
        nuts_code="BE211",
        beneficiary_is_natural_person=natural_person,
    )
    return project
