"""A new legal name of an approved organisation waits for a second person, like a new bank account
(issue 10, §4.2): the name stays until the responsible authority confirms, whoever asked cannot
confirm, everyone who speaks for the organisation is alerted, and every step is audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from amis.accounts.models import User
from amis.core.errors import ApplicationError
from amis.core.models import AuditEntry
from amis.organisations import services
from amis.organisations.models import Organisation

pytestmark = pytest.mark.django_db
NEW_NAME = "Caritas International Belgium"


def _rename(ngo: Organisation, user: User, name: str = NEW_NAME) -> Organisation:
    return services.organisation_update(
        organisation=ngo,
        actor=user,
        expected_lock_version=ngo.lock_version,
        data={"name": name, "city": "Brussel"},
    )


def test_the_new_name_waits_and_the_rest_is_saved(beneficiary: User, ngo: Organisation) -> None:
    asked = _rename(ngo, beneficiary)
    assert asked.name == "Caritas International" and asked.city == "Brussel"
    assert (asked.pending_name, asked.name_change_requested_by) == (NEW_NAME, beneficiary)
    assert asked.name_change_pending and not asked.bank_change_pending
    entry = AuditEntry.objects.filter(object_type="organisations.Organisation", action="update").last()
    assert entry is not None and entry.after is not None
    assert entry.after["pending_name"] == NEW_NAME and "name" not in entry.after


def test_another_officer_confirms_and_nobody_confirms_their_own(
    ra_officer: User, ra_officer2: User, ngo: Organisation
) -> None:
    asked = _rename(ngo, ra_officer)
    with pytest.raises(ApplicationError, match="another person must confirm it"):
        services.name_change_decide(
            organisation=asked,
            actor=ra_officer,
            approve=True,
            reason="",
            expected_lock_version=asked.lock_version,
        )
    done = services.name_change_decide(
        organisation=asked,
        actor=ra_officer2,
        approve=True,
        reason="",
        expected_lock_version=asked.lock_version,
    )
    assert (done.name, done.pending_name, done.name_change_pending) == (NEW_NAME, "", False)
    entry = AuditEntry.objects.filter(action="transition", actor=ra_officer2).get()
    assert entry.before is not None and entry.after is not None
    assert (entry.before["name"], entry.after["name"], entry.after["decision"]) == (
        "Caritas International",
        NEW_NAME,
        "approve",
    )


def test_refusing_needs_a_reason_and_keeps_the_name(
    beneficiary: User, ra_officer: User, ngo: Organisation
) -> None:
    asked = _rename(ngo, beneficiary)
    with pytest.raises(ApplicationError, match="Say why the new name is refused"):
        services.name_change_decide(
            organisation=asked,
            actor=ra_officer,
            approve=False,
            reason=" ",
            expected_lock_version=asked.lock_version,
        )
    done = services.name_change_decide(
        organisation=asked,
        actor=ra_officer,
        approve=False,
        reason="Not in the KBO",
        expected_lock_version=asked.lock_version,
    )
    assert (done.name, done.name_change_pending) == ("Caritas International", False)


def test_a_beneficiary_cannot_confirm_and_a_pending_registration_is_renamed_directly(
    beneficiary: User, ngo: Organisation
) -> None:
    from django.core.exceptions import PermissionDenied

    asked = _rename(ngo, beneficiary)
    with pytest.raises(PermissionDenied):
        services.name_change_decide(
            organisation=asked,
            actor=beneficiary,
            approve=True,
            reason="",
            expected_lock_version=asked.lock_version,
        )
    Organisation.objects.filter(pk=ngo.pk).update(
        status=Organisation.Status.PENDING, name_change_requested_at=None
    )
    ngo.refresh_from_db()
    assert _rename(ngo, beneficiary, "Caritas").name == "Caritas"


def test_the_queue_page_and_the_api_confirm_a_new_name(
    beneficiary: User, ra_officer: User, ngo: Organisation, as_user: Callable[[User], Client]
) -> None:
    asked = _rename(ngo, beneficiary)
    page = as_user(ra_officer).get("/organisations/registrations/")
    assert NEW_NAME in page.content.decode()
    refused = as_user(ra_officer).post(
        f"/organisations/registrations/{ngo.pk}/name/",
        {"decision": "reject", "lock_version": asked.lock_version},
    )
    assert refused.status_code == 400
    shown = as_user(beneficiary).get(f"/api/v1/organisations/{ngo.pk}").json()
    assert shown["name"] == "Caritas International" and shown["pending_name"] == NEW_NAME
    own = as_user(beneficiary).post(
        f"/api/v1/organisations/{ngo.pk}/name/decision",
        {"approve": True, "lock_version": asked.lock_version},
        content_type="application/json",
    )
    assert own.status_code == 403
    done = as_user(ra_officer).post(
        f"/api/v1/organisations/{ngo.pk}/name/decision",
        {"approve": True, "lock_version": asked.lock_version},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["name"] == NEW_NAME and done.json()["pending_name"] == ""


def test_everyone_who_speaks_for_the_organisation_is_alerted(
    beneficiary: User,
    ngo: Organisation,
    run_worker: Callable[[], None],
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django.core import mail

    ngo.email = "info@caritas.example"
    ngo.save()
    ngo.contacts.create(name="Director", email="director@caritas.example")
    with django_capture_on_commit_callbacks(execute=True):
        _rename(ngo, beneficiary)
    run_worker()
    [message] = mail.outbox
    assert message.to == ["director@caritas.example", "info@caritas.example", "staff@caritas.example"]
    assert NEW_NAME in message.body and "staff@caritas.example" in message.body
    run_worker()
    assert len(mail.outbox) == 1
    assert (
        AuditEntry.objects.filter(action="notify", object_id=str(ngo.pk), after__email="name_change").count()
        == 1
    )
