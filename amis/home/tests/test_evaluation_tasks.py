"""The responsible authority's home page lists the evaluations overdue and the recommendations not
followed up by their deadline, each linking to its page; the Monitoring Committee, who only reads
evaluations, has no such task."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from amis.accounts.models import User
from amis.demo.evaluations import MID_TERM_TITLE, load_evaluations
from amis.evaluation.models import Evaluation, Recommendation
from amis.evaluation.tests.helpers import base

pytestmark = pytest.mark.django_db


def _tasks(email: str) -> dict[str, object]:
    client = Client()
    client.force_login(User.objects.get(email=email))
    response = client.get("/")
    assert response.status_code == 200
    return {str(t.label): t for t in response.context["tasks"]}


def test_the_authority_sees_what_is_overdue_in_its_evaluations(db: None) -> None:
    base()
    load_evaluations(log=lambda m: None)
    tasks = _tasks("ra.officer@amis.example")
    late = tasks["Evaluations overdue"]
    mid_term = Evaluation.objects.get(kind="mid_term")
    assert late.count == 1  # type: ignore[attr-defined]
    assert late.items == [  # type: ignore[attr-defined]
        (
            f"2021BE65AMPR001 · {MID_TERM_TITLE} (31/03/2024)",
            reverse("evaluation:evaluation", args=[mid_term.pk]),
        )
    ]
    recommendations = tasks["Evaluation recommendations overdue"]
    overdue = Recommendation.objects.get(deadline__year=2019)
    assert recommendations.count == 1  # type: ignore[attr-defined]
    assert recommendations.items[0][1] == reverse("evaluation:recommendation", args=[overdue.pk])  # type: ignore[attr-defined]
    assert recommendations.url == "/evaluations/recommendations/?status=pending&overdue=on"  # type: ignore[attr-defined]
    assert "Evaluations overdue" not in _tasks("mc.member@amis.example")
