"""The Monitoring Committee's safeguards: no decision preset, a reason for every rejection,
postponement or departure from the proposal, a decision for every application before the meeting
closes, the amounts, scores and justifications in front of the members, a confirmation naming what
closing does, and the applicants' e-mails actually sent. Refused in the services and on the page."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from amis.accounts.models import User
from amis.applications import services as applications
from amis.applications.models import Application
from amis.calls import services as call_services
from amis.calls.models import Call
from amis.core.errors import ApplicationError
from amis.demo.calls import CODE, load_calls
from amis.demo.people import load_people
from amis.selection import services as selection
from amis.selection.models import CommitteeDecision, CommitteeMeeting

pytestmark = pytest.mark.django_db
HIGH = {"A1": "35", "A2": "30", "A3": "20"}
WHY = {"A1": "Fits action 13 closely.", "A2": "Sound coaching method.", "A3": "Reasonable costs."}


@pytest.fixture
def planned(belgian: Any) -> dict[str, Any]:
    """The demo's open call, closed, checked, assessed by two assessors, ranked, a meeting planned."""
    load_people(log=lambda m: None)
    load_calls(log=lambda m: None)
    call = Call.objects.get(code=CODE)
    draft = Application.objects.get(status="draft")
    applications.application_submit(
        actor=User.objects.get(email="beneficiary@caritas.example"),
        application=draft,
        expected_lock_version=draft.lock_version,
    )
    da = User.objects.get(email="da.flanders@amis.example")
    call = call_services.call_transition(
        actor=da, call=call, status="closed", expected_lock_version=call.lock_version
    )
    for app in call.applications.all():
        selection.check_eligibility(
            actor=da, application=app, answers={"E1": {"met": True}, "E2": {"met": True}}
        )
        for email in ("assessor@amis.example", "assessor2@amis.example"):
            selection.assess(
                actor=User.objects.get(email=email),
                application=app,
                no_conflict_of_interest=True,
                scores=HIGH,
                justifications=WHY,
            )
    selection.rank_and_propose(actor=da, call=call)
    meeting = selection.meeting_plan(
        actor=da, call=Call.objects.get(pk=call.pk), date=dt.date(2026, 12, 15), agenda="Selection"
    )
    apps = {a.organisation.short_name: a for a in call.applications.select_related("organisation")}
    assert {a.status for a in apps.values()} == {"proposed"}
    return {
        "call": call,
        "da": da,
        "meeting": meeting,
        "mc": User.objects.get(email="mc.member@amis.example"),
        "rk": apps["Rode Kruis"],
        "car": apps["Caritas"],
    }


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- services ---------------------------------------------------------------------------------------


def test_a_rejection_and_a_postponement_need_a_reason(planned: dict[str, Any]) -> None:
    w = planned
    for decision in ("reject", "postpone"):
        with pytest.raises(ApplicationError, match="Give the reason"):
            selection.record_decision(
                actor=w["mc"], meeting=w["meeting"], application=w["car"], decision=decision, note="  "
            )
    assert not CommitteeDecision.objects.exists()
    row = selection.record_decision(
        actor=w["mc"], meeting=w["meeting"], application=w["car"], decision="reject", note="Overlap."
    )
    assert row.note == "Overlap."


def test_approving_what_was_not_proposed_needs_a_reason(planned: dict[str, Any]) -> None:
    w = planned
    Application.objects.filter(pk=w["car"].pk).update(status="reserve")
    with pytest.raises(ApplicationError, match="departs from the proposal"):
        selection.record_decision(
            actor=w["mc"], meeting=w["meeting"], application=w["car"], decision="approve"
        )
    selection.record_decision(
        actor=w["mc"], meeting=w["meeting"], application=w["car"], decision="approve", note="Budget freed."
    )
    # approving a proposed application follows the proposal: no reason needed
    selection.record_decision(actor=w["mc"], meeting=w["meeting"], application=w["rk"], decision="approve")


def test_there_is_no_default_decision(planned: dict[str, Any]) -> None:
    w = planned
    with pytest.raises(ApplicationError, match="Choose the decision"):
        selection.record_decision(actor=w["mc"], meeting=w["meeting"], application=w["rk"], decision="")


def test_a_meeting_does_not_close_until_every_application_has_its_decision(
    planned: dict[str, Any], django_capture_on_commit_callbacks: Any, run_worker: Callable[[], None]
) -> None:
    w = planned
    with pytest.raises(
        ApplicationError, match=f"Record a decision on {w['rk'].reference}, {w['car'].reference} "
    ):
        selection.close_meeting(actor=w["mc"], meeting=w["meeting"], minutes="Nothing decided.")
    selection.record_decision(actor=w["mc"], meeting=w["meeting"], application=w["rk"], decision="approve")
    with pytest.raises(ApplicationError, match=f"Record a decision on {w['car'].reference} "):
        selection.close_meeting(actor=w["mc"], meeting=w["meeting"], minutes="Half decided.")
    assert CommitteeMeeting.objects.get(pk=w["meeting"].pk).status == "planned"
    selection.record_decision(
        actor=w["mc"], meeting=w["meeting"], application=w["car"], decision="reject", note="Overlap."
    )
    with django_capture_on_commit_callbacks(execute=True):
        changed = selection.close_meeting(actor=w["mc"], meeting=w["meeting"], minutes="Both decided.")
    assert {a.reference: a.status for a in changed} == {
        w["rk"].reference: "selected",
        w["car"].reference: "rejected",
    }
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "beneficiary@caritas.example",
        "beneficiary@redcross.example",
    ]
    rejected = next(m for m in mail.outbox if w["car"].reference in m.subject)
    assert "{" not in rejected.body and "'A1'" not in rejected.body  # no Python values in the e-mail
    assert "- A1 Relevance to action 13: 35.00" in rejected.body
    assert "Reason: Overlap." in rejected.body


