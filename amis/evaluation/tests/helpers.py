"""Builders for the evaluation tests: the Belgian programmes and the demo people, a draft plan and
an interim evaluation, a delivered one with its report."""

from __future__ import annotations

import datetime as dt

from amis.accounts.models import User
from amis.demo.people import load_people
from amis.demo.programme import load_belgian_programme
from amis.evaluation import services
from amis.evaluation.models import Evaluation, EvaluationPlan, Recommendation
from amis.programme.models import Programme

RA_OFFICER = "ra.officer@amis.example"
RA_MANAGER = "ra.manager@amis.example"
DA = "da.flanders@amis.example"  # delegated a part of 2014BE65AMNP001 only
AUDITOR = "auditor@amis.example"
MC = "mc.member@amis.example"
VERIFIER = "verifier@amis.example"
ACCOUNTING = "accounting@amis.example"
ASSESSOR = "assessor@amis.example"
CARITAS = "beneficiary@caritas.example"
PDF = b"%PDF-1.4\n% evaluation report\n%%EOF\n"


def user(email: str) -> User:
    return User.objects.get(email=email)


def base() -> None:
    load_belgian_programme(log=lambda m: None)
    load_people(log=lambda m: None)


def plan(cci: str = "2014BE65AMNP001") -> EvaluationPlan:
    return services.plan_create(
        actor=user(RA_OFFICER), programme=Programme.objects.get(cci=cci), title=f"Plan {cci}"
    )


def interim(the_plan: EvaluationPlan | None = None) -> Evaluation:
    return services.evaluation_create(
        actor=user(RA_OFFICER),
        plan=the_plan or plan(),
        kind="interim",
        title="Interim evaluation",
        evaluator_type="internal",
        evaluator="Evaluation service",
        planned_start=dt.date(2017, 1, 9),
        planned_end=dt.date(2017, 12, 15),
        specific_objectives=["SO2", "SO1"],
    )


def delivered() -> Evaluation:
    evaluation = interim()
    officer = user(RA_OFFICER)
    evaluation = services.evaluation_status_change(
        actor=officer,
        evaluation=evaluation,
        expected_lock_version=evaluation.lock_version,
        status="in_progress",
        on=dt.date(2017, 1, 9),
    )
    services.report_upload(actor=officer, evaluation=evaluation, name="report.pdf", data=PDF)
    return services.evaluation_status_change(
        actor=officer,
        evaluation=evaluation,
        expected_lock_version=evaluation.lock_version,
        status="delivered",
        on=dt.date(2017, 12, 15),
    )


def recommendation(evaluation: Evaluation | None = None, text: str = "Do better.") -> Recommendation:
    return services.recommendation_add(
        actor=user(RA_OFFICER),
        evaluation=evaluation or delivered(),
        text=text,
        addressed_to="Responsible authority",
        priority="high",
    )
