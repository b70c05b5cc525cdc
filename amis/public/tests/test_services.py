"""Publication details and exclusions: four eyes, every write and refusal audited, optimistic locking."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from amis.accounts.services import SegregationOfDutiesError
from amis.core.errors import ApplicationError, StaleObjectError
from amis.core.models import AuditEntry
from amis.public import selectors, services
from amis.public.models import PublicationExclusion
from amis.public.tests.helpers import CARITAS, RA_MANAGER, RA_OFFICER, base, operation, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():  # type: ignore[no-untyped-def]
    base()
    return operation("PUB-001")


def _events(obj: Any, event: str) -> int:
    return AuditEntry.objects.filter(
        action=event,
        object_type=type(obj)._meta.label,
        object_id=str(obj.pk),
    ).count()


def test_propose_withholds_and_another_person_approves(project) -> None:  # type: ignore[no-untyped-def]
    exclusion = services.exclusion_propose(
        actor=user(RA_OFFICER), project=project, reason="security", text="Shelter address is secret."
    )
    assert selectors.public_operation("PUB-001") is None  # withheld from the proposal on
    approved = services.exclusion_approve(
        actor=user(RA_MANAGER), exclusion=exclusion, expected_lock_version=exclusion.lock_version
    )
    assert approved.status == PublicationExclusion.Status.APPROVED
    assert approved.approved_by == user(RA_MANAGER)
    assert _events(approved, "create") == 1 and _events(approved, "transition") == 1


def test_the_proposer_cannot_approve_and_the_refusal_is_audited(project) -> None:  # type: ignore[no-untyped-def]
    officer = user(RA_OFFICER)
    exclusion = services.exclusion_propose(
        actor=officer, project=project, reason="personal_data", text="Names a child."
    )
    with pytest.raises(SegregationOfDutiesError):
        services.exclusion_approve(actor=officer, exclusion=exclusion, expected_lock_version=1)
    exclusion.refresh_from_db()
    assert exclusion.status == PublicationExclusion.Status.PROPOSED
    refused = AuditEntry.objects.filter(
        action="permission_refused", object_type="public.PublicationExclusion", object_id=str(exclusion.pk)
    )
    assert refused.count() == 1
    assert "another person" in str(refused.get().after)


def test_withdraw_publishes_again_and_keeps_the_reason(project) -> None:  # type: ignore[no-untyped-def]
    exclusion = services.exclusion_propose(
        actor=user(RA_OFFICER), project=project, reason="public_order", text="Tension locally."
    )
    with pytest.raises(ApplicationError):
        services.exclusion_withdraw(
            actor=user(RA_MANAGER), exclusion=exclusion, expected_lock_version=1, reason=" "
        )
    assert _events(exclusion, "change_refused") == 1
    withdrawn = services.exclusion_withdraw(
        actor=user(RA_MANAGER), exclusion=exclusion, expected_lock_version=1, reason="Not needed."
    )
    assert withdrawn.withdrawal_reason == "Not needed."
    assert selectors.public_operation("PUB-001") is not None
    with pytest.raises(ApplicationError):  # a withdrawn exclusion is not approved
        services.exclusion_approve(actor=user(RA_MANAGER), exclusion=withdrawn, expected_lock_version=2)


def test_one_exclusion_in_force_and_a_reason_among_the_four(project) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ApplicationError):
        services.exclusion_propose(actor=user(RA_OFFICER), project=project, reason="whim", text="x")
    services.exclusion_propose(actor=user(RA_OFFICER), project=project, reason="security", text="x")
    with pytest.raises(ApplicationError):
        services.exclusion_propose(
            actor=user(RA_MANAGER), project=project, reason="criminal_investigation", text="y"
        )
    assert PublicationExclusion.objects.count() == 1


def test_stale_lock_version_saves_nothing(project) -> None:  # type: ignore[no-untyped-def]
    exclusion = services.exclusion_propose(
        actor=user(RA_OFFICER), project=project, reason="security", text="x"
    )
    with pytest.raises(StaleObjectError):
        services.exclusion_approve(actor=user(RA_MANAGER), exclusion=exclusion, expected_lock_version=7)
    exclusion.refresh_from_db()
    assert exclusion.status == PublicationExclusion.Status.PROPOSED


def test_a_beneficiary_may_not_exclude(project) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        services.exclusion_propose(actor=user(CARITAS), project=project, reason="security", text="x")
    assert not PublicationExclusion.objects.exists()


def test_location_needs_a_place_or_a_note(project) -> None:  # type: ignore[no-untyped-def]
    details = project.publication_details
    with pytest.raises(ApplicationError):
        services.details_set(
            actor=user(RA_OFFICER), project=project, expected_lock_version=details.lock_version
        )
    with pytest.raises(ApplicationError):
        services.details_set(
            actor=user(RA_OFFICER), project=project, expected_lock_version=1, country_wide=True
        )
    with pytest.raises(ApplicationError):
        services.details_set(
            actor=user(RA_OFFICER), project=project, expected_lock_version=1, nuts_code="B-1"
        )
    updated = services.details_set(
        actor=user(RA_OFFICER),
        project=project,
        expected_lock_version=1,
        country_wide=True,
        location_note="Mobile team in every province",
    )
    assert updated.lock_version == 2 and updated.country_wide
    with pytest.raises(StaleObjectError):
        services.details_set(
            actor=user(RA_OFFICER), project=project, expected_lock_version=1, municipality="Gent"
        )
