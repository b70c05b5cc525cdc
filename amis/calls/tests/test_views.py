"""Launching and changing a draft call in the browser, and the call's own documents."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from amis.accounts.models import User
from amis.calls.models import Call, CallDocument
from amis.core.models import AuditEntry
from amis.demo.calls import CODE, load_calls
from amis.demo.people import load_people
from amis.organisations.models import Organisation

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n% call guide\n"


@pytest.fixture
def people(belgian: Any) -> dict[str, Any]:
    load_people(log=lambda m: None)
    load_calls(log=lambda m: None)
    return {
        k: User.objects.get(email=e)
        for k, e in (
            ("da", "da.flanders@amis.example"),
            ("caritas", "beneficiary@caritas.example"),
        )
    }


def _client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _form(**changes: Any) -> dict[str, Any]:
    year = dt.date.today().year + 1
    data: dict[str, Any] = {
        "programme": "2014BE65AMNP001",
        "managing_organisation": str(Organisation.objects.get(short_name="ESF Flanders").pk),
        "code": "FL-AMIF-INT-09",
        "procedure": "open",
        "languages": ["nl", "fr"],
        "title_nl": "Oproep integratie",
        "title_fr": "Appel intégration",
        "description_nl": "Projecten voor nieuwkomers.",
        "specific_objective": "SO2",
        "national_objectives": ["NO2"],
        "actions": ["13"],
        "indicators": ["C2"],
        "budget": "400000.00",
        "max_eu_rate": "75",
        "min_grant": "20000",
        "max_grant": "200000",
        "eligible_kinds": ["ngo", "local_public_body"],
        "eligible_start": f"{year}-01-01",
        "eligible_end": f"{year}-12-31",
        "target_groups": "third-country nationals\nwomen",
        "eligibility_0_code": "E1",
        "eligibility_0_text": "Established in Flanders.",
        "award_0_code": "A1",
        "award_0_text": "Relevance",
        "award_0_weight": "60",
        "award_0_min_score": "30",
        "award_1_code": "A2",
        "award_1_text": "Value for money",
        "award_1_weight": "40",
        "award_1_min_score": "20",
        "pass_mark": "50",
        "opens_at": f"{year - 1}-12-01T09:00",
        "closes_at": f"{year}-01-15T12:00",
    }
    return data | changes


def test_a_delegated_authority_launches_a_draft_call_from_the_page(people: dict[str, Any]) -> None:
    client = _client(people["da"])
    page = client.get("/calls/new/")
    assert page.status_code == 200
    assert "SO2" in page.content.decode() and 'hx-get="/calls/new/objectives/"' in page.content.decode()
    response = client.post("/calls/new/", _form())
    assert response.status_code == 302, response.content.decode()[:2000]
    call = Call.objects.get(code="FL-AMIF-INT-09")
    assert call.status == Call.Status.DRAFT
    assert str(call.max_eu_rate) == "0.7500" and call.actions == [13] and call.languages == ["nl", "fr"]
    assert call.title == {"nl": "Oproep integratie", "fr": "Appel intégration"}
    assert call.target_groups == ["third-country nationals", "women"]
    assert [c["code"] for c in call.award_criteria] == ["A1", "A2"]
    assert call.managing_organisation.short_name == "ESF Flanders"
    assert AuditEntry.objects.filter(
        object_type="calls.Call", object_id=str(call.pk), action="create"
    ).exists()
    detail = client.get(response["Location"]).content.decode()
    assert "Change the draft call" in detail


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"award_1_weight": "30"}, None, "add up to 90, not 100"),
        ({"title_fr": ""}, "title_nl", "give its title in fr"),
        ({"code": "bad code/1"}, "code", "letters, digits"),
        ({"max_eu_rate": "80"}, "max_eu_rate", "at most 75 %"),
        ({"actions": ["1"]}, "actions", None),
        ({"budget": "-5"}, "budget", "positive amount"),
        ({"closes_at": "2000-01-01T00:00"}, "closes_at", "close after it opens"),
    ],
)
def test_bad_call_input_saves_nothing_and_says_why(
    people: dict[str, Any], changes: dict[str, Any], field: str | None, message: str | None
) -> None:
    before = Call.objects.count()
    response = _client(people["da"]).post("/calls/new/", _form(**changes))
    assert response.status_code == 400
    assert Call.objects.count() == before
    page = response.content.decode()
    assert "Nothing was saved" in page
    if message:
        assert message in page
    if field:
        assert response.context["form"].errors.get(field), response.context["form"].errors


def test_the_objectives_fragment_follows_the_chosen_specific_objective(people: dict[str, Any]) -> None:
    client = _client(people["da"])
    so1 = client.get("/calls/new/objectives/?programme=2014BE65AMNP001&specific_objective=SO1")
    so2 = client.get("/calls/new/objectives/?programme=2014BE65AMNP001&specific_objective=SO2")
    assert so1.status_code == so2.status_code == 200
    assert 'value="NO1"' in so1.content.decode() and 'value="NO2"' in so2.content.decode()
    assert 'id="objectives"' in so1.content.decode() and "<html" not in so1.content.decode()
    # without JavaScript, the refresh button re-renders the form for the new objective, saving nothing
    page = client.post("/calls/new/", _form(specific_objective="SO1", refresh="1"))
    assert page.status_code == 200 and not Call.objects.filter(code="FL-AMIF-INT-09").exists()
    assert 'value="NO1"' in page.content.decode()


def test_a_draft_call_is_changed_with_optimistic_locking(people: dict[str, Any]) -> None:
    client = _client(people["da"])
    client.post("/calls/new/", _form())
    call = Call.objects.get(code="FL-AMIF-INT-09")
    page = client.get(f"/calls/{call.code}/edit/")
    assert page.status_code == 200 and 'value="400,000.00"' in page.content.decode()
    saved = client.post(
        f"/calls/{call.code}/edit/", _form(budget="450000.00", lock_version=call.lock_version)
    )
    assert saved.status_code == 302
    call.refresh_from_db()
    assert str(call.budget) == "450000.00" and call.lock_version == 2
    entry = AuditEntry.objects.filter(object_type="calls.Call", object_id=str(call.pk), action="update").get()
    assert entry.before == {"budget": "400000.00"} and entry.after == {"budget": "450000.00"}
    stale = client.post(f"/calls/{call.code}/edit/", _form(budget="1.00", lock_version=1))
    assert stale.status_code == 409
    call.refresh_from_db()
    assert str(call.budget) == "450000.00"


def test_a_published_call_cannot_be_changed(people: dict[str, Any]) -> None:
    client = _client(people["da"])
    response = client.get(f"/calls/{CODE}/edit/", follow=True)
    assert response.redirect_chain[-1][0] == f"/calls/{CODE}/"
    assert "Only a draft call can be changed" in response.content.decode()


def test_beneficiaries_and_visitors_cannot_launch_calls(people: dict[str, Any]) -> None:
    assert _client(people["caritas"]).get("/calls/new/").status_code == 403
    assert _client(people["caritas"]).post("/calls/new/", _form()).status_code == 403
    assert _client(None).get("/calls/new/").status_code == 302
    assert not Call.objects.filter(code="FL-AMIF-INT-09").exists()
    assert "Launch a call" not in _client(people["caritas"]).get("/calls/").content.decode()
    assert "Launch a call" in _client(people["da"]).get("/calls/").content.decode()


def test_call_documents_are_public_once_the_call_is_published(people: dict[str, Any]) -> None:
    client = _client(people["da"])
    client.post("/calls/new/", _form())
    call = Call.objects.get(code="FL-AMIF-INT-09")
    url = f"/calls/{call.code}/documents/"
    client.post(url, {"title": "Guide for applicants", "language": "nl", "file": _upload("gids.pdf", PDF)})
    document = CallDocument.objects.get(call=call)
    assert document.size == len(PDF) and len(document.sha256) == 64 and document.language == "nl"
    download = f"/calls/{call.code}/documents/{document.pk}/"
    assert _client(None).get(download).status_code == 404  # a draft's documents are not public yet
    assert client.get(download).getvalue() == PDF
    call.status = Call.Status.PUBLISHED
    call.save()
    public = _client(None).get(download)
    assert public.status_code == 200 and public.getvalue() == PDF
    assert "Guide for applicants" in _client(None).get(f"/calls/{call.code}/").content.decode()
    refused = client.post(f"/calls/{call.code}/documents/{document.pk}/remove/", follow=True)
    assert "add a corrigendum" in refused.content.decode()
    assert CallDocument.objects.filter(pk=document.pk).exists()


def test_a_bad_call_document_is_refused_and_nothing_is_kept(people: dict[str, Any]) -> None:
    client = _client(people["da"])
    call = Call.objects.get(code=CODE)
    before = list(CallDocument.objects.filter(call=call).values_list("sha256", flat=True))
    page = client.post(
        f"/calls/{call.code}/documents/",
        {"title": "Script", "file": _upload("guide.pdf", b"MZ\x90\x00 not a pdf")},
        follow=True,
    )
    assert "is not really a .pdf file" in page.content.decode()
    assert list(CallDocument.objects.filter(call=call).values_list("sha256", flat=True)) == before
    assert _client(people["caritas"]).post(f"/calls/{call.code}/documents/", {}).status_code == 403


def test_a_draft_call_document_can_be_removed(people: dict[str, Any]) -> None:
    client = _client(people["da"])
    client.post("/calls/new/", _form())
    call = Call.objects.get(code="FL-AMIF-INT-09")
    client.post(f"/calls/{call.code}/documents/", {"title": "Old guide", "file": _upload("g.pdf", PDF)})
    document = CallDocument.objects.get(call=call)
    client.post(f"/calls/{call.code}/documents/{document.pk}/remove/")
    assert not CallDocument.objects.filter(pk=document.pk).exists()
    assert AuditEntry.objects.filter(
        object_type="calls.CallDocument", object_id=str(document.pk), action="delete"
    ).exists()


def _upload(name: str, data: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_the_api_changes_a_draft_call_and_lists_and_adds_its_documents(people: dict[str, Any]) -> None:
    client = _client(people["da"])
    client.post("/calls/new/", _form())
    call = Call.objects.get(code="FL-AMIF-INT-09")
    patched = client.patch(
        f"/api/v1/calls/{call.code}",
        data={"lock_version": call.lock_version, "data": {"max_eu_rate": "0.9"}},
        content_type="application/json",
    )
    assert patched.status_code == 400 and "at most 75 %" in patched.content.decode()
    patched = client.patch(
        f"/api/v1/calls/{call.code}",
        data={"lock_version": call.lock_version, "data": {"budget": "500000.00"}},
        content_type="application/json",
    )
    assert patched.status_code == 200 and patched.json()["budget"] == "500000.00"
    added = client.post(
        f"/api/v1/calls/{call.code}/documents", {"title": "FAQ", "file": _upload("faq.pdf", PDF)}
    )
    assert added.status_code == 201 and added.json()["size"] == len(PDF)
    listed = client.get(f"/api/v1/calls/{call.code}/documents").json()
    assert [d["title"] for d in listed] == ["FAQ"]
    assert _client(None).get(f"/api/v1/calls/{call.code}/documents").status_code == 404  # still a draft
    assert client.get(listed[0]["url"]).getvalue() == PDF


def test_only_the_authority_whose_part_it_is_gets_the_buttons(people: dict[str, Any]) -> None:
    from amis.demo.calls import DRAFT_CODE, load_draft_call

    load_draft_call(log=lambda m: None)  # the responsible authority's call for SO3 (return)
    outside = _client(people["da"]).get(f"/calls/{DRAFT_CODE}/").content.decode()
    assert "Change the draft call" not in outside and "Publish the call" not in outside
    assert _client(people["da"]).get(f"/calls/{DRAFT_CODE}/edit/").status_code == 403
    ra = (
        _client(User.objects.get(email="ra.officer@amis.example"))
        .get(f"/calls/{DRAFT_CODE}/")
        .content.decode()
    )
    assert "Change the draft call" in ra and "Publish the call" in ra


def test_a_call_is_published_only_with_its_guide_or_an_explicit_no_documents(people: dict[str, Any]) -> None:
    """The service refuses to publish a call without documents unless told it has none; the page
    offers that confirmation, and the audit trail keeps it."""
    client = _client(people["da"])
    client.post("/calls/new/", _form())
    call = Call.objects.get(code="FL-AMIF-INT-09")
    url = f"/calls/{call.code}/transition/"
    page = client.get(f"/calls/{call.code}/").content.decode()
    assert 'name="no_documents"' in page
    refused = client.post(url, {"status": "published", "lock_version": call.lock_version})
    assert refused.status_code == 400
    assert "guide for applicants" in refused.content.decode()
    call.refresh_from_db()
    assert call.status == Call.Status.DRAFT
    asked = client.post(
        url, {"status": "published", "lock_version": call.lock_version, "no_documents": "yes"}
    )
    assert asked.status_code == 200 and 'name="no_documents" value="yes"' in asked.content.decode()
    published = client.post(
        url,
        {"status": "published", "lock_version": call.lock_version, "no_documents": "yes", "confirm": "yes"},
    )
    assert published.status_code == 302
    call.refresh_from_db()
    assert call.status == Call.Status.PUBLISHED
    entry = AuditEntry.objects.filter(action="transition", object_id=str(call.pk)).latest("pk")
    assert entry.after == {"status": "published", "no_documents_confirmed": True}


def test_a_call_with_its_guide_is_published_without_the_confirmation(people: dict[str, Any]) -> None:
    client = _client(people["da"])
    client.post("/calls/new/", _form())
    call = Call.objects.get(code="FL-AMIF-INT-09")
    client.post(
        f"/calls/{call.code}/documents/",
        {"title": "Guide for applicants", "language": "nl", "file": _upload("g.pdf", PDF)},
    )
    page = client.get(f"/calls/{call.code}/").content.decode()
    assert 'name="no_documents"' not in page
    response = client.post(
        f"/calls/{call.code}/transition/",
        {"status": "published", "lock_version": call.lock_version, "confirm": "yes"},
    )
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.status == Call.Status.PUBLISHED


def test_the_public_call_page_says_who_may_apply_and_the_criteria(people: dict[str, Any]) -> None:
    call = Call.objects.get(code=CODE)
    page = _client(None).get(f"/calls/{CODE}/").content.decode()
    assert "Who may apply" in page
    assert "Non-governmental organisation" in page and "Local public body" in page
    assert "Eligibility criteria" in page and "Award criteria" in page
    for criterion in call.eligibility_criteria + call.award_criteria:
        assert str(criterion["text"]) in page
