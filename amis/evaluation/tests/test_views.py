"""The evaluation pages: 200 for the readers (the responsible authority, the audit authority, the
Monitoring Committee, a delegated authority officer within their programmes), 403 for the others;
the responsible authority's forms with dates as the reader's language writes them, 400 on bad input,
409 on a stale form; overdue evaluations and recommendations marked."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from amis.demo.evaluations import INTERIM_TITLE, MID_TERM_TITLE, load_evaluations
from amis.evaluation.models import Evaluation, EvaluationPlan, Recommendation
from amis.evaluation.tests.helpers import (
    ACCOUNTING,
    ASSESSOR,
    AUDITOR,
    CARITAS,
    DA,
    MC,
    PDF,
    RA_MANAGER,
    RA_OFFICER,
    VERIFIER,
    base,
    user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db: None) -> dict[str, Any]:
    base()
    load_evaluations(log=lambda m: None)
    return {
        "interim": Evaluation.objects.get(kind="interim"),
        "mid_term": Evaluation.objects.get(kind="mid_term"),
        "late": Recommendation.objects.get(deadline=dt.date(2019, 6, 30)),
    }


def _client(email: str, language: str = "en") -> Client:
    client = Client()
    client.force_login(user(email))
    client.cookies["django_language"] = language
    return client


def _pages(demo: dict[str, Any]) -> list[str]:
    interim = demo["interim"]
    return [
        reverse("evaluation:overview"),
        reverse("evaluation:plan", args=["2014BE65AMNP001"]),
        reverse("evaluation:evaluation", args=[interim.pk]),
        reverse("evaluation:report", args=[interim.pk, interim.reports.get().pk]),
        reverse("evaluation:recommendations"),
        reverse("evaluation:recommendation", args=[demo["late"].pk]),
    ]


@pytest.mark.parametrize("who", [RA_OFFICER, RA_MANAGER, AUDITOR, MC, DA])
def test_the_readers_see_the_pages(demo: dict[str, Any], who: str) -> None:
    client = _client(who)
    for url in _pages(demo):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", [VERIFIER, ACCOUNTING, ASSESSOR, CARITAS])
def test_the_others_are_refused(demo: dict[str, Any], who: str) -> None:
    client = _client(who)
    for url in _pages(demo):
        assert client.get(url).status_code == 403, url
    assert Client().get(reverse("evaluation:overview")).status_code == 302  # to the login page


def test_a_delegated_officer_reads_only_the_programmes_of_their_assignment(demo: dict[str, Any]) -> None:
    client = _client(DA)
    overview = client.get(reverse("evaluation:overview")).content.decode()
    assert INTERIM_TITLE in overview and MID_TERM_TITLE not in overview
    assert client.get(reverse("evaluation:evaluation", args=[demo["mid_term"].pk])).status_code == 404
    assert client.get(reverse("evaluation:plan", args=["2021BE65AMPR001"])).status_code == 404
    assert (
        b"Plan an evaluation" not in client.get(reverse("evaluation:plan", args=["2014BE65AMNP001"])).content
    )


def test_overdue_marks(demo: dict[str, Any]) -> None:
    client = _client(RA_OFFICER)
    plan_page = client.get(reverse("evaluation:plan", args=["2021BE65AMPR001"])).content.decode()
    assert MID_TERM_TITLE in plan_page and "overdue" in plan_page
    assert "Reg. (EU) 2021/1060 Art. 44(6)" in plan_page  # the plan's own deadline
    listing = client.get(reverse("evaluation:recommendations"), {"status": "pending", "overdue": "on"})
    text = listing.content.decode()
    assert listing.status_code == 200 and "1 recommendation." in text and "common result indicators" in text
    assert 'class="table-warning"' in text
    closed = client.get(reverse("evaluation:recommendations"), {"status": "closed"}).content.decode()
    assert "Shorten the time" in closed and "common result indicators" not in closed
    assert client.get(reverse("evaluation:recommendations"), {"status": "nonsense"}).status_code == 400


def test_the_authority_plans_and_follows_up_through_the_pages(demo: dict[str, Any]) -> None:
    client = _client(RA_OFFICER, "nl")
    plan_url = reverse("evaluation:plan", args=["2014BE65AMNP001"])
    create = reverse("evaluation:evaluation_create", args=["2014BE65AMNP001"])
    bad = client.post(create, {"kind": "ex_post", "title": "Ex-post", "evaluator_type": "internal"})
    assert bad.status_code == 400
    late = client.post(
        create,
        {
            "kind": "ex_post",
            "title": "Ex-post",
            "evaluator_type": "internal",
            "evaluator": "Dienst",
            "planned_start": "02/01/2023",
            "planned_end": "15/01/2024",
            "specific_objectives": ["SO1"],
        },
    )
    assert late.status_code == 400 and "2023-12-31" in late.content.decode()
    done = client.post(
        create,
        {
            "kind": "ex_post",
            "title": "Ex-post",
            "evaluator_type": "internal",
            "evaluator": "Dienst",
            "planned_start": "02/01/2023",
            "planned_end": "30/11/2023",
            "specific_objectives": ["SO1"],
        },
    )
    ex_post = Evaluation.objects.get(kind="ex_post")
    assert done.status_code == 302 and done["Location"] == reverse("evaluation:evaluation", args=[ex_post.pk])
    assert (ex_post.planned_end, ex_post.due_date) == (dt.date(2023, 11, 30), dt.date(2023, 12, 31))
    assert client.get(plan_url).status_code == 200
    page = reverse("evaluation:evaluation", args=[ex_post.pk])
    assert (
        client.post(
            reverse("evaluation:question_add", args=[ex_post.pk]),
            {"text": "Blijvend?", "criterion": "effectiveness"},
        ).status_code
        == 302
    )
    step = reverse("evaluation:evaluation_status", args=[ex_post.pk])
    assert (
        client.post(step, {"lock_version": 1, "status": "in_progress", "on": "02/01/2023"}).status_code == 409
    )
    assert (
        client.post(step, {"lock_version": 2, "status": "in_progress", "on": "02/01/2023"}).status_code == 302
    )
    upload = reverse("evaluation:report_upload", args=[ex_post.pk])
    wrong = client.post(upload, {"document": SimpleUploadedFile("r.pdf", b"not a pdf")})
    assert wrong.status_code == 400
    assert client.post(upload, {"document": SimpleUploadedFile("ex-post.pdf", PDF)}).status_code == 302
    assert (
        client.post(step, {"lock_version": 3, "status": "delivered", "on": "20/12/2023"}).status_code == 302
    )
    ex_post.refresh_from_db()
    assert ex_post.status == "delivered" and ex_post.delivered_on == dt.date(2023, 12, 20)
    shown = client.get(page).content.decode()
    assert "ex-post.pdf" in shown and "Blijvend?" in shown
    added = client.post(
        reverse("evaluation:recommendation_add", args=[ex_post.pk]),
        {"text": "Meer opvolging.", "addressed_to": "VA", "priority": "low"},
    )
    rec = Recommendation.objects.get(evaluation=ex_post)
    assert added.status_code == 302 and added["Location"] == reverse(
        "evaluation:recommendation", args=[rec.pk]
    )
    respond = reverse("evaluation:recommendation_response", args=[rec.pk])
    assert client.post(respond, {"lock_version": 1, "response": "accepted"}).status_code == 400
    assert (
        client.post(
            respond,
            {
                "lock_version": 1,
                "response": "accepted",
                "planned_action": "Een werkgroep.",
                "deadline": "31/12/2030",
            },
        ).status_code
        == 302
    )
    follow = reverse("evaluation:recommendation_status", args=[rec.pk])
    assert client.post(follow, {"lock_version": 2, "status": "in_progress"}).status_code == 302
    assert client.post(follow, {"lock_version": 3, "status": "implemented", "note": ""}).status_code == 400
    assert (
        client.post(follow, {"lock_version": 3, "status": "implemented", "note": "Klaar."}).status_code == 302
    )
    rec.refresh_from_db()
    assert rec.status == "implemented" and rec.deadline == dt.date(2030, 12, 31)
    history = client.get(reverse("evaluation:recommendation", args=[rec.pk])).content.decode()
    assert "Klaar." in history and "Een werkgroep." in history


def test_the_plan_pages_steps_and_a_new_plan(demo: dict[str, Any]) -> None:
    EvaluationPlan.objects.filter(programme__cci="2021BE65AMPR001").update(status="draft", lock_version=7)
    client = _client(RA_OFFICER)
    status = reverse("evaluation:plan_status", args=["2021BE65AMPR001"])
    assert client.post(status, {"lock_version": 7, "status": "submitted"}).status_code == 400  # no date
    assert (
        client.post(status, {"lock_version": 7, "status": "submitted", "on": "20/09/2023"}).status_code == 302
    )
    assert (
        client.post(
            status,
            {"lock_version": 8, "status": "approved", "on": "17/10/2023", "reference": "MC 17/10/2023"},
        ).status_code
        == 302
    )
    approved = EvaluationPlan.objects.get(programme__cci="2021BE65AMPR001")
    assert approved.status == "approved" and approved.approved_on == dt.date(2023, 10, 17)
    assert (
        client.post(
            reverse("evaluation:plan_create"), {"programme": "2014BE65AMNP001", "title": "X"}
        ).status_code
        == 400
    )
    assert _client(MC).post(status, {"lock_version": 9, "status": "draft"}).status_code == 403


def test_the_pages_in_the_readers_language(demo: dict[str, Any]) -> None:
    for language, word in (("nl", "Evaluaties"), ("fr", "Évaluations"), ("de", "Evaluierungen")):
        page = _client(RA_OFFICER, language).get(reverse("evaluation:overview")).content.decode()
        assert f"<h1>{word}</h1>" in page, language


def test_an_evaluation_in_progress_is_corrected(demo: dict[str, Any]) -> None:
    mid_term = demo["mid_term"]
    client = _client(RA_OFFICER)
    page = client.get(reverse("evaluation:evaluation", args=[mid_term.pk])).content.decode()
    assert "Change the evaluation" in page and 'value="SO4"' in page
    edit = reverse("evaluation:evaluation_edit", args=[mid_term.pk])
    data = {
        "edit-lock_version": mid_term.lock_version,
        "edit-title": "Mid-term evaluation 2021-2027",
        "edit-evaluator_type": "external",
        "edit-evaluator": "Consultancy",
        "edit-planned_start": "01/06/2023",
        "edit-planned_end": "30/04/2024",
        "edit-specific_objectives": ["SO2"],
    }
    late = client.post(edit, data)
    assert late.status_code == 400 and "2024-03-31" in late.content.decode()
    assert client.post(edit, {**data, "edit-planned_end": "29/03/2024"}).status_code == 302
    mid_term.refresh_from_db()
    assert (mid_term.title, mid_term.evaluator_type, mid_term.specific_objectives) == (
        "Mid-term evaluation 2021-2027",
        "external",
        ["SO2"],
    )
    assert mid_term.due_date == dt.date(2024, 3, 31)  # the regulation's, whatever is sent
    assert client.post(edit, {**data, "edit-planned_end": "29/03/2024"}).status_code == 409  # stale
    interim = demo["interim"]
    delivered = client.post(
        reverse("evaluation:evaluation_edit", args=[interim.pk]),
        {**data, "edit-lock_version": interim.lock_version, "edit-planned_end": "15/12/2017"},
    )
    assert delivered.status_code == 400 and "stays as it was delivered" in delivered.content.decode()
    assert _client(AUDITOR).post(edit, data).status_code == 403


def test_the_forms_offer_only_the_next_steps(demo: dict[str, Any]) -> None:
    client = _client(RA_OFFICER)
    ongoing = Recommendation.objects.get(status="in_progress")
    page = client.get(reverse("evaluation:recommendation", args=[ongoing.pk])).content.decode()
    assert '<option value="implemented">' in page and '<option value="closed">' in page
    assert '<option value="in_progress">' not in page
    delivered = client.get(reverse("evaluation:evaluation", args=[demo["interim"].pk])).content.decode()
    assert '<option value="published">' in delivered and '<option value="in_progress">' not in delivered
