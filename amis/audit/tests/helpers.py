"""Builders for the audit authority's tests: the Belgian programmes, the demo people, a second
auditor (four eyes), a plan with the responsible and a delegated authority, a completed audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from allauth.mfa.totp.internal.auth import TOTP

from amis.accounts import services as account_services
from amis.accounts.models import User
from amis.audit import services
from amis.audit.models import AuditedBody, AuditPlan, SystemAudit
from amis.demo.people import load_people
from amis.demo.programme import load_belgian_programme
from amis.organisations.models import Organisation
from amis.programme.models import Programme

AUDITOR = "auditor@amis.example"
AUDITOR2 = "auditor2@audit.example"
RA_OFFICER = "ra.officer@amis.example"
RA_MANAGER = "ra.manager@amis.example"
DA = "da.flanders@amis.example"
VERIFIER = "verifier@amis.example"
CCI_2014 = "2014BE65AMNP001"
CCI_2021 = "2021BE65AMPR001"
LOW = {"size": 2, "complexity": 2, "changes": 1, "previous_results": 2, "time_since_audit": 2}
HIGH = {"size": 5, "complexity": 4, "changes": 3, "previous_results": 4, "time_since_audit": 3}


def user(email: str) -> User:
    return User.objects.get(email=email)


def base() -> None:
    load_belgian_programme(log=lambda m: None)
    load_people(log=lambda m: None)
    second = account_services.user_create(email=AUDITOR2, password="a-long-test-password-1")
    account_services.role_assign(
        user=second, role="auditor", organisation=Organisation.objects.get(kind="audit_authority")
    )
    TOTP.activate(second, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")


def programme(cci: str = CCI_2021) -> Programme:
    return Programme.objects.select_related("period").get(cci=cci)


def plan(cci: str = CCI_2021, year: int = 2024) -> AuditPlan:
    strategy = services.strategy_create(actor=user(AUDITOR), programme=programme(cci), text="Risk-based.")
    return services.plan_create(actor=user(AUDITOR), strategy=strategy, year=year)


def bodies(the_plan: AuditPlan) -> tuple[AuditedBody, AuditedBody]:
    period = the_plan.strategy.programme.period.code
    kind = "responsible" if period == "2014-2020" else "managing"
    ra = services.body_add(
        actor=user(AUDITOR),
        plan=the_plan,
        kind=kind,
        name="FPS Home Affairs - Unit European Funds",
        risk_factors=HIGH,
        risk_justification="Manages the whole programme; new IT system this year.",
        key_requirement_codes=["KR2", "KR4", "KR7"],
    )
    da = services.body_add(
        actor=user(AUDITOR),
        plan=the_plan,
        kind="delegated",
        name="Flemish delegated authority",
        risk_factors=LOW,
        risk_justification="Small part delegated; no findings last year.",
        key_requirement_codes=["KR4"],
    )
    return ra, da


def completed(
    body: AuditedBody, categories: dict[str, int], on: dt.date = dt.date(2024, 5, 1)
) -> SystemAudit:
    system_audit = services.audit_start(actor=user(AUDITOR), body=body, started_on=on)
    for code, category in categories.items():
        services.requirement_assess(
            actor=user(AUDITOR),
            system_audit=system_audit,
            code=code,
            category=category,
            justification=f"Tested 20 files for {code}.",
            expected_lock_version=system_audit.lock_version,
        )
        system_audit.refresh_from_db()
    return services.audit_complete(
        actor=user(AUDITOR),
        system_audit=system_audit,
        conclusion="Works with improvements.",
        expected_lock_version=system_audit.lock_version,
        completed_on=on + dt.timedelta(days=30),
    )


def completed_year(**kwargs: Any) -> AuditPlan:
    the_plan = plan(**kwargs)
    ra, da = bodies(the_plan)
    completed(ra, {"KR2": 1, "KR4": 2, "KR7": 1})
    completed(da, {"KR4": 1})
    return the_plan
