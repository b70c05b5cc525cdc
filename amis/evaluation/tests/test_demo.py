"""The demo's evaluations: the 2014-2020 plan with the 2017 interim evaluation (report delivered,
three recommendations: one closed, one in progress, one overdue) and the 2024 mid-term evaluation of
the 2021-2027 programme in progress; built by the responsible authority's officer through the
services, loaded twice without change."""

from __future__ import annotations

import datetime as dt

import pytest

from amis.core.audit import AuditEntry, verify_chain
from amis.core.uploads import verify
from amis.demo.evaluations import load_evaluations
from amis.evaluation.models import Evaluation, EvaluationPlan, Recommendation
from amis.evaluation.tests.helpers import base

pytestmark = pytest.mark.django_db


def test_the_demo_evaluations(db: None) -> None:
    base()
    load_evaluations(log=lambda m: None)
    plans = {p.programme.cci: p for p in EvaluationPlan.objects.select_related("programme")}
    assert {cci: p.status for cci, p in plans.items()} == {
        "2014BE65AMNP001": "approved",
        "2021BE65AMPR001": "approved",
    }
    submitted = plans["2021BE65AMPR001"].submitted_on
    assert submitted is not None and submitted <= dt.date(2023, 11, 15)  # a year after the decision
    interim = Evaluation.objects.get(kind="interim")
    assert interim.status == "delivered" and interim.delivered_on == dt.date(2017, 12, 15)
    assert interim.evaluator_type == "internal" and interim.questions.count() == 5
    report = interim.reports.get()
    assert report.name == "interim-evaluation-2017.pdf" and verify(report)
    statuses = dict(Recommendation.objects.filter(evaluation=interim).values_list("number", "status"))
    assert statuses == {1: "closed", 2: "in_progress", 3: "open"}
    late = Recommendation.objects.get(evaluation=interim, number=3)
    assert late.response == "accepted" and late.deadline == dt.date(2019, 6, 30)
    mid_term = Evaluation.objects.get(kind="mid_term")
    assert mid_term.status == "in_progress" and mid_term.due_date == dt.date(2024, 3, 31)
    assert mid_term.plan.programme.cci == "2021BE65AMPR001"
    entries = AuditEntry.objects.filter(object_type__startswith="evaluation.").count()
    assert {
        e.actor.email if e.actor else ""
        for e in AuditEntry.objects.filter(object_type__startswith="evaluation.")
    } == {"ra.officer@amis.example"}
    load_evaluations(log=lambda m: None)
    assert AuditEntry.objects.filter(object_type__startswith="evaluation.").count() == entries
    assert Evaluation.objects.count() == 3
    assert verify_chain().ok
