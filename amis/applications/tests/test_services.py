"""Applications through the services: lifecycle, rules, deadline, direct awards, nothing half-saved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from amis.applications import selectors as application_selectors
from amis.applications import services
from amis.applications.models import Application
from amis.calls import services as call_services
from amis.calls.models import Call
from amis.calls.tests.test_services import _call_data, demo  # noqa: F401  (fixture)
from amis.core.errors import ApplicationError
from amis.core.models import AuditEntry
from amis.organisations.models import Organisation
from amis.programme.models import Programme

pytestmark = pytest.mark.django_db


def test_the_demo_call_is_published_with_applications(demo: dict[str, Any]) -> None:  # noqa: F811
    assert demo["call"].status == "published"
    submitted = Application.objects.get(status="submitted")
    assert submitted.snapshot is not None and submitted.snapshot["total_cost"] == "149800.00"
    assert application_selectors.application_problems(demo["draft"]) == {}


@pytest.mark.parametrize(
    "data, field",
    [
        ({"budget": [{"category": "staff", "year": 2027, "amount": "-1.00"}]}, "budget.0.amount"),
        ({"budget": [{"category": "staff", "year": 2027, "amount": "1.234"}]}, "budget.0.amount"),
        ({"funding": {"eu": "abc"}}, "funding.eu"),
        ({"indirect_rate": "0.20"}, "indirect_rate"),
        ({"start_date": "31/12/2027"}, "start_date"),
        ({"actions": [1]}, "actions"),
        ({"target_groups": ["pensioners"]}, "target_groups"),
        ({"unaccompanied_minors": 500}, "unaccompanied_minors"),
        ({"vulnerable_participants": -1}, "vulnerable_participants"),
        (
            {"partners": [{"name": "P", "enterprise_number": "0308.357.158", "role": "associate"}]},
            "partners.0.enterprise_number",
        ),
        ({"partners": [{"name": "P", "role": "friend"}]}, "partners.0.role"),
        ({"partners": [{"name": "", "role": "associate"}]}, "partners.0.name"),
        ({"activities": [{"name": "A", "start": "2027-05-01", "end": "2027-04-30"}]}, "activities.0.end"),
        ({"activities": [{"name": "A", "start": "1 May"}]}, "activities.0.start"),
        ({"activities": [{"name": "", "start": "2027-05-01"}]}, "activities.0.name"),
    ],
)
def test_bad_input_saves_nothing(demo: dict[str, Any], data: dict[str, Any], field: str) -> None:  # noqa: F811
    app = demo["draft"]
    before = (app.lock_version, list(app.budget_lines.values_list("amount", flat=True)), dict(app.funding))
    audit_count = AuditEntry.objects.count()
    with pytest.raises(ApplicationError) as refused:
        services.application_update(
            actor=demo["caritas"], application=app, data=data, expected_lock_version=app.lock_version
        )
    assert field in refused.value.extra["fields"]
    app.refresh_from_db()
    assert (
        app.lock_version,
        list(app.budget_lines.values_list("amount", flat=True)),
        dict(app.funding),
    ) == before
    assert AuditEntry.objects.count() == audit_count


def test_submission_one_second_late_is_refused(demo: dict[str, Any]) -> None:  # noqa: F811
    app, call = demo["draft"], demo["call"]
    with pytest.raises(ApplicationError, match="submissions are no longer accepted"):
        services.application_submit(
            actor=demo["caritas"],
            application=app,
            expected_lock_version=app.lock_version,
            now=call.closes_at + dt.timedelta(seconds=1),
        )
    app.refresh_from_db()
    assert app.status == "draft" and app.snapshot is None
    done = services.application_submit(
        actor=demo["caritas"], application=app, expected_lock_version=app.lock_version, now=call.closes_at
    )
    assert done.status == "submitted" and done.snapshot is not None
    assert done.snapshot["funding"]["eu"] == "112350.00"


def test_an_incomplete_draft_saves_but_does_not_submit(demo: dict[str, Any]) -> None:  # noqa: F811
    app = demo["draft"]
    app = services.application_update(
        actor=demo["caritas"],
        application=app,
        expected_lock_version=app.lock_version,
        data={"funding": {"eu": "112350.00", "own": "7490.00"}},
    )
    problems = application_selectors.application_problems(app)
    assert "funding" in problems and "the parts must equal the total to the cent" in problems["funding"]
    with pytest.raises(ApplicationError, match="funding"):
        services.application_submit(
            actor=demo["caritas"], application=app, expected_lock_version=app.lock_version
        )


def test_parallel_edits_the_later_is_refused(demo: dict[str, Any]) -> None:  # noqa: F811
    app = demo["draft"]
    lock = app.lock_version
    services.application_update(
        actor=demo["caritas"], application=app, expected_lock_version=lock, data={"title": "A"}
    )
    with pytest.raises(ApplicationError, match="changed by someone else"):
        services.application_update(
            actor=demo["caritas"], application=app, expected_lock_version=lock, data={"title": "B"}
        )
    app.refresh_from_db()
    assert app.title == "A"


def test_only_the_applicant_organisation_edits(demo: dict[str, Any]) -> None:  # noqa: F811
    from django.core.exceptions import PermissionDenied

    app = demo["draft"]  # Caritas's
    with pytest.raises(PermissionDenied, match="another organisation"):
        services.application_update(
            actor=demo["redcross"],
            application=app,
            expected_lock_version=app.lock_version,
            data={"title": "Hijacked"},
        )


def test_withdraw_before_the_deadline_only(demo: dict[str, Any]) -> None:  # noqa: F811
    submitted = Application.objects.get(status="submitted")
    with pytest.raises(ApplicationError, match="After the deadline"):
        services.application_withdraw(
            actor=demo["redcross"],
            application=submitted,
            now=demo["call"].closes_at + dt.timedelta(seconds=1),
        )
    assert services.application_withdraw(actor=demo["redcross"], application=submitted).status == "withdrawn"
    assert submitted.snapshot is not None and Decimal(submitted.snapshot["total_cost"]) == Decimal(
        "149800.00"
    )


def test_submission_sends_a_receipt_with_the_pdf(
    demo: dict[str, Any],  # noqa: F811
    django_capture_on_commit_callbacks: Any,
    run_worker: Callable[[], None],
) -> None:
    from django.core import mail

    app = demo["draft"]
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(
            actor=demo["caritas"], application=app, expected_lock_version=app.lock_version
        )
    assert mail.outbox == []  # queued, not sent inside the request
    run_worker()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert app.reference in message.subject and message.to == ["beneficiary@caritas.example"]
    name, content, mimetype = message.attachments[0]
    assert (
        name == f"{app.reference}-receipt.pdf" and mimetype == "application/pdf" and content[:5] == b"%PDF-"
    )


def test_a_direct_award_invites_one_beneficiary(demo: dict[str, Any]) -> None:  # noqa: F811
    programme = Programme.objects.get(cci="2014BE65AMNP001")
    esf = Organisation.objects.get(short_name="ESF Flanders")
    fedasil = Organisation.objects.get(short_name="Fedasil")
    data = _call_data(code="DA-01", procedure="direct_award")
    with pytest.raises(ApplicationError) as refused:
        call_services.call_create(actor=demo["da"], programme=programme, organisation=esf, data=data)
    assert "direct_award_justification" in refused.value.extra["fields"]
    data["direct_award_justification"] = "Legal monopoly on reception (programme section 6.7.2)."
    with pytest.raises(ApplicationError, match="invites one beneficiary"):
        call_services.call_create(actor=demo["da"], programme=programme, organisation=esf, data=data)
    call, _ = call_services.call_create(
        actor=demo["da"],
        programme=programme,
        organisation=esf,
        data={**data, "invited_organisation": fedasil.pk},
    )
    call = call_services.call_transition(
        actor=demo["da"], call=call, status="published", expected_lock_version=1, no_documents=True
    )
    with pytest.raises(ApplicationError, match="reserved for the invited organisation"):
        services.application_create(
            actor=demo["caritas"],
            call=call,
            organisation=Organisation.objects.get(short_name="Caritas"),
            title="Not invited",
        )
    assert Call.objects.get(code="DA-01").invited_organisation == fedasil


def test_the_parts_are_saved_normalised_and_frozen_at_submission(demo: dict[str, Any]) -> None:  # noqa: F811
    app = demo["draft"]
    app = services.application_update(
        actor=demo["caritas"],
        application=app,
        expected_lock_version=app.lock_version,
        data={
            "actions": ["13"],
            "target_groups": ["women"],
            "expected_participants": "100",
            "unaccompanied_minors": "4",
            "partners": [
                {"name": "Red Cross", "enterprise_number": "0308.357.159", "role": "co_beneficiary"},
                {"name": "Stichting", "country": "nl", "enterprise_number": "41181225", "role": "associate"},
            ],
            "activities": [{"name": "Intake", "start": app.start_date, "end": app.end_date}],
        },
    )
    app.refresh_from_db()
    assert app.actions == [13] and app.target_groups == ["women"] and app.unaccompanied_minors == 4
    assert app.partners[0] == {
        "name": "Red Cross",
        "country": "BE",
        "enterprise_number": "0308357159",
        "role": "co_beneficiary",
    }
    assert app.partners[1]["country"] == "NL" and app.partners[1]["enterprise_number"] == "41181225"
    assert app.activities == [
        {"name": "Intake", "start": str(app.start_date), "end": str(app.end_date), "description": ""}
    ]
    frozen = services.snapshot(app)
    assert frozen["partners"] == app.partners and frozen["activities"] == app.activities
    assert frozen["actions"] == [13] and frozen["target_groups"] == ["women"]
    assert frozen["unaccompanied_minors"] == 4
