"""The pages of the application and selection path: who sees which form, what saving does, refusals."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from amis.accounts.models import User
from amis.applications.models import Application
from amis.calls import services as call_services
from amis.calls.models import Call
from amis.demo.calls import CODE, load_calls
from amis.demo.people import load_people
from amis.selection import services as selection
from amis.selection.models import CommitteeMeeting

pytestmark = pytest.mark.django_db
SCORES = {"A1": "35", "A2": "30", "A3": "20"}
WHY = {"A1": "Fits.", "A2": "Sound.", "A3": "Fair."}


@pytest.fixture
def demo(belgian: Any) -> dict[str, Any]:
    load_people(log=lambda m: None)
    load_calls(log=lambda m: None)
    users = {
        k: User.objects.get(email=e)
        for k, e in (
            ("caritas", "beneficiary@caritas.example"),
            ("redcross", "beneficiary@redcross.example"),
            ("da", "da.flanders@amis.example"),
            ("a1", "assessor@amis.example"),
            ("a2", "assessor2@amis.example"),
            ("mc", "mc.member@amis.example"),
        )
    }
    return {
        "users": users,
        "call": Call.objects.get(code=CODE),
        "draft": Application.objects.get(call__code=CODE, status="draft"),
        "submitted": Application.objects.get(call__code=CODE, status="submitted"),
    }


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _edit_post(app: Application, **changes: Any) -> dict[str, Any]:
    client_data: dict[str, Any] = {
        "lock_version": app.lock_version,
        "title": app.title,
        "summary": app.summary,
        "description": app.description,
        "start_date": str(app.start_date),
        "end_date": str(app.end_date),
        "expected_participants": app.expected_participants,
        "vulnerable_participants": app.vulnerable_participants,
        "indirect_rate": str(app.indirect_rate * 100),  # typed in per cent
        "national_public_funder": app.funders.get("national_public", ""),
    }
    for i, line in enumerate(app.budget_lines.all()):
        client_data |= {
            f"budget_{i}_category": line.category,
            f"budget_{i}_year": line.year,
            f"budget_{i}_description": line.description,
            f"budget_{i}_amount": str(line.amount),
        }
    for source, amount in app.funding.items():
        client_data[f"funding_{source}"] = amount
    for code, value in app.planned_indicators.items():
        client_data[f"indicator_{code}"] = value
    return client_data | changes


def test_beneficiary_applies_and_is_sent_to_the_edit_page(demo: dict[str, Any]) -> None:
    client = _client(demo["users"]["caritas"])
    page = client.get(f"/calls/{CODE}/")
    assert "Start an application" in page.content.decode()
    org = demo["draft"].organisation
    response = client.post(f"/calls/{CODE}/apply/", {"organisation": org.pk, "title": "Second project"})
    app = Application.objects.get(title="Second project")
    assert response.status_code == 302 and response["Location"] == f"/applications/{app.reference}/edit/"
    refused = client.post(f"/calls/{CODE}/apply/", {"organisation": org.pk, "title": "   "})
    assert refused.status_code == 400


def test_edit_page_saves_a_draft_and_keeps_input_on_errors(demo: dict[str, Any]) -> None:
    app = demo["draft"]
    client = _client(demo["users"]["caritas"])
    page = client.get(f"/applications/{app.reference}/edit/")
    assert page.status_code == 200 and 'name="budget_5_amount"' in page.content.decode()
    ok = client.post(f"/applications/{app.reference}/edit/", _edit_post(app, summary="New summary", save="1"))
    assert ok.status_code == 302
    app.refresh_from_db()
    assert app.summary == "New summary"
    bad = client.post(
        f"/applications/{app.reference}/edit/",
        _edit_post(app, summary="Should not stay", budget_0_amount="-5", save="1"),
    )
    body = bad.content.decode()
    assert bad.status_code == 400 and 'role="alert"' in body and "Should not stay" in body
    app.refresh_from_db()
    assert app.summary == "New summary"


def test_each_section_saves_the_draft_and_comes_back_to_it(demo: dict[str, Any]) -> None:
    """A long form: every section has its own save button, which saves the whole draft and returns
    to that section; an unknown section name returns to the top of the form."""
    app = demo["draft"]
    client = _client(demo["users"]["caritas"])
    page = client.get(f"/applications/{app.reference}/edit/").content.decode()
    for section in ("project", "participants", "work-plan", "partners", "budget", "co-financing"):
        assert f'id="section-{section}"' in page and f'name="save" value="section-{section}"' in page
    saved = client.post(
        f"/applications/{app.reference}/edit/",
        _edit_post(app, summary="Saved mid-form", save="section-budget"),
    )
    assert saved.status_code == 302 and saved["Location"].endswith("/edit/#section-budget")
    app.refresh_from_db()
    assert app.summary == "Saved mid-form"
    odd = client.post(
        f"/applications/{app.reference}/edit/", _edit_post(app, summary="Again", save="section-<b>x</b>")
    )
    assert odd.status_code == 302 and odd["Location"].endswith(f"/applications/{app.reference}/edit/")


def test_uploading_a_document_keeps_what_was_typed(demo: dict[str, Any]) -> None:
    """The upload is part of the application's form: the typed edits are saved, then the document
    added, in the same request; nothing typed is lost, also when the document is refused."""
    app = demo["draft"]
    client = _client(demo["users"]["caritas"])
    page = client.get(f"/applications/{app.reference}/edit/").content.decode()
    assert 'form="application-form"' in page and "data-warn-unsaved" in page and "unsaved.js" in page
    document = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 the work plan", content_type="application/pdf")
    response = client.post(
        f"/applications/{app.reference}/edit/",
        _edit_post(app, summary="Typed before uploading", upload="1", file=document),
    )
    assert response.status_code == 302 and response["Location"].endswith("/edit/#documents")
    app.refresh_from_db()
    assert app.summary == "Typed before uploading"
    assert [a.name for a in app.attachments.all()] == ["plan.pdf"]
    refused = client.post(
        f"/applications/{app.reference}/edit/",
        _edit_post(app, summary="Typed again", upload="1", file=SimpleUploadedFile("x.exe", b"MZ")),
        follow=True,
    )
    app.refresh_from_db()
    assert app.summary == "Typed again" and app.attachments.count() == 1
    assert "the document was not added" in refused.content.decode()


def test_a_stale_save_is_refused(demo: dict[str, Any]) -> None:
    app = demo["draft"]
    client = _client(demo["users"]["caritas"])
    data = _edit_post(app, summary="First", save="1")
    assert client.post(f"/applications/{app.reference}/edit/", data).status_code == 302
    stale = client.post(f"/applications/{app.reference}/edit/", data | {"summary": "Second"})
    assert stale.status_code == 409 and "changed by someone else" in stale.content.decode()
    app.refresh_from_db()
    assert app.summary == "First"


def test_submit_then_withdraw(demo: dict[str, Any]) -> None:
    app = demo["draft"]
    client = _client(demo["users"]["caritas"])
    asked = client.post(f"/applications/{app.reference}/edit/", _edit_post(app, summary="Kept", submit="1"))
    assert asked.status_code == 200  # saved, then asked: what submitting does and what cannot be undone
    assert "Your draft is saved." in asked.content.decode() and "cannot be changed" in asked.content.decode()
    app.refresh_from_db()
    assert app.status == "draft" and app.summary == "Kept"
    response = client.post(
        f"/applications/{app.reference}/submit/", {"lock_version": app.lock_version, "confirm": "yes"}
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == "submitted"
    page = client.get(f"/applications/{app.reference}/").content.decode()
    assert "Withdraw" in page
    assert client.post(f"/applications/{app.reference}/withdraw/").status_code == 302
    app.refresh_from_db()
    assert app.status == "withdrawn"
    again = client.post(f"/applications/{app.reference}/withdraw/")
    assert again.status_code == 400 and "Only a submitted application" in again.content.decode()


def test_another_organisation_cannot_edit(demo: dict[str, Any]) -> None:
    client = _client(demo["users"]["redcross"])
    assert client.get(f"/applications/{demo['draft'].reference}/edit/").status_code == 403


def test_officer_pages_and_the_selection_path(demo: dict[str, Any]) -> None:
    users, call = demo["users"], demo["call"]
    caritas = _client(users["caritas"])
    draft = demo["draft"]
    assert (
        caritas.post(f"/applications/{draft.reference}/edit/", _edit_post(draft, submit="1")).status_code
        == 200
    )
    draft.refresh_from_db()
    assert (
        caritas.post(
            f"/applications/{draft.reference}/submit/", {"lock_version": draft.lock_version, "confirm": "yes"}
        ).status_code
        == 302
    )
    da = _client(users["da"])
    page = da.get(f"/calls/{CODE}/").content.decode()
    assert "Close the call" in page
    # eligibility before closing: refused with the service's message
    early = da.post(f"/applications/{draft.reference}/eligibility/", {"met_E1": "yes", "met_E2": "yes"})
    assert early.status_code == 400 and "once the call has closed" in early.content.decode()
    # closing asks first, saying what it does and that it cannot be undone
    asked = da.post(f"/calls/{CODE}/transition/", {"status": "closed", "lock_version": call.lock_version})
    assert asked.status_code == 200 and "This cannot be undone" in asked.content.decode()
    assert Call.objects.get(pk=call.pk).status == "published"
    assert (
        da.post(
            f"/calls/{CODE}/transition/",
            {"status": "closed", "lock_version": call.lock_version, "confirm": "yes"},
        ).status_code
        == 302
    )
    stale = da.post(
        f"/calls/{CODE}/transition/",
        {"status": "closed", "lock_version": call.lock_version, "confirm": "yes"},
    )
    assert stale.status_code == 409
    missing_reason = da.post(
        f"/applications/{draft.reference}/eligibility/", {"met_E1": "no", "met_E2": "yes"}
    )
    assert missing_reason.status_code == 400 and "Give the reason" in missing_reason.content.decode()
    for app in (draft, demo["submitted"]):
        assert "Record the eligibility check" in da.get(f"/applications/{app.reference}/").content.decode()
        r = da.post(f"/applications/{app.reference}/eligibility/", {"met_E1": "yes", "met_E2": "yes"})
        assert r.status_code == 302
    # the assessor: declaration first
    a1 = _client(users["a1"])
    no_decl = a1.post(
        f"/applications/{draft.reference}/assess/",
        {f"score_{k}": v for k, v in SCORES.items()} | {f"justification_{k}": v for k, v in WHY.items()},
    )
    assert no_decl.status_code == 400 and "conflict of interest" in no_decl.content.decode()
    for user in (users["a1"], users["a2"]):
        client = _client(user)
        for app in (draft, demo["submitted"]):
            r = client.post(
                f"/applications/{app.reference}/assess/",
                {"no_conflict": "on"}
                | {f"score_{k}": v for k, v in SCORES.items()}
                | {f"justification_{k}": v for k, v in WHY.items()},
            )
            assert r.status_code == 302, r.content.decode()
    state_page = da.get(f"/applications/{draft.reference}/").content.decode()
    assert "Final score" in state_page and "85.00" in state_page
    assert da.post(f"/calls/{CODE}/ranking/").status_code == 302
    assert "proposed for funding" in da.get(f"/calls/{CODE}/").content.decode()
    bad_meeting = da.post(f"/calls/{CODE}/meetings/", {"date": "2030-01-10", "agenda": " "})
    assert bad_meeting.status_code == 400
    planned = da.post(f"/calls/{CODE}/meetings/", {"date": "2030-01-10", "agenda": "Selection"})
    meeting = CommitteeMeeting.objects.get()
    assert planned.status_code == 302 and planned["Location"] == f"/meetings/{meeting.pk}/"
    # the committee: an assessor may not decide, the MC member does
    assert _client(users["a1"]).get(f"/meetings/{meeting.pk}/").status_code == 403
    mc = _client(users["mc"])
    assert "Record the decision on" in mc.get(f"/meetings/{meeting.pk}/").content.decode()
    no_minutes = mc.post(f"/meetings/{meeting.pk}/", {"action": "close", "minutes": ""})
    assert no_minutes.status_code == 400
    for app in (draft, demo["submitted"]):
        r = mc.post(
            f"/meetings/{meeting.pk}/",
            {
                "action": "decide",
                "application": app.reference,
                f"{app.reference}-decision": "approve",
                f"{app.reference}-note": "Well done.",
            },
        )
        assert r.status_code == 302
    closing = {"action": "close", "minutes": "Approved."}
    assert mc.post(f"/meetings/{meeting.pk}/", closing).status_code == 200  # asked first
    assert mc.post(f"/meetings/{meeting.pk}/", closing | {"confirm": "yes"}).status_code == 302
    again = mc.post(f"/meetings/{meeting.pk}/", {"action": "close", "minutes": "Again.", "confirm": "yes"})
    assert again.status_code == 400 and "already closed" in again.content.decode()
    page = caritas.get(f"/applications/{draft.reference}/").content.decode()
    assert "selected" in page and "Well done." in page


def test_consolidation_form_when_scores_diverge(demo: dict[str, Any]) -> None:
    users, call, app = demo["users"], demo["call"], demo["submitted"]
    call = call_services.call_transition(
        actor=users["da"], call=call, status="closed", expected_lock_version=call.lock_version
    )
    selection.check_eligibility(
        actor=users["da"], application=app, answers={"E1": {"met": True}, "E2": {"met": True}}
    )
    selection.assess(
        actor=users["a1"], application=app, no_conflict_of_interest=True, scores=SCORES, justifications=WHY
    )
    selection.assess(
        actor=users["a2"],
        application=app,
        no_conflict_of_interest=True,
        scores={"A1": "21", "A2": "18", "A3": "13"},
        justifications=WHY,
    )
    da = _client(users["da"])
    page = da.get(f"/applications/{app.reference}/").content.decode()
    assert "Consolidate the scores" in page
    bad = da.post(
        f"/applications/{app.reference}/consolidation/",
        {"score_A1": "99", "score_A2": "30", "score_A3": "20", "note": "x"},
    )
    assert bad.status_code == 400 and 'role="alert"' in bad.content.decode()
    ok = da.post(
        f"/applications/{app.reference}/consolidation/",
        {"score_A1": "30", "score_A2": "25", "score_A3": "18", "note": "Agreed in a meeting."},
    )
    assert ok.status_code == 302
    app.refresh_from_db()
    assert app.status == "assessed"


def test_the_call_page_shows_each_stage_s_part_once_in_life_cycle_order(demo: dict[str, Any]) -> None:
    """The call page is built from what each stage registers (amis.core.pages): the officer sees the
    call's management, the double-funding check and the applications, each once and in order; the
    applicant sees the form to apply; the page title stays the call's code."""
    officer = _client(demo["users"]["da"]).get(f"/calls/{CODE}/").content.decode()
    title = officer.split("<title>", 1)[1].split("</title>", 1)[0]
    assert CODE in title and "<" not in title
    body = officer.split("</title>", 1)[1]
    marks = ["Manage the call", "Double-funding check (ESF, ISF)", demo["submitted"].reference]
    assert [body.count(m) >= 1 for m in marks] == [True, True, True]
    assert body.count("Manage the call") == 1 and body.count("Double-funding check (ESF, ISF)") == 1
    assert [body.index(m) for m in marks] == sorted(body.index(m) for m in marks)
    applicant = _client(demo["users"]["caritas"]).get(f"/calls/{CODE}/").content.decode()
    assert applicant.count('action="/calls/' + CODE + '/apply/"') == 1
    assert "Manage the call" not in applicant and "Double-funding check" not in applicant


