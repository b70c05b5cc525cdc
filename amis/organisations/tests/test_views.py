"""Organisation pages, opened by the people who use them; refusals show the reason and nothing else."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from amis.accounts.models import User
from amis.accounts.permissions import active_roles
from amis.accounts.roles import Role
from amis.organisations import services
from amis.organisations.models import Organisation

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


def page(response: object, status: int = 200) -> str:
    assert response.status_code == status, response.status_code  # type: ignore[attr-defined]
    return response.content.decode()  # type: ignore[attr-defined]


def test_pages_need_a_login(client: Client) -> None:
    response = client.get("/organisations/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_list_filters_and_searches(
    as_user: Login, ra_officer: User, ngo: Organisation, other_ngo: Organisation
) -> None:
    client = as_user(ra_officer)
    text = page(client.get("/organisations/"))
    assert "Caritas International" in text and "Secret Shelter Foundation" in text and 'role="search"' in text
    text = page(client.get("/organisations/", {"q": "0410.123"}))
    assert "Caritas International" in text and "Secret Shelter Foundation" not in text
    text = page(client.get("/organisations/", {"kind": "responsible_authority", "status": "approved"}))
    assert "FPS Home Affairs" in text and "Caritas International" not in text


def test_detail_shows_identity_bank_contacts_and_history_link(
    as_user: Login, make_user: Callable[..., User], ra_org: Organisation, ngo: Organisation
) -> None:
    services.contact_add(
        organisation=ngo, actor=None, data={"name": "An Peeters", "email": "an@caritas.example"}
    )
    manager = make_user("manager@ibz.example", Role.RA_MANAGER, ra_org)
    text = page(as_user(manager).get(f"/organisations/{ngo.pk}/"))
    for expected in (
        "0410.123.423",
        "BE71 0961 2345 6769",
        "An Peeters",
        "Non-governmental organisation",
        f"/audit/object/organisations.Organisation/{ngo.pk}/",
    ):
        assert expected in text, expected


def test_beneficiary_sees_own_organisation_but_not_another(
    as_user: Login, beneficiary: User, ngo: Organisation, other_ngo: Organisation
) -> None:
    client = as_user(beneficiary)
    text = page(client.get(f"/organisations/{ngo.pk}/"))
    assert "Caritas International" in text and f"/audit/object/organisations.Organisation/{ngo.pk}/" in text
    text = page(client.get(f"/organisations/{other_ngo.pk}/"), 403)
    assert "another organisation than yours" in text
    assert "Secret Shelter Foundation" not in text and "0200" not in text
    assert "needs one of these roles" in page(client.get("/organisations/"), 403)
    assert page(client.get("/organisations/999999/"), 404)


def test_create_shows_every_field_error_and_then_creates(as_user: Login, ra_officer: User) -> None:
    client = as_user(ra_officer)
    assert 'name="enterprise_number"' in page(client.get("/organisations/new/"))
    form = {
        "kind": "ngo",
        "name": "Fedasil Partner",
        "enterprise_number": "0308.357.158",
        "country": "BE",
        "iban": "BE00",
    }
    text = page(client.post("/organisations/new/", form), 400)
    assert 'role="alert"' in text and text.count('aria-invalid="true"') == 2
    assert "0308.357.158" in text  # the user's input is kept
    assert not Organisation.objects.filter(name="Fedasil Partner").exists()
    response = client.post("/organisations/new/", {**form, "enterprise_number": "0850.000.013", "iban": ""})
    created = Organisation.objects.get(name="Fedasil Partner")
    assert response.status_code == 302 and response["Location"] == f"/organisations/{created.pk}/"


def test_edit_with_a_stale_lock_keeps_the_input_and_answers_409(
    as_user: Login, ra_officer: User, ra_officer2: User, ngo: Organisation
) -> None:
    client = as_user(ra_officer)
    assert 'name="lock_version" value="1"' in page(client.get(f"/organisations/{ngo.pk}/edit/"))
    services.organisation_update(
        organisation=ngo, actor=ra_officer2, data={"city": "Gent"}, expected_lock_version=1
    )
    form = {
        "kind": "ngo",
        "name": "Caritas International",
        "enterprise_number": "0410123423",
        "country": "BE",
        "city": "Liège",
        "lock_version": "1",
    }
    text = page(client.post(f"/organisations/{ngo.pk}/edit/", form), 409)
    assert "changed by someone else" in text and 'value="Liège"' in text and "Gent" in text
    assert 'name="lock_version" value="2"' in text
    ngo.refresh_from_db()
    assert ngo.city == "Gent"
    response = client.post(f"/organisations/{ngo.pk}/edit/", {**form, "lock_version": "2"})
    assert response.status_code == 302
    ngo.refresh_from_db()
    assert ngo.city == "Liège"


def test_beneficiary_edits_own_organisation_and_contacts(
    as_user: Login, beneficiary: User, ngo: Organisation
) -> None:
    client = as_user(beneficiary)
    form = {
        "kind": "ngo",
        "name": "Caritas International",
        "enterprise_number": "0410123423",
        "country": "BE",
        "street": "Liefdadigheidstraat 43",
        "lock_version": "1",
    }
    assert client.post(f"/organisations/{ngo.pk}/edit/", form).status_code == 302
    text = page(client.post(f"/organisations/{ngo.pk}/contacts/add/", {"name": "Jan", "email": "bad"}), 400)
    assert 'role="alert"' in text and 'aria-invalid="true"' in text
    client.post(
        f"/organisations/{ngo.pk}/contacts/add/", {"name": "Jan Jansen", "email": "jan@caritas.example"}
    )
    contact = ngo.contacts.get()
    assert client.post(f"/organisations/{ngo.pk}/contacts/{contact.pk}/remove/").status_code == 302
    assert not ngo.contacts.exists()


def test_register_then_an_officer_approves_from_the_queue(
    as_user: Login, make_user: Callable[..., User], ra_officer: User
) -> None:
    applicant = make_user("coordinator@ocmw.example")
    client = as_user(applicant)
    assert "Responsible Authority checks every registration" in page(client.get("/organisations/register/"))
    bad = page(client.post("/organisations/register/", {"kind": "ngo", "name": "", "country": "BE"}), 400)
    assert "The name of the organisation is required." in bad
    response = client.post(
        "/organisations/register/",
        {
            "kind": "local_public_body",
            "name": "OCMW Welkom",
            "enterprise_number": "0417.012.304",
            "country": "BE",
        },
    )
    org = Organisation.objects.get(name="OCMW Welkom")
    assert response["Location"] == f"/organisations/register/{org.pk}/submitted/"
    assert "awaits approval" in page(client.get(response["Location"]))
    assert "OCMW Welkom" not in page(as_user(ra_officer).get(response["Location"]))
    client = as_user(applicant)
    assert "awaiting approval" in page(client.get("/organisations/mine/"))

    officer = as_user(ra_officer)
    assert "OCMW Welkom" in page(officer.get("/organisations/registrations/"))
    text = page(
        officer.post(
            f"/organisations/registrations/{org.pk}/decide/",
            {"decision": "reject", "reason": "", "lock_version": "1"},
        ),
        400,
    )
    assert "Say why the registration is rejected" in text
    response = officer.post(
        f"/organisations/registrations/{org.pk}/decide/", {"decision": "approve", "lock_version": "1"}
    )
    assert response.status_code == 302
    assert active_roles(User.objects.get(pk=applicant.pk))[Role.BENEFICIARY] == {org.pk}


def test_queue_shows_the_segregation_of_duties_refusal(
    as_user: Login, make_user: Callable[..., User], ra_org: Organisation
) -> None:
    """Someone who registered an organisation and later joined the responsible authority."""
    person = make_user("newcomer@ibz.example")
    org = services.organisation_register(
        user=person, data={"kind": "ngo", "name": "Own NGO", "enterprise_number": "0417012304"}
    )
    from amis.accounts.services import role_assign

    role_assign(user=person, role=Role.RA_OFFICER, organisation=ra_org)
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(person, "JBSWY3DPEHPK3PXP")
    client = as_user(person)
    text = page(
        client.post(
            f"/organisations/registrations/{org.pk}/decide/", {"decision": "approve", "lock_version": "1"}
        ),
        400,
    )
    assert (
        "You registered this organisation; another person must decide on it." in text
        and 'role="alert"' in text
    )


def test_queue_and_create_are_refused_to_a_beneficiary(as_user: Login, beneficiary: User) -> None:
    client = as_user(beneficiary)
    assert "needs one of these roles" in page(client.get("/organisations/registrations/"), 403)
    assert page(client.get("/organisations/new/"), 403)


def test_my_organisation_page(
    as_user: Login, beneficiary: User, ngo: Organisation, other_ngo: Organisation
) -> None:
    text = page(as_user(beneficiary).get("/organisations/mine/"))
    assert "Caritas International" in text and f"/organisations/{ngo.pk}/edit/" in text
    assert "Secret Shelter Foundation" not in text


def test_auditor_reads_but_cannot_change(as_user: Login, auditor: User, ngo: Organisation) -> None:
    client = as_user(auditor)
    assert "Caritas International" in page(client.get(f"/organisations/{ngo.pk}/"))
    assert page(client.get(f"/organisations/{ngo.pk}/edit/"), 403)
