"""The evaluation services: the plan's, an evaluation's and a recommendation's steps, the refusals
(each written to the audit trail, also when the transaction rolls back), who may write, and the
optimistic lock."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from amis.core.audit import AuditEntry, verify_chain
from amis.core.errors import ApplicationError, StaleObjectError
from amis.evaluation import services
from amis.evaluation.models import Evaluation, EvaluationPlan, Recommendation, RecommendationEvent
from amis.evaluation.tests.helpers import (
    AUDITOR,
    CARITAS,
    DA,
    MC,
    PDF,
    RA_MANAGER,
    RA_OFFICER,
    VERIFIER,
    base,
    interim,
    plan,
    recommendation,
    user,
)
from amis.programme.models import Programme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _people(db: None) -> None:
    base()


def _refusals(event: str = "change_refused") -> int:
    return AuditEntry.objects.filter(action=event).count()


def test_the_plan_is_drafted_submitted_and_approved() -> None:
    officer = user(RA_OFFICER)
    the_plan = plan()
    assert the_plan.status == "draft" and the_plan.lock_version == 1
    with pytest.raises(ApplicationError, match="at least one evaluation"):
        services.plan_status_change(
            actor=officer, plan=the_plan, expected_lock_version=1, status="submitted", on=dt.date(2016, 3, 15)
        )
    assert _refusals() == 1  # kept although the service rolled back
    interim(the_plan)
    with pytest.raises(ApplicationError, match="cannot become"):
        services.plan_status_change(
            actor=officer, plan=the_plan, expected_lock_version=1, status="approved", on=dt.date(2016, 4, 1)
        )
    with pytest.raises(ApplicationError, match="future"):
        services.plan_status_change(
            actor=officer,
            plan=the_plan,
            expected_lock_version=1,
            status="submitted",
            on=dt.date.today() + dt.timedelta(days=2),
        )
    the_plan = services.plan_status_change(
        actor=officer, plan=the_plan, expected_lock_version=1, status="submitted", on=dt.date(2016, 3, 15)
    )
    assert the_plan.status == "submitted" and the_plan.submitted_on == dt.date(2016, 3, 15)
    with pytest.raises(ApplicationError, match="after it was submitted"):
        services.plan_status_change(
            actor=officer, plan=the_plan, expected_lock_version=2, status="approved", on=dt.date(2016, 3, 1)
        )
    with pytest.raises(ApplicationError, match="draft plan"):
        services.plan_update(
            actor=officer, plan=the_plan, expected_lock_version=2, title="New", description=""
        )
    approved = services.plan_status_change(
        actor=user(RA_MANAGER),
        plan=the_plan,
        expected_lock_version=2,
        status="approved",
        on=dt.date(2016, 4, 20),
        reference="MC of 20 April 2016",
    )
    assert approved.status == "approved" and approved.approved_on == dt.date(2016, 4, 20)
    assert approved.approval_reference == "MC of 20 April 2016" and approved.lock_version == 3
    assert _refusals() == 5
    entries = AuditEntry.objects.filter(object_type="evaluation.EvaluationPlan", action="status")
    assert [(e.after or {})["status"] for e in entries.order_by("sequence")] == ["submitted", "approved"]
    assert verify_chain().ok


def test_a_submitted_plan_returns_to_draft_and_changes() -> None:
    officer = user(RA_OFFICER)
    the_plan = interim().plan
    the_plan = services.plan_status_change(
        actor=officer, plan=the_plan, expected_lock_version=1, status="submitted", on=dt.date(2016, 3, 15)
    )
    the_plan = services.plan_status_change(
        actor=officer, plan=the_plan, expected_lock_version=2, status="draft"
    )
    assert the_plan.status == "draft" and the_plan.submitted_on is None
    changed = services.plan_update(
        actor=officer, plan=the_plan, expected_lock_version=3, title="Plan v2", description="With ISF"
    )
    assert (changed.title, changed.description, changed.lock_version) == ("Plan v2", "With ISF", 4)


def test_one_plan_a_programme_and_a_stale_form_is_refused() -> None:
    the_plan = plan()
    with pytest.raises(ApplicationError, match="already has"):
        plan()
    services.plan_update(
        actor=user(RA_OFFICER), plan=the_plan, expected_lock_version=1, title="A", description=""
    )
    with pytest.raises(StaleObjectError):
        services.plan_update(
            actor=user(RA_MANAGER), plan=the_plan, expected_lock_version=1, title="B", description=""
        )
    the_plan.refresh_from_db()
    assert the_plan.title == "A" and the_plan.lock_version == 2


@pytest.mark.parametrize("who", [MC, AUDITOR, DA, VERIFIER, CARITAS])
def test_only_the_responsible_authority_writes(who: str) -> None:
    the_plan = plan()
    before = _refusals("permission_refused")
    with pytest.raises(PermissionDenied):
        services.plan_create(
            actor=user(who), programme=Programme.objects.get(cci="2021BE65AMPR001"), title="X"
        )
    with pytest.raises(PermissionDenied):
        services.evaluation_create(
            actor=user(who),
            plan=the_plan,
            kind="thematic",
            title="X",
            evaluator_type="internal",
            evaluator="X",
            planned_start=dt.date(2018, 1, 1),
            planned_end=dt.date(2018, 6, 1),
        )
    assert _refusals("permission_refused") == before + 2
    assert EvaluationPlan.objects.count() == 1 and Evaluation.objects.count() == 0


def test_an_evaluation_takes_the_regulations_due_date_and_article() -> None:
    evaluation = interim()
    assert evaluation.due_date == dt.date(2017, 12, 31)
    assert evaluation.due_basis == "Reg. (EU) No 514/2014 Art. 57(1)(a)"
    assert evaluation.specific_objectives == ["SO1", "SO2"]  # in the programme's order
    thematic = services.evaluation_create(
        actor=user(RA_OFFICER),
        plan=evaluation.plan,
        kind="thematic",
        title="Legal aid",
        evaluator_type="external",
        evaluator="A firm",
        planned_start=dt.date(2019, 1, 1),
        planned_end=dt.date(2019, 6, 1),
        due_date=dt.date(2019, 6, 30),
    )
    assert thematic.due_date == dt.date(2019, 6, 30) and thematic.due_basis == ""


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "mid_term"}, "plans these evaluations"),
        ({"specific_objectives": ["SO9"]}, "Not a specific objective"),
        ({"planned_end": dt.date(2018, 3, 1)}, "due by 2017-12-31"),
        ({"planned_end": dt.date(2016, 12, 1)}, "planned end comes after"),
        ({"evaluator": " "}, "Name the evaluator"),
        ({"evaluator_type": "friend"}, "internal or external"),
        ({"title": ""}, "title"),
    ],
)
def test_a_wrong_evaluation_is_refused_and_audited(changes: dict, message: str) -> None:
    the_plan = plan()
    fields = {
        "kind": "interim",
        "title": "Interim",
        "evaluator_type": "internal",
        "evaluator": "Service",
        "planned_start": dt.date(2017, 1, 9),
        "planned_end": dt.date(2017, 12, 15),
        **changes,
    }
    with pytest.raises(ApplicationError, match=message):
        services.evaluation_create(actor=user(RA_OFFICER), plan=the_plan, **fields)
    assert Evaluation.objects.count() == 0 and _refusals() == 1


def test_the_evaluations_steps() -> None:
    officer = user(RA_OFFICER)
    evaluation = interim()
    question = services.question_add(
        actor=officer, evaluation=evaluation, text="Did it work?", criterion="effectiveness"
    )
    second = services.question_add(
        actor=officer, evaluation=evaluation, text="At what cost?", criterion="efficiency"
    )
    assert (question.number, second.number) == (1, 2)
    evaluation.refresh_from_db()
    with pytest.raises(ApplicationError, match="cannot become"):
        services.evaluation_status_change(
            actor=officer,
            evaluation=evaluation,
            expected_lock_version=evaluation.lock_version,
            status="delivered",
            on=dt.date(2017, 12, 1),
        )
    with pytest.raises(ApplicationError, match="in progress or delivered"):
        services.report_upload(actor=officer, evaluation=evaluation, name="r.pdf", data=PDF)
    evaluation = services.evaluation_status_change(
        actor=officer,
        evaluation=evaluation,
        expected_lock_version=evaluation.lock_version,
        status="in_progress",
        on=dt.date(2017, 1, 9),
    )
    with pytest.raises(ApplicationError, match="Upload the evaluation report first"):
        services.evaluation_status_change(
            actor=officer,
            evaluation=evaluation,
            expected_lock_version=evaluation.lock_version,
            status="delivered",
            on=dt.date(2017, 12, 1),
        )
    with pytest.raises(ApplicationError, match="not really a .pdf"):
        services.report_upload(actor=officer, evaluation=evaluation, name="r.pdf", data=b"MZ executable")
    report = services.report_upload(actor=officer, evaluation=evaluation, name="../r.pdf", data=PDF)
    assert report.name == "r.pdf" and len(report.sha256) == 64
    with pytest.raises(ApplicationError, match="after the work started"):
        services.evaluation_status_change(
            actor=officer,
            evaluation=evaluation,
            expected_lock_version=evaluation.lock_version,
            status="delivered",
            on=dt.date(2016, 12, 1),
        )
    evaluation = services.evaluation_status_change(
        actor=officer,
        evaluation=evaluation,
        expected_lock_version=evaluation.lock_version,
        status="delivered",
        on=dt.date(2017, 12, 15),
    )
    assert evaluation.status == "delivered" and evaluation.delivered_on == dt.date(2017, 12, 15)
    with pytest.raises(ApplicationError, match="before the report is delivered"):
        services.question_add(actor=officer, evaluation=evaluation, text="Late?", criterion="relevance")
    with pytest.raises(StaleObjectError):
        services.evaluation_status_change(
            actor=officer,
            evaluation=evaluation,
            expected_lock_version=1,
            status="published",
            on=dt.date(2018, 1, 10),
        )
    published = services.evaluation_status_change(
        actor=officer,
        evaluation=evaluation,
        expected_lock_version=evaluation.lock_version,
        status="published",
        on=dt.date(2018, 1, 10),
    )
    assert published.status == "published" and published.published_on == dt.date(2018, 1, 10)
    with pytest.raises(ApplicationError, match="in progress or delivered"):
        services.report_upload(actor=officer, evaluation=published, name="r2.pdf", data=PDF)
    assert _refusals() == 8  # the stale edit is a refusal too


def test_recommendations_come_from_a_delivered_report() -> None:
    first = recommendation()
    second = recommendation(first.evaluation, "Again.")
    planned = services.evaluation_create(
        actor=user(RA_OFFICER),
        plan=first.evaluation.plan,
        kind="ex_post",
        title="Ex-post",
        evaluator_type="internal",
        evaluator="Service",
        planned_start=dt.date(2023, 1, 2),
        planned_end=dt.date(2023, 11, 30),
    )
    with pytest.raises(ApplicationError, match="delivered report"):
        recommendation(planned)
    assert (first.number, second.number) == (1, 2)
    assert list(first.events.values_list("kind", "to_status")) == [("recorded", "open")]


def test_a_recommendation_is_followed_up_to_closure() -> None:
    officer = user(RA_OFFICER)
    rec = recommendation()
    with pytest.raises(ApplicationError, match="response first"):
        services.recommendation_status_change(
            actor=officer, recommendation=rec, expected_lock_version=1, status="in_progress"
        )
    with pytest.raises(ApplicationError, match="action planned"):
        services.recommendation_respond(
            actor=officer, recommendation=rec, expected_lock_version=1, response="accepted"
        )
    with pytest.raises(ApplicationError, match="deadline"):
        services.recommendation_respond(
            actor=officer,
            recommendation=rec,
            expected_lock_version=1,
            response="accepted",
            planned_action="Do it.",
        )
    with pytest.raises(ApplicationError, match="not accepted in full"):
        services.recommendation_respond(
            actor=officer,
            recommendation=rec,
            expected_lock_version=1,
            response="partly",
            planned_action="Half.",
            deadline=dt.date(2019, 1, 1),
        )
    rec = services.recommendation_respond(
        actor=officer,
        recommendation=rec,
        expected_lock_version=1,
        response="accepted",
        planned_action="A new procedure.",
        deadline=dt.date(2019, 1, 1),
    )
    assert (rec.response, rec.deadline, rec.lock_version) == ("accepted", dt.date(2019, 1, 1), 2)
    with pytest.raises(ApplicationError, match="cannot become"):
        services.recommendation_status_change(
            actor=officer, recommendation=rec, expected_lock_version=2, status="implemented", note="Done."
        )
    rec = services.recommendation_status_change(
        actor=officer, recommendation=rec, expected_lock_version=2, status="in_progress"
    )
    with pytest.raises(ApplicationError, match="closing note"):
        services.recommendation_status_change(
            actor=officer, recommendation=rec, expected_lock_version=3, status="implemented", note=" "
        )
    with pytest.raises(ApplicationError, match="while the recommendation is open"):
        services.recommendation_respond(
            actor=officer, recommendation=rec, expected_lock_version=3, response="rejected", reason="No."
        )
    with pytest.raises(StaleObjectError):
        services.recommendation_status_change(
            actor=officer, recommendation=rec, expected_lock_version=2, status="implemented", note="Done."
        )
    rec = services.recommendation_status_change(
        actor=officer,
        recommendation=rec,
        expected_lock_version=3,
        status="implemented",
        note="Procedure in force.",
    )
    assert rec.status == "implemented" and rec.closing_note == "Procedure in force." and rec.closed_on
    history = list(
        RecommendationEvent.objects.filter(recommendation=rec)
        .order_by("pk")
        .values_list("kind", "to_status", "note")
    )
    assert history == [
        ("recorded", "open", ""),
        ("response", "open", "accepted"),
        ("status", "in_progress", ""),
        ("status", "implemented", "Procedure in force."),
    ]
    assert _refusals() == 8  # the stale edit is a refusal too
    assert verify_chain().ok


def test_a_rejected_recommendation_is_closed_not_followed_up() -> None:
    officer = user(RA_OFFICER)
    rec = recommendation()
    with pytest.raises(ApplicationError, match="not accepted in full"):
        services.recommendation_respond(
            actor=officer, recommendation=rec, expected_lock_version=1, response="rejected"
        )
    rec = services.recommendation_respond(
        actor=officer,
        recommendation=rec,
        expected_lock_version=1,
        response="rejected",
        reason="Outside the Fund's scope.",
        planned_action="ignored",
        deadline=dt.date(2030, 1, 1),
    )
    assert rec.planned_action == "" and rec.deadline is None
    with pytest.raises(ApplicationError, match="closed, not followed up"):
        services.recommendation_status_change(
            actor=officer, recommendation=rec, expected_lock_version=2, status="in_progress"
        )
    closed = services.recommendation_status_change(
        actor=officer,
        recommendation=rec,
        expected_lock_version=2,
        status="closed",
        note="Rejected: outside the scope.",
    )
    assert closed.status == Recommendation.Status.CLOSED
    assert closed.events.last().note == "Rejected: outside the scope."  # type: ignore[union-attr]