# --- pages ------------------------------------------------------------------------------------------


def test_the_members_see_amounts_scores_and_justifications_and_nothing_is_preset(
    planned: dict[str, Any],
) -> None:
    w = planned
    page = _client(w["mc"]).get(f"/meetings/{w['meeting'].pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "112,350.00" in html  # the EU contribution requested
    assert "Fits action 13 closely." in html and "Sound coaching method." in html
    assert "Relevance to action 13" in html
    assert "checked" not in re.sub(r"<(?!input)[^>]*>", "", html)  # no radio preselected
    assert 'name="' + w["rk"].reference + '-decision"' in html


def test_the_page_refuses_a_rejection_without_reason_and_a_missing_choice(planned: dict[str, Any]) -> None:
    w = planned
    client = _client(w["mc"])
    url = f"/meetings/{w['meeting'].pk}/"
    ref = w["car"].reference
    response = client.post(url, {"action": "decide", "application": ref, f"{ref}-decision": "reject"})
    assert response.status_code == 400
    assert "Give the reason for this decision." in response.content.decode()
    response = client.post(url, {"action": "decide", "application": ref, f"{ref}-note": "Why not"})
    assert response.status_code == 400
    assert not CommitteeDecision.objects.exists()


def test_closing_is_refused_until_every_decision_then_confirmed_then_mailed(
    planned: dict[str, Any], django_capture_on_commit_callbacks: Any, run_worker: Callable[[], None]
) -> None:
    w = planned
    client = _client(w["mc"])
    url = f"/meetings/{w['meeting'].pk}/"
    response = client.post(url, {"action": "close", "minutes": "Nothing decided."})
    assert response.status_code == 400
    assert "Record a decision on" in response.content.decode()
    rk, car = w["rk"].reference, w["car"].reference
    assert (
        client.post(url, {"action": "decide", "application": rk, f"{rk}-decision": "approve"}).status_code
        == 302
    )
    assert (
        client.post(
            url,
            {"action": "decide", "application": car, f"{car}-decision": "reject", f"{car}-note": "Overlap."},
        ).status_code
        == 302
    )
    confirm = client.post(url, {"action": "close", "minutes": "Both decided."})
    assert confirm.status_code == 200
    html = confirm.content.decode().split("<h1>", 1)[1]
    assert "It cannot be undone" in html and "by e-mail" in html
    assert html.index("Selected") < html.index(rk) < html.index("Rejected") < html.index(car)
    assert CommitteeMeeting.objects.get(pk=w["meeting"].pk).status == "planned"
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            url, {"action": "close", "minutes": "Both decided.", "confirm": "yes"}, follow=True
        )
    assert "2 applicants are sent the decision by e-mail" in done.content.decode()
    assert CommitteeMeeting.objects.get(pk=w["meeting"].pk).status == "held"
    run_worker()
    assert len(mail.outbox) == 2


def test_the_officer_who_planned_and_the_auditor_read_the_meeting(planned: dict[str, Any]) -> None:
    w = planned
    for email in ("da.flanders@amis.example", "auditor@amis.example"):
        page = _client(User.objects.get(email=email)).get(f"/meetings/{w['meeting'].pk}/")
        assert page.status_code == 200, email
        assert "Record the decision on" not in page.content.decode()
        assert (
            _client(User.objects.get(email=email))
            .post(f"/meetings/{w['meeting'].pk}/", {"action": "close", "minutes": "x"})
            .status_code
            == 403
        )


def test_the_call_is_not_marked_decided_while_applications_wait_for_the_committee(
    planned: dict[str, Any],
) -> None:
    w = planned
    call = Call.objects.get(pk=w["call"].pk)
    with pytest.raises(ApplicationError, match="still wait for the Monitoring Committee"):
        call_services.call_transition(
            actor=w["da"], call=call, status="decided", expected_lock_version=call.lock_version
        )
    page = _client(w["da"]).get(f"/calls/{call.code}/").content.decode()
    assert "Mark the call as decided" not in page
    assert f'href="/meetings/{w["meeting"].pk}/"' in page  # the planning officer's link opens


# --- the meeting page with many applications ----------------------------------------------------------


def test_the_meeting_page_shows_fifty_applications_a_page() -> None:
    from amis.selection import views

    assert views.MEETING_PAGE_SIZE == 50


