"""Organisation services: identifiers checked, all-or-nothing writes, locks, and segregation of duties."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import models

from amis.accounts.models import DutyRecord, User
from amis.accounts.permissions import active_roles
from amis.accounts.roles import Role
from amis.accounts.services import SegregationOfDutiesError
from amis.core.errors import ApplicationError, StaleObjectError
from amis.core.models import AuditEntry
from amis.organisations import services
from amis.organisations.models import ContactPerson, Organisation

pytestmark = pytest.mark.django_db

RED_CROSS = {
    "kind": "red_cross",
    "name": "Rode Kruis-Vlaanderen",
    "enterprise_number": "0850.000.013",
    "city": "Mechelen",
    "iban": "BE71 0961 2345 6769",
    "bic": "gkccbebb",
}


def entries(obj: models.Model) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(object_type=obj._meta.label, object_id=str(obj.pk)).order_by("sequence")
    )


def test_create_normalises_identifiers_and_is_approved_and_audited(ra_officer: User) -> None:
    org = services.organisation_create(actor=ra_officer, data=RED_CROSS)
    assert (org.enterprise_number, org.iban, org.bic, org.country) == (
        "0850000013",
        "BE71096123456769",
        "GKCCBEBB",
        "BE",
    )
    assert org.status == Organisation.Status.APPROVED and org.decided_by == ra_officer
    [entry] = entries(org)
    assert entry.action == "create" and entry.actor == ra_officer
    assert (
        entry.after
        and entry.after["enterprise_number"] == "0850000013"
        and entry.after["status"] == "approved"
    )


def test_enterprise_number_required_for_belgian_organisations_only(ra_officer: User) -> None:
    with pytest.raises(ApplicationError) as exc:
        services.organisation_create(actor=ra_officer, data={"kind": "ngo", "name": "Without number"})
    assert "enterprise_number" in exc.value.extra["fields"]
    assert "Enterprise number (KBO/BCE)" in exc.value.message
    services.organisation_create(actor=ra_officer, data={"kind": "international_organisation", "name": "IOM"})
    foreign = services.organisation_create(
        actor=ra_officer,
        data={
            "kind": "ngo",
            "name": "VluchtelingenWerk Nederland",
            "country": "nl",
            "vat_number": "NL 004495445 B01",
        },
    )
    assert (foreign.country, foreign.vat_number, foreign.enterprise_number) == ("NL", "NL004495445B01", "")


def test_vat_number_must_fit_the_country(ra_officer: User) -> None:
    with pytest.raises(ApplicationError) as exc:
        services.organisation_create(actor=ra_officer, data={**RED_CROSS, "vat_number": "NL004495445B01"})
    assert "Belgian organisation" in exc.value.extra["fields"]["vat_number"]
    with pytest.raises(ApplicationError) as exc:
        services.organisation_create(
            actor=ra_officer,
            data={"kind": "ngo", "name": "X", "country": "FR", "vat_number": "NL004495445B01"},
        )
    assert "starts with FR" in exc.value.extra["fields"]["vat_number"]


def test_duplicate_identifier_names_the_existing_organisation(ra_officer: User, ngo: Organisation) -> None:
    with pytest.raises(ApplicationError) as exc:
        services.organisation_create(actor=ra_officer, data={**RED_CROSS, "enterprise_number": "0410123423"})
    message = exc.value.extra["fields"]["enterprise_number"]
    assert "0410.123.423" in message and "Caritas International" in message


def test_bad_input_saves_nothing_and_writes_no_audit_entry(ra_officer: User) -> None:
    audit_count, org_count = AuditEntry.objects.count(), Organisation.objects.count()
    bad = {
        "kind": "bakery",
        "name": " ",
        "enterprise_number": "0308.357.158",
        "iban": "BE00 1234",
        "email": "not-an-address",
        "country": "Belgium",
        "colour": "blue",
    }
    with pytest.raises(ApplicationError) as exc:
        services.organisation_create(actor=ra_officer, data=bad)
    fields = exc.value.extra["fields"]
    assert set(fields) == {"kind", "name", "enterprise_number", "iban", "email", "country", "colour"}
    assert "0308.357.158" in fields["enterprise_number"]
    assert exc.value.message.startswith("Nothing was saved.")
    assert (AuditEntry.objects.count(), Organisation.objects.count()) == (audit_count, org_count)


def test_update_audits_only_the_changed_fields_and_bumps_the_lock(
    ra_officer: User, ngo: Organisation
) -> None:
    updated = services.organisation_update(
        organisation=ngo,
        actor=ra_officer,
        expected_lock_version=1,
        data={
            "name": ngo.name,
            "city": "Brussel",
            "iban": "BE71096123456769",
            "enterprise_number": "0410.123.423",
        },
    )
    assert updated.city == "Brussel" and updated.lock_version == 2
    [entry] = entries(ngo)
    assert (entry.action, entry.before, entry.after) == ("update", {"city": ""}, {"city": "Brussel"})


def test_stale_update_is_refused_and_changes_nothing(
    ra_officer: User, ra_officer2: User, ngo: Organisation
) -> None:
    services.organisation_update(
        organisation=ngo, actor=ra_officer2, data={"city": "Gent"}, expected_lock_version=1
    )
    with pytest.raises(StaleObjectError, match="Caritas International was changed by someone else"):
        services.organisation_update(
            organisation=ngo, actor=ra_officer, data={"city": "Liège"}, expected_lock_version=1
        )
    ngo.refresh_from_db()
    assert (ngo.city, ngo.lock_version) == ("Gent", 2)


def test_update_refuses_bad_values_other_fields_and_changing_sides(
    ra_officer: User, ngo: Organisation
) -> None:
    for data, field in (
        ({"iban": "BE71 0961 2345 6768", "city": "Gent"}, "iban"),
        ({"status": "approved"}, "status"),
        ({"kind": "responsible_authority"}, "kind"),
        ({"enterprise_number": ""}, "enterprise_number"),
    ):
        with pytest.raises(ApplicationError) as exc:
            services.organisation_update(
                organisation=ngo, actor=ra_officer, data=data, expected_lock_version=1
            )
        assert field in exc.value.extra["fields"]
    ngo.refresh_from_db()
    assert (ngo.city, ngo.lock_version, entries(ngo)) == ("", 1, [])


@pytest.fixture
def applicant(make_user: Callable[..., User]) -> User:
    return make_user("director@welcome.example")


@pytest.fixture
def registered(applicant: User) -> Organisation:
    return services.organisation_register(
        user=applicant,
        data={
            "kind": "local_public_body",
            "name": "OCMW Welkom",
            "enterprise_number": "0417012304",
            "contact_function": "Director",
        },
    )


def test_registration_waits_with_the_registrant_as_contact(registered: Organisation, applicant: User) -> None:
    assert registered.status == Organisation.Status.PENDING and registered.registered_by == applicant
    [contact] = registered.contacts.all()
    assert (contact.name, contact.email, contact.function) == (
        "Director",
        "director@welcome.example",
        "Director",
    )
    assert DutyRecord.objects.filter(user=applicant, duty="register", object_id=str(registered.pk)).exists()
    assert Role.BENEFICIARY not in active_roles(applicant)


def test_registration_accepts_beneficiary_kinds_only(applicant: User) -> None:
    with pytest.raises(ApplicationError) as exc:
        services.organisation_register(
            user=applicant,
            data={"kind": "audit_authority", "name": "Fake", "enterprise_number": "0417012304"},
        )
    assert "kind" in exc.value.extra["fields"]
    assert not Organisation.objects.filter(name="Fake").exists()


def test_approval_by_another_officer_makes_the_registrant_a_beneficiary_user(
    registered: Organisation, applicant: User, ra_officer: User
) -> None:
    decided = services.organisation_decide(
        organisation=registered, actor=ra_officer, approve=True, reason="", expected_lock_version=1
    )
    assert (decided.status, decided.decided_by, decided.lock_version) == ("approved", ra_officer, 2)
    fresh = User.objects.get(pk=applicant.pk)
    assert active_roles(fresh)[Role.BENEFICIARY] == {registered.pk}
    assert entries(registered)[-1].after == {"status": "approved", "status_reason": ""}


def test_the_registrant_cannot_decide_on_their_own_registration(
    registered: Organisation, applicant: User, ra_org: Organisation
) -> None:
    with pytest.raises(SegregationOfDutiesError, match="another person must decide"):
        services.organisation_decide(
            organisation=registered, actor=applicant, approve=True, reason="", expected_lock_version=1
        )
    registered.refresh_from_db()
    assert registered.status == Organisation.Status.PENDING
    assert AuditEntry.objects.filter(action="permission_refused", actor=applicant).exists()


def test_rejection_needs_a_reason_and_gives_no_role(
    registered: Organisation, applicant: User, ra_officer: User
) -> None:
    with pytest.raises(ApplicationError) as exc:
        services.organisation_decide(
            organisation=registered, actor=ra_officer, approve=False, reason="  ", expected_lock_version=1
        )
    assert "reason" in exc.value.extra["fields"]
    decided = services.organisation_decide(
        organisation=registered,
        actor=ra_officer,
        approve=False,
        reason="Not in the KBO.",
        expected_lock_version=1,
    )
    assert (decided.status, decided.status_reason) == ("rejected", "Not in the KBO.")
    assert Role.BENEFICIARY not in active_roles(User.objects.get(pk=applicant.pk))
    with pytest.raises(ApplicationError, match="not awaiting approval"):
        services.organisation_decide(
            organisation=decided, actor=ra_officer, approve=True, reason="", expected_lock_version=2
        )


def test_authority_staff_cannot_register_a_beneficiary(ra_officer: User) -> None:
    with pytest.raises(ApplicationError, match="act for an authority"):
        services.organisation_register(
            user=ra_officer, data={"kind": "ngo", "name": "X", "enterprise_number": "0417012304"}
        )


def test_contacts_are_added_and_removed_with_audit(ra_officer: User, ngo: Organisation) -> None:
    with pytest.raises(ApplicationError) as exc:
        services.contact_add(organisation=ngo, actor=ra_officer, data={"name": "An", "email": "nope"})
    assert set(exc.value.extra["fields"]) == {"email"}
    person = services.contact_add(
        organisation=ngo, actor=ra_officer, data={"name": "An Peeters", "email": "an@caritas.example"}
    )
    assert (entries(person)[0].after or {})["email"] == "an@caritas.example"
    pk = person.pk
    services.contact_remove(contact=person, actor=ra_officer)
    assert not ContactPerson.objects.filter(pk=pk).exists()
    assert AuditEntry.objects.filter(
        object_type="organisations.ContactPerson", object_id=str(pk), action="delete"
    ).exists()
