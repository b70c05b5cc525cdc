"""Reads of evaluations: the reader's scope (a delegated authority officer only the programmes of
their assignments; others none), the overdue flags, and a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amis.demo.evaluations import load_evaluations
from amis.evaluation import selectors
from amis.evaluation.tests.helpers import AUDITOR, CARITAS, DA, MC, RA_OFFICER, VERIFIER, base, user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _demo(db: None) -> None:
    base()
    load_evaluations(log=lambda m: None)


def test_the_scope_of_each_reader() -> None:
    both = ["2014BE65AMNP001", "2021BE65AMPR001"]
    for who in (RA_OFFICER, AUDITOR, MC):
        assert [p.cci for p in selectors.programmes_for(user(who))] == both
    assert [p.cci for p in selectors.programmes_for(user(DA))] == ["2014BE65AMNP001"]
    for who in (VERIFIER, CARITAS):
        assert not selectors.programmes_for(user(who)).exists()
    assert {e.plan.programme.cci for e in selectors.evaluations_for(user(DA))} == {"2014BE65AMNP001"}
    mid_term = selectors.evaluations_for(user(RA_OFFICER), {"kind": "mid_term"}).get()
    assert selectors.evaluation_for(user(DA), mid_term.pk) is None
    assert selectors.evaluation_for(user(MC), mid_term.pk) is not None
    assert not selectors.recommendations_for(user(VERIFIER)).exists()


def test_overdue_flags() -> None:
    rows = {r["programme"].cci: r for r in selectors.plans_overview(user(RA_OFFICER))}
    (interim,) = rows["2014BE65AMNP001"]["evaluations"]
    assert interim.status == "delivered" and not interim.overdue
    assert (interim.recommendation_count, interim.open_recommendations) == (3, 2)
    mid_term, impact = rows["2021BE65AMPR001"]["evaluations"]
    assert (
        mid_term.kind == "mid_term" and mid_term.status == "in_progress" and mid_term.overdue
    )  # due 31/3/2024
    assert impact.kind == "impact" and not impact.overdue
    recommendations = selectors.flagged_recommendations(selectors.recommendations_for(user(RA_OFFICER)))
    assert [(r.status, r.overdue) for r in recommendations] == [  # type: ignore[attr-defined]
        ("closed", False),  # deadline 30/9/2018, closed
        ("open", True),  # deadline 30/6/2019
        ("in_progress", False),  # deadline in six months
    ]
    overdue = selectors.recommendations_for(user(RA_OFFICER), overdue=True)
    assert [r.deadline for r in overdue] == [dt.date(2019, 6, 30)]
    assert selectors.recommendations_for(user(RA_OFFICER), status="pending").count() == 2
    assert selectors.recommendations_for(user(RA_OFFICER), status="closed").count() == 1


def test_reads_take_a_fixed_number_of_queries() -> None:
    reader = user(MC)
    selectors.programmes_for(reader).count()  # roles cached on the user
    with CaptureQueriesContext(connection) as queries:
        rows = selectors.plans_overview(reader)
    assert sum(len(r["evaluations"]) for r in rows) == 3
    assert len(queries) <= 4
    with CaptureQueriesContext(connection) as queries:
        recommendations = selectors.flagged_recommendations(selectors.recommendations_for(reader))
        [r.evaluation.plan.programme.cci for r in recommendations]
    assert len(queries) == 1
