"""The whole path after submission: eligibility, two assessors, consolidation, double funding,
ranking and proposal, the Monitoring Committee's decision, notification and the project."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail

from amis.accounts import services as accounts
from amis.accounts.models import User
from amis.accounts.services import SegregationOfDutiesError
from amis.applications import services
from amis.applications.models import Application
from amis.calls import services as call_services
from amis.calls.models import Call
from amis.core.errors import ApplicationError
from amis.demo.calls import CODE, load_calls
from amis.demo.people import load_people
from amis.integrity import services as integrity
from amis.integrity.models import DoubleFundingFlag
from amis.organisations.models import Organisation
from amis.projects.models import Project
from amis.selection import selectors as selection_selectors
from amis.selection import services as selection

pytestmark = pytest.mark.django_db
SCORES_HIGH = {"A1": "35", "A2": "30", "A3": "20"}
SCORES_LOW = {"A1": "21", "A2": "18", "A3": "13"}
WHY = {"A1": "Fits action 13.", "A2": "Sound method.", "A3": "Reasonable costs."}


@pytest.fixture
def closed(belgian: Any) -> dict[str, Any]:
    load_people(log=lambda m: None)
    load_calls(log=lambda m: None)
    call = Call.objects.get(code=CODE)
    caritas_user = User.objects.get(email="beneficiary@caritas.example")
    draft = Application.objects.get(status="draft")
    services.application_submit(
        actor=caritas_user, application=draft, expected_lock_version=draft.lock_version
    )
    da = User.objects.get(email="da.flanders@amis.example")
    call = call_services.call_transition(
        actor=da, call=call, status="closed", expected_lock_version=call.lock_version
    )
    second = User.objects.get(email="assessor2@amis.example")
    return {
        "call": call,
        "da": da,
        "a1": User.objects.get(email="assessor@amis.example"),
        "a2": second,
        "mc": User.objects.get(email="mc.member@amis.example"),
        "apps": {a.organisation.short_name: a for a in call.applications.all()},
    }


def _eligible(w: dict[str, Any]) -> None:
    for app in w["apps"].values():
        selection.check_eligibility(
            actor=w["da"], application=app, answers={"E1": {"met": True}, "E2": {"met": True}}
        )


def test_the_whole_path_to_a_project(
    closed: dict[str, Any], django_capture_on_commit_callbacks: Any, run_worker: Callable[[], None]
) -> None:
    w = closed
    _eligible(w)
    rk, car = w["apps"]["Rode Kruis"], w["apps"]["Caritas"]
    for app in (rk, car):
        selection.assess(
            actor=w["a1"],
            application=app,
            no_conflict_of_interest=True,
            scores=SCORES_HIGH,
            justifications=WHY,
        )
    selection.assess(
        actor=w["a2"], application=rk, no_conflict_of_interest=True, scores=SCORES_HIGH, justifications=WHY
    )
    selection.assess(
        actor=w["a2"], application=car, no_conflict_of_interest=True, scores=SCORES_LOW, justifications=WHY
    )
    car.refresh_from_db()
    state = selection_selectors.assessment_state(car)
    assert state["divergent"] and not state["complete"] and car.status == "eligible"
    with pytest.raises(ApplicationError, match="Assessment is not complete"):
        selection.rank_and_propose(actor=w["da"], call=w["call"])
    selection.consolidate(
        actor=w["da"],
        application=car,
        scores={"A1": "30", "A2": "25", "A3": "15"},
        note="Panel agreed on the method's strengths.",
    )
    assert selection_selectors.assessment_state(car)["total"] == "70"

    ranking = selection.rank_and_propose(actor=w["da"], call=w["call"])
    assert [(r["reference"], r["outcome"]) for r in ranking.rows] == [
        (rk.reference, "proposed"),
        (car.reference, "proposed"),
    ]
    assert ranking.budget_used == 224700

    meeting = selection.meeting_plan(
        actor=w["da"],
        call=Call.objects.get(pk=w["call"].pk),
        date=dt.date(2026, 12, 15),
        agenda="Selection of call FL-AMIF-INT-01",
    )
    selection.record_decision(actor=w["mc"], meeting=meeting, application=rk, decision="approve")
    selection.record_decision(
        actor=w["mc"],
        meeting=meeting,
        application=car,
        decision="reject",
        note="Overlap with an existing Flemish programme.",
    )
    with pytest.raises(ApplicationError, match="minutes"):
        selection.close_meeting(actor=w["mc"], meeting=meeting, minutes=" ")
    with django_capture_on_commit_callbacks(execute=True):
        changed = selection.close_meeting(
            actor=w["mc"], meeting=meeting, minutes="Approved RK, rejected Caritas."
        )
    assert {a.reference: a.status for a in changed} == {rk.reference: "selected", car.reference: "rejected"}
    project = Project.objects.get()
    assert project.reference == f"P-{rk.reference}" and project.eu_contribution == 112350
    assert Call.objects.get(pk=w["call"].pk).status == "decided"
    assert mail.outbox == []  # queued for the worker, not sent while closing the meeting
    run_worker()
    assert len(mail.outbox) == 2
    assert any("Overlap with an existing Flemish programme." in m.body for m in mail.outbox)


def test_eligibility_needs_reasons_and_can_exclude(closed: dict[str, Any]) -> None:
    app = closed["apps"]["Caritas"]
    with pytest.raises(ApplicationError, match="Give the reason"):
        selection.check_eligibility(
            actor=closed["da"], application=app, answers={"E1": {"met": False}, "E2": {"met": True}}
        )
    app.refresh_from_db()
    assert app.status == "submitted"
    done = selection.check_eligibility(
        actor=closed["da"],
        application=app,
        answers={"E1": {"met": False, "reason": "Seat in Wallonia"}, "E2": {"met": True}},
    )
    assert done.status == "ineligible"


def test_an_assessor_declares_no_conflict_and_cannot_decide(closed: dict[str, Any]) -> None:
    _eligible(closed)
    app = closed["apps"]["Caritas"]
    with pytest.raises(ApplicationError, match="no conflict of interest"):
        selection.assess(
            actor=closed["a1"],
            application=app,
            no_conflict_of_interest=False,
            scores=SCORES_HIGH,
            justifications=WHY,
        )
    accounts.conflict_of_interest_declare(
        user=closed["a2"], organisation=app.organisation, reason="Volunteer there"
    )
    with pytest.raises(SegregationOfDutiesError, match="conflict of interest"):
        selection.assess(
            actor=closed["a2"],
            application=app,
            no_conflict_of_interest=True,
            scores=SCORES_HIGH,
            justifications=WHY,
        )
    with pytest.raises(ApplicationError, match="between 0 and 40"):
        selection.assess(
            actor=closed["a1"],
            application=app,
            no_conflict_of_interest=True,
            scores={**SCORES_HIGH, "A1": "45"},
            justifications=WHY,
        )
    selection.assess(
        actor=closed["a1"],
        application=app,
        no_conflict_of_interest=True,
        scores=SCORES_HIGH,
        justifications=WHY,
    )
    accounts.role_assign(
        user=closed["a1"], role="mc_member", organisation=Organisation.objects.get(short_name="MC")
    )
    fresh = User.objects.get(pk=closed["a1"].pk)
    from amis.selection.models import CommitteeMeeting

    meeting = CommitteeMeeting.objects.create(call=closed["call"], date=dt.date(2026, 12, 15), agenda="x")
    Application.objects.filter(pk=app.pk).update(status="proposed")
    with pytest.raises(SegregationOfDutiesError, match="another person must take the decision"):
        selection.record_decision(actor=fresh, meeting=meeting, application=app, decision="approve")


def test_double_funding_flags_block_the_proposal_until_cleared(closed: dict[str, Any]) -> None:
    _eligible(closed)
    for app in closed["apps"].values():
        for assessor in (closed["a1"], closed["a2"]):
            selection.assess(
                actor=assessor,
                application=app,
                no_conflict_of_interest=True,
                scores=SCORES_HIGH,
                justifications=WHY,
            )
    year = closed["call"].eligible_start.year
    csv = (
        "beneficiary;enterprise_number;identifier;title;description;start;end;total;eu\n"
        f"Caritas;0401.234.560;ESF-{year}-117;Taal en werk;Trajecten taal en werk voor nieuwkomers;"
        f"01/03/{year};31/12/{year + 1};250.000,00;100.000,00\n"
    ).encode()
    with pytest.raises(ApplicationError, match="row 2"):
        integrity.import_other_fund_projects(
            actor=closed["da"], data=csv.replace(b"01/03", b"31/02"), filename="esf.csv", fund="ESF"
        )
    assert (
        integrity.import_other_fund_projects(actor=closed["da"], data=csv, filename="esf.csv", fund="ESF")
        == 1
    )
    assert integrity.refresh_double_funding_flags(actor=closed["da"], call=closed["call"]) == 1
    flag = DoubleFundingFlag.objects.get()
    assert flag.application.organisation.short_name == "Caritas" and flag.overlap_days == 306
    with pytest.raises(ApplicationError, match="Clear the double-funding flags"):
        selection.rank_and_propose(actor=closed["da"], call=closed["call"])
    with pytest.raises(ApplicationError, match="Say why"):
        integrity.clear_flag(actor=closed["da"], flag=flag, reason="")
    integrity.clear_flag(
        actor=closed["da"], flag=flag, reason="ESF pays the language courses, AMIF the coaching."
    )
    ranking = selection.rank_and_propose(actor=closed["da"], call=closed["call"])
    assert {r["outcome"] for r in ranking.rows} == {"proposed"}
