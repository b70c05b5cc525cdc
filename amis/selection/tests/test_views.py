"""The assessor's page: an assessor reads what was submitted (the snapshot, with its documents)
beside the scoring form, unless they declared a conflict of interest with the applicant."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from amis.accounts import services as accounts
from amis.accounts.models import User
from amis.applications.models import Application
from amis.demo.calls import IN_ASSESSMENT_CODE, load_call_in_assessment, load_calls
from amis.demo.people import load_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(belgian: Any) -> Application:
    """An eligible application of the demo that the second assessor has not scored yet."""
    load_people(log=lambda m: None)
    load_calls(log=lambda m: None)
    load_call_in_assessment(log=lambda m: None)
    app = (
        Application.objects.filter(call__code=IN_ASSESSMENT_CODE, status="eligible")
        .exclude(assessments__assessor__email="assessor2@amis.example")
        .order_by("reference")
        .first()
    )
    assert app is not None and app.snapshot
    return app


def _assessor() -> Client:
    client = Client()
    client.force_login(User.objects.get(email="assessor2@amis.example"))
    return client


def test_the_assessor_reads_the_submitted_application_beside_the_form(waiting: Application) -> None:
    page = _assessor().get(f"/applications/{waiting.reference}/assess/").content.decode()
    snapshot = waiting.snapshot or {}
    for part in (
        "Work plan",
        "Partners",
        "Budget",
        "Co-financing plan",
        "Planned values of the call",
        "Documents",
    ):
        assert part in page, part
    for line in snapshot["budget"]:
        assert line["description"] in page
    assert 'name="no_conflict"' in page or "no_conflict" in page  # the scoring form is still there


def test_the_assessor_downloads_the_documents_of_an_application_open_for_assessment(
    waiting: Application,
) -> None:
    waiting.status = "draft"  # attach through the service, as the applicant did before submitting
    waiting.save(update_fields=["status"])
    from amis.applications import services as applications

    applicant = waiting.created_by
    assert applicant is not None
    attachment = applications.attachment_add(
        actor=applicant, application=waiting, name="plan.pdf", data=b"%PDF-1.4 the plan"
    )
    Application.objects.filter(pk=waiting.pk).update(status="eligible")
    response = _assessor().get(f"/applications/{waiting.reference}/attachments/{attachment.sha256}/")
    assert response.status_code == 200
    assert response.getvalue() == b"%PDF-1.4 the plan"


def test_an_assessor_with_a_declared_conflict_reads_nothing(waiting: Application) -> None:
    assessor = User.objects.get(email="assessor2@amis.example")
    accounts.conflict_of_interest_declare(
        user=assessor, organisation=waiting.organisation, reason="Board member."
    )
    page = _assessor().get(f"/applications/{waiting.reference}/assess/").content.decode()
    assert "declared a conflict of interest" in page
    assert "Co-financing plan" not in page


def test_the_assessors_list_shows_what_is_open_for_them_and_opens_it(waiting: Application) -> None:
    client = _assessor()
    page = client.get("/applications/").content.decode()
    open_refs = set(
        Application.objects.filter(status__in=["eligible", "assessed"]).values_list("reference", flat=True)
    )
    assert open_refs and all(ref in page for ref in open_refs)
    assert "No application." not in page
    not_open = Application.objects.exclude(status__in=["eligible", "assessed"]).values_list(
        "reference", flat=True
    )
    assert not any(f">{ref}<" in page for ref in not_open)
    opened = client.get(f"/applications/{waiting.reference}/", follow=True)
    assert opened.status_code == 200
    assert opened.redirect_chain[-1][0] == f"/applications/{waiting.reference}/assess/"
    assert waiting.title in opened.content.decode()


def test_an_assessor_does_not_list_or_open_an_application_after_declaring_a_conflict(
    waiting: Application,
) -> None:
    assessor = User.objects.get(email="assessor2@amis.example")
    accounts.conflict_of_interest_declare(
        user=assessor, organisation=waiting.organisation, reason="Board member."
    )
    client = _assessor()
    assert f">{waiting.reference}<" not in client.get("/applications/").content.decode()
    assert client.get(f"/applications/{waiting.reference}/").status_code == 403


def test_statuses_and_offers_on_a_call_in_assessment_tell_the_truth(waiting: Application) -> None:
    client = Client()
    client.force_login(User.objects.get(email="da.flanders@amis.example"))
    page = client.get(f"/calls/{IN_ASSESSMENT_CODE}/").content.decode()
    assert "Not ready to rank and propose yet: Assessment is not complete" in page
    assert ">Rank and propose</button>" not in page
    assert "Mark the call as decided" not in page
    listing = client.get(f"/applications/?call={IN_ASSESSMENT_CODE}").content.decode()
    assert "eligible, being assessed" in listing
    divergent = (
        Application.objects.filter(
            call__code=IN_ASSESSMENT_CODE, assessments__isnull=False, status="eligible"
        )
        .distinct()
        .get()
    )
    detail = client.get(f"/applications/{divergent.reference}/").content.decode()
    assert "Awaiting consolidation." in detail
    assert "Score: A1 Relevance" in detail  # the consolidation form names each criterion