def test_the_checklist_and_the_indicators_are_named_not_coded(demo: dict[str, Any]) -> None:
    from amis.calls.selectors import indicator_names

    app = demo["draft"]
    Application.objects.filter(pk=app.pk).update(
        funding=app.funding | {"eu": "999999.00"}, planned_indicators={}, summary=""
    )
    names = indicator_names(app.call)
    assert names.get("C2", {}).get("en")  # the programme names its indicators
    client = _client(demo["users"]["caritas"])
    for url in (f"/applications/{app.reference}/", f"/applications/{app.reference}/edit/"):
        page = client.get(url).content.decode()
        assert "Co-financing: EU contribution:" in page and "funding.eu" not in page, url
        assert f"Indicators: C2 {names['C2']['en']}:" in page and "planned_indicators" not in page, url
        assert "Summary: A summary is required." in page, url
    edit = client.get(f"/applications/{app.reference}/edit/").content.decode()
    assert f"C2 {names['C2']['en']}</label>" in edit
    call_page = client.get(f"/calls/{app.call.code}/").content.decode()
    assert names["C2"]["en"] in call_page


def test_problem_labels() -> None:
    from amis.applications.labels import problem_label

    assert problem_label("funding.eu") == "Co-financing: EU contribution"
    assert problem_label("budget.2.amount") == "Budget: line 3, amount"
    assert problem_label("partners.0.enterprise_number") == "Partners: partner 1, enterprise number"
    assert problem_label("planned_indicators.C2", {"C2": "Participants"}) == "Indicators: C2 Participants"
    assert problem_label("summary") == "Summary"
