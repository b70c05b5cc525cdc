"""A new bank account of an approved organisation waits for a second person: payments follow the
confirmed account only (a changed IBAN is the classic way to divert a grant)."""

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
NEW_IBAN = "BE68539007547034"


def _ask(ngo: Organisation, user: User) -> Organisation:
    return services.organisation_update(
        organisation=ngo,
        actor=user,
        expected_lock_version=ngo.lock_version,
        data={
            "name": ngo.name,
            "enterprise_number": ngo.enterprise_number,
            "iban": NEW_IBAN,
            "bic": "GKCCBEBB",
        },
    )


def test_a_beneficiary_asks_for_a_new_account_and_the_old_one_stays(
    beneficiary: User, ngo: Organisation
) -> None:
    changed = _ask(ngo, beneficiary)
    assert changed.iban == "BE71096123456769"  # unchanged until confirmed
    assert (changed.pending_iban, changed.pending_bic) == (NEW_IBAN, "GKCCBEBB")
    assert changed.bank_change_requested_by == beneficiary and changed.bank_change_pending
    entry = AuditEntry.objects.filter(object_type="organisations.Organisation", object_id=str(ngo.pk)).first()
    assert entry is not None and entry.after is not None
    assert entry.after["pending_iban"] == NEW_IBAN and "iban" not in entry.after


def test_another_officer_confirms_and_payments_follow_the_new_account(
    beneficiary: User, ra_officer: User, ngo: Organisation
) -> None:
    asked = _ask(ngo, beneficiary)
    done = services.bank_change_decide(
        organisation=asked,
        actor=ra_officer,
        approve=True,
        reason="",
        expected_lock_version=asked.lock_version,
    )
    assert (done.iban, done.bic, done.pending_iban, done.bank_change_pending) == (
        NEW_IBAN,
        "GKCCBEBB",
        "",
        False,
    )


def test_nobody_confirms_their_own_change(ra_officer: User, ra_officer2: User, ngo: Organisation) -> None:
    asked = _ask(ngo, ra_officer)
    with pytest.raises(ApplicationError, match="another person must confirm it"):
        services.bank_change_decide(
            organisation=asked,
            actor=ra_officer,
            approve=True,
            reason="",
            expected_lock_version=asked.lock_version,
        )
    asked.refresh_from_db()
    assert asked.iban == "BE71096123456769" and asked.bank_change_pending
    services.bank_change_decide(
        organisation=asked,
        actor=ra_officer2,
        approve=True,
        reason="",
        expected_lock_version=asked.lock_version,
    )
    asked.refresh_from_db()
    assert asked.iban == NEW_IBAN


def test_refusing_needs_a_reason_and_keeps_the_old_account(
    beneficiary: User, ra_officer: User, ngo: Organisation
) -> None:
    asked = _ask(ngo, beneficiary)
    with pytest.raises(ApplicationError) as refused:
        services.bank_change_decide(
            organisation=asked,
            actor=ra_officer,
            approve=False,
            reason=" ",
            expected_lock_version=asked.lock_version,
        )
    assert "reason" in refused.value.extra["fields"]
    done = services.bank_change_decide(
        organisation=asked,
        actor=ra_officer,
        approve=False,
        reason="The bank letter is not signed.",
        expected_lock_version=asked.lock_version,
    )
    assert (done.iban, done.bank_change_pending) == ("BE71096123456769", False)
    entry = AuditEntry.objects.filter(object_type="organisations.Organisation", object_id=str(ngo.pk)).first()
    assert entry is not None and entry.after is not None
    assert entry.after["decision"] == "reject" and "not signed" in entry.after["reason"]


def test_a_beneficiary_cannot_confirm_and_a_pending_organisation_changes_directly(
    beneficiary: User, org: Callable[..., Organisation], ra_officer: User, ngo: Organisation
) -> None:
    asked = _ask(ngo, beneficiary)
    with pytest.raises(Exception, match="needs one of these roles"):
        services.bank_change_decide(
            organisation=asked,
            actor=beneficiary,
            approve=True,
            reason="",
            expected_lock_version=asked.lock_version,
        )
    pending = org("ngo", "New Shelter", enterprise_number="0200395169", status="pending")
    updated = services.organisation_update(
        organisation=pending,
        actor=ra_officer,
        expected_lock_version=pending.lock_version,
        data={"name": pending.name, "enterprise_number": "0200395169", "iban": NEW_IBAN},
    )
    assert (
        updated.iban == NEW_IBAN and not updated.bank_change_pending
    )  # approval of the registration checks it


def test_the_queue_page_confirms_a_change(
    beneficiary: User, ra_officer: User, ngo: Organisation, as_user: Callable[[User], Client]
) -> None:
    asked = _ask(ngo, beneficiary)
    page = as_user(ra_officer).get("/organisations/registrations/")
    assert "BE68 5390 0754 7034" in page.content.decode()
    response = as_user(ra_officer).post(
        f"/organisations/registrations/{ngo.pk}/bank-account/",
        {"decision": "approve", "lock_version": asked.lock_version},
    )
    assert response.status_code == 302
    ngo.refresh_from_db()
    assert ngo.iban == NEW_IBAN


def test_the_api_shows_the_pending_account_and_confirms_it(
    beneficiary: User, ra_officer: User, ngo: Organisation, as_user: Callable[[User], Client]
) -> None:
    asked = _ask(ngo, beneficiary)
    shown = as_user(beneficiary).get(f"/api/v1/organisations/{ngo.pk}").json()
    assert shown["iban"] == "BE71096123456769" and shown["pending_iban"] == NEW_IBAN
    own = as_user(beneficiary).post(
        f"/api/v1/organisations/{ngo.pk}/bank-account/decision",
        {"approve": True, "lock_version": asked.lock_version},
        content_type="application/json",
    )
    assert own.status_code == 403
    done = as_user(ra_officer).post(
        f"/api/v1/organisations/{ngo.pk}/bank-account/decision",
        {"approve": True, "lock_version": asked.lock_version},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["iban"] == NEW_IBAN and done.json()["pending_iban"] == ""


def test_everyone_who_speaks_for_the_organisation_is_alerted_by_the_worker(
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
        _ask(ngo, beneficiary)
    assert mail.outbox == []  # queued, not sent in the request
    run_worker()
    [message] = mail.outbox
    assert message.to == ["director@caritas.example", "info@caritas.example", "staff@caritas.example"]
    assert "BE68539007547034" in message.body and "BE71096123456769" in message.body
    run_worker()
    assert len(mail.outbox) == 1
    assert (
        AuditEntry.objects.filter(action="notify", object_id=str(ngo.pk), after__email="bank_change").count()
        == 1
    )