def test_the_meeting_page_is_paginated_and_keeps_its_filters(
    planned: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from amis.selection import views

    monkeypatch.setattr(views, "MEETING_PAGE_SIZE", 1)  # two applications on the agenda: two pages
    w = planned
    first, second = sorted([w["car"].reference, w["rk"].reference])
    client = _client(w["mc"])
    url = f"/meetings/{w['meeting'].pk}/"
    html = client.get(url).content.decode()
    assert f'id="app-{first}"' in html and f'id="app-{second}"' not in html
    assert "2 applications." in html and "Page 1 of 2" in html and 'href="?page=2"' in html
    html = client.get(url, {"page": 2}).content.decode()
    assert f'id="app-{second}"' in html and f'id="app-{first}"' not in html

    # the pagination links keep the filters
    html = client.get(url, {"outcome": "proposed"}).content.decode()
    assert 'href="?outcome=proposed&amp;page=2"' in html
    assert '<option value="proposed" selected>' in html

    # a decision recorded on page 2 of a filtered list comes back to that page and those filters
    response = client.post(
        f"{url}?outcome=proposed&page=2",
        {"action": "decide", "application": second, f"{second}-decision": "approve"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{url}?outcome=proposed&page=2"

    # filtered by the decision so far, and by text (reference, title or applicant)
    html = client.get(url, {"decision": "undecided"}).content.decode()
    assert f'id="app-{first}"' in html and "1 application." in html and "Page 1 of" not in html
    html = client.get(url, {"decision": "approve"}).content.decode()
    assert f'id="app-{second}"' in html and f'id="app-{first}"' not in html
    html = client.get(url, {"q": "caritas"}).content.decode()
    assert f'id="app-{w["car"].reference}"' in html and f'id="app-{w["rk"].reference}"' not in html
    html = client.get(url, {"q": "no such applicant"}).content.decode()
    assert "No application matches these filters." in html and "0 applications." in html

    # unknown filter values and pages are ignored, never a 500
    response = client.get(url, {"decision": "maybe", "outcome": "<b>", "page": "x"})
    assert response.status_code == 200 and f'id="app-{first}"' in response.content.decode()


def test_the_meeting_selector_pages_with_a_fixed_number_of_queries(
    planned: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    from amis.selection import selectors

    meeting = planned["meeting"]
    with django_assert_max_num_queries(12):
        rows = selectors.meeting_agenda(meeting, selectors.meeting_applications(meeting)[:50])
    assert [r["app"].reference for r in rows] == sorted(r["app"].reference for r in rows)
    assert all(r["rank"] for r in rows) and all(r["decision"] is None for r in rows)


def test_refusals_are_in_the_readers_language(planned: dict[str, Any]) -> None:
    from django.utils import translation

    from amis.selection import rules

    w = planned
    with translation.override("fr"), pytest.raises(ApplicationError) as refused:
        selection.record_decision(
            actor=w["mc"], meeting=w["meeting"], application=w["car"], decision="reject", note=""
        )
    assert refused.value.message.startswith(f"Donnez le motif de la décision sur {w['car'].reference} :")
    assert refused.value.extra["fields"]["note"] == "Donnez le motif."
    with translation.override("de"), pytest.raises(ApplicationError, match="Die Sitzung ist bereits"):
        selection.close_meeting(actor=w["mc"], meeting=_held(w), minutes="x")
    criterion = rules.Criterion("A1", Decimal("40"), Decimal("10"))
    with translation.override("nl"):
        problems = rules.score_problems([criterion], {"A1": Decimal("41")}, {})
    assert problems == {
        "A1": "Een score voor A1 ligt tussen 0 en 40.",
        "A1.justification": "Motiveer de score voor A1.",
    }


def _held(w: dict[str, Any]) -> CommitteeMeeting:
    meeting = w["meeting"]
    CommitteeMeeting.objects.filter(pk=meeting.pk).update(status=CommitteeMeeting.Status.HELD)
    meeting.refresh_from_db()
    return meeting


def test_the_meeting_page_speaks_the_readers_language(planned: dict[str, Any]) -> None:
    client = _client(planned["mc"])
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    html = client.get(f"/meetings/{planned['meeting'].pk}/").content.decode()
    assert "Référence, titre ou demandeur" in html and "Pas encore de décision" in html
    assert "2 demandes." in html


def test_a_held_meeting_sums_its_decisions_up(planned: dict[str, Any]) -> None:
    from amis.selection import selectors

    w = planned
    selection.record_decision(actor=w["mc"], meeting=w["meeting"], application=w["rk"], decision="approve")
    selection.record_decision(
        actor=w["mc"], meeting=w["meeting"], application=w["car"], decision="postpone", note="Next round."
    )
    assert selectors.decision_counts(w["meeting"]) == [("approve", 1), ("reject", 0), ("postpone", 1)]
    selection.close_meeting(actor=w["mc"], meeting=w["meeting"], minutes="Decided.")
    html = _client(w["da"]).get(f"/meetings/{w['meeting'].pk}/").content.decode()
    assert "<li>approve: 1</li>" in html and "<li>postpone: 1</li>" in html
    assert "Recorded decision" in html and "Next round." in html  # each decision on its application's row
