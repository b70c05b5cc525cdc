"""Programme pages: every page renders the stored figures, in the reader's language."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from amis.core.models import AuditEntry
from amis.programme import selectors
from amis.programme.models import NationalObjective

pytestmark = pytest.mark.django_db
URL = "/programmes/2014BE65AMNP001"


def text_of(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _authority(email: str, role: str) -> Any:
    from allauth.mfa.totp.internal.auth import TOTP

    from amis.accounts import services
    from amis.organisations.models import Organisation

    ra, _ = Organisation.objects.get_or_create(
        name="RA", defaults={"kind": "responsible_authority", "status": "approved"}
    )
    user = services.user_create(email=email, password="a-long-test-password-1")
    services.role_assign(user=user, role=role, organisation=ra)
    TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    return user


@pytest.fixture
def staff(client: Client) -> Client:
    client.force_login(_authority("officer@amis.example", "ra_officer"))
    return client


def test_programme_list_and_overview(client: Client, belgian: Any) -> None:
    assert "2014BE65AMNP001" in text_of(client.get("/programmes/"))
    page = text_of(client.get(f"{URL}/v2/"))
    for expected in (
        "Federal Public Service Home Affairs",
        "Inspectorate of Finance",
        "European Social Fund Agency Flanders",
        "SO1.NO1",
        "Action 21",
        "EU-FRANK",
        "Indicative timetable",
        "National Red Cross",
    ):
        assert expected in page, expected
    assert client.get(f"{URL}/").status_code == 200


def test_financing_plan_page_shows_every_total(client: Client, belgian: Any) -> None:
    page = text_of(client.get(f"{URL}/v2/financing/"))
    for amount in (
        "177,261,833.12",
        "30,010,132.27",
        "32,718,973.19",
        "37,534,358.38",
        "6,442,369.28",
        "70,556,000.00",
        "103,787,316.91",
        "73,474,516.21",
        "23,278,000.00",
        "12,774,422.12",
    ):
        assert amount in page, amount
    assert "28.12%" in page  # SO1 share of the basic allocation 106,705,833.12


def test_pages_in_french_german_and_dutch(client: Client, belgian: Any) -> None:
    expectations = {
        "fr": ("Plan de financement", "177 261 833,12"),
        "de": ("Finanzierungsplan", "177.261.833,12"),
        "nl": ("Financieringsplan", "177.261.833,12"),
    }
    for language, (title, total) in expectations.items():
        client.post("/i18n/setlang/", {"language": language, "next": "/"})
        page = text_of(client.get(f"{URL}/v2/financing/"))
        assert f'<html lang="{language}">' in page
        assert title in page
        assert total.replace(" ", "\u202f") in page or total.replace(" ", "\xa0") in page or total in page


def test_indicators_special_cases_texts_validation(client: Client, belgian: Any) -> None:
    page = text_of(client.get(f"{URL}/v2/indicators/"))
    assert "7,175.00" in page and "Authority in charge of transferring the persons" in page
    page = text_of(client.get(f"{URL}/v2/special-cases/"))
    assert "Syrian refugees in the region" in page and "35,000,000.00" in page and "1,968" in page
    page = text_of(client.get(f"{URL}/v2/texts/"))
    assert "EXECUTIVE SUMMARY" in page.upper() and "Monitoring committee" in page
    page = text_of(client.get(f"{URL}/v2/validation/"))
    assert "Programme version has been validated." in page and "2.15" in page


def test_version_history_with_side_by_side_diff(client: Client, belgian: Any) -> None:
    client.force_login(_authority("reader@amis.example", "ra_officer"))  # the draft v3 is not public
    page = text_of(client.get(f"{URL}/versions/", {"from": 2, "to": 3}))
    assert "These changes need no new Commission decision." in page
    assert "22,629,929.52" in page and "22,379,929.52" in page  # amounts formatted, one format
    assert "-250,000.00" in page  # the difference column
    assert "specific_objectives[" not in page  # no internal paths: "SO1 › NO2 Integration: amount"
    assert re.search(r"<th scope=\"row\">SO\d › NO\d [^<:]+: amount</th>", page), page
    same = text_of(client.get(f"{URL}/versions/", {"from": 2, "to": 2}))
    assert "The two versions have the same content." in same
    assert client.get(f"{URL}/versions/", {"from": 2, "to": 7}).status_code == 404


def test_downloads(client: Client, belgian: Any) -> None:
    assert client.get(f"{URL}/v2/export.xlsx").content[:2] == b"PK"
    assert b"177261833.12" in client.get(f"{URL}/v2/export.yaml").content
    assert client.get(f"{URL}/v2/export.json")["Content-Type"].startswith("application/json")


def test_editing_the_draft_needs_a_responsible_authority_role(client: Client, belgian: Any) -> None:
    response = client.get(f"{URL}/v3/financing/edit/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")
    client.force_login(_authority("mc@amis.example", "verifier"))
    refused = client.get(f"{URL}/v3/financing/edit/")
    assert refused.status_code == 403 and "needs one of these roles" in refused.content.decode()


def _form(version: Any, **changes: str) -> dict[str, str]:
    plan = selectors.financing_plan_data(version)
    data = {
        f"{so['code']}.{line['code']}": (line["total"] if line["programmed"] else "")
        for so in plan["specific_objectives"]
        for line in so["national_objectives"] + so["specific_actions"]
    }
    data.update(
        technical_assistance=str(version.technical_assistance), lock_version=str(version.lock_version)
    )
    data.update(changes)
    return data


def test_staff_edits_the_draft_and_the_change_is_audited(staff: Client, belgian: Any) -> None:
    draft = selectors.version_get("2014BE65AMNP001", 3)
    response = staff.post(
        f"{URL}/v3/financing/edit/", _form(draft, **{"SO1.NO1": "19617517.37", "SO1.NO2": "8337446.31"})
    )
    assert response.status_code == 302
    assert NationalObjective.objects.get(
        specific_objective__version=draft, specific_objective__code="SO1", code="NO1"
    ).amount == Decimal("19617517.37")
    entry = AuditEntry.objects.filter(object_type="programme.ProgrammeVersion", action="update").latest("id")
    assert entry.actor is not None and entry.actor.email == "officer@amis.example"
    assert entry.before is not None and entry.after is not None
    assert entry.before["SO1.NO1"] == "19617518.37" and entry.after["SO1.NO1"] == "19617517.37"
    assert entry.request_path == f"{URL}/v3/financing/edit/"


def test_the_later_of_two_parallel_saves_is_refused(staff: Client, belgian: Any) -> None:
    draft = selectors.version_get("2014BE65AMNP001", 3)
    first = _form(draft, **{"SO1.NO1": "1.00"})
    second = _form(draft, **{"SO1.NO1": "2.00"})  # opened at the same time
    assert staff.post(f"{URL}/v3/financing/edit/", first).status_code == 302
    refused = staff.post(f"{URL}/v3/financing/edit/", second)
    assert refused.status_code == 409
    assert "was changed by someone else since you opened it" in refused.content.decode()
    assert NationalObjective.objects.get(
        specific_objective__version=draft, specific_objective__code="SO1", code="NO1"
    ).amount == Decimal("1")


@pytest.mark.parametrize("bad", ["-5.00", "1.234", "abc", "NaN", "1e400", "99999999999999999.99", "1E+20"])
def test_bad_amounts_save_nothing(staff: Client, belgian: Any, bad: str) -> None:
    draft = selectors.version_get("2014BE65AMNP001", 3)
    audit_count = AuditEntry.objects.count()
    response = staff.post(f"{URL}/v3/financing/edit/", _form(draft, **{"SO1.NO1": "1.00", "SO2.NO2": bad}))
    assert response.status_code == 400
    assert "Nothing was saved." in response.content.decode()
    assert NationalObjective.objects.get(
        specific_objective__version=draft, specific_objective__code="SO1", code="NO1"
    ).amount == Decimal("19617518.37")
    assert AuditEntry.objects.count() == audit_count


def test_a_lock_version_that_is_not_a_number_saves_nothing(staff: Client, belgian: Any) -> None:
    draft = selectors.version_get("2014BE65AMNP001", 3)
    form = _form(draft, **{"SO1.NO1": "1.00"}) | {"lock_version": "abc"}
    response = staff.post(f"{URL}/v3/financing/edit/", form)
    assert response.status_code == 400 and "reload the page" in response.content.decode()
    assert NationalObjective.objects.get(
        specific_objective__version=draft, specific_objective__code="SO1", code="NO1"
    ).amount == Decimal("19617518.37")


def test_an_adopted_version_cannot_be_edited(staff: Client, belgian: Any) -> None:
    response = staff.post(f"{URL}/v2/financing/edit/", _form(belgian, **{"SO1.NO1": "1.00"}))
    assert response.status_code == 400
    assert "only a draft can be changed" in response.content.decode()


def test_new_draft_is_refused_while_one_exists(staff: Client, belgian: Any) -> None:
    response = staff.post(f"{URL}/v2/new-draft/", follow=True)
    assert "already has a draft version" in response.content.decode()


def test_reference_data_in_the_admin(client: Client) -> None:
    """The admin is entered like every authority page: password, then the TOTP code."""
    import pyotp
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP

    admin = get_user_model().objects.create_superuser("root@amis.example", "pw-root-123")
    EmailAddress.objects.create(user=admin, email=admin.email, verified=True, primary=True)
    TOTP.activate(admin, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    client.post("/accounts/login/", {"login": admin.email, "password": "pw-root-123"})
    client.post("/accounts/2fa/authenticate/", {"code": pyotp.TOTP("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP").now()})
    for model in ("fund", "programmingperiod", "memberstate", "commonindicator"):
        assert client.get(f"/admin/programme/{model}/").status_code == 200, model
    page = text_of(client.get("/admin/programme/commonindicator/", {"q": "C2.1"}))
    assert "C2.1" in page


def test_four_eyes_the_person_who_prepared_a_draft_does_not_submit_it(client: Client, belgian: Any) -> None:
    preparer = _authority("m1@amis.example", "ra_manager")
    other = _authority("m2@amis.example", "ra_manager")
    draft = selectors.version_get("2014BE65AMNP001", 3)
    assert draft is not None
    client.force_login(preparer)
    assert (
        client.post(
            f"{URL}/v3/financing/edit/", _form(draft, **{"SO1.NO1": "19617517.37", "SO1.NO2": "8337446.31"})
        ).status_code
        == 302
    )
    draft.refresh_from_db()
    asked = client.post(f"{URL}/v3/status/", {"status": "submitted", "lock_version": draft.lock_version})
    assert asked.status_code == 200 and "can no longer be changed" in asked.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"  # asking changes nothing
    refused = client.post(
        f"{URL}/v3/status/",
        {"status": "submitted", "lock_version": draft.lock_version, "confirm": "yes"},
        follow=True,
    )
    assert "You prepared this version; another person must submit it (four eyes)." in refused.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"
    client.force_login(other)
    client.post(
        f"{URL}/v3/status/", {"status": "submitted", "lock_version": draft.lock_version, "confirm": "yes"}
    )
    draft.refresh_from_db()
    assert draft.status == "submitted"
    no_decision = client.post(
        f"{URL}/v3/status/", {"status": "adopted", "lock_version": draft.lock_version}, follow=True
    )
    assert "Adoption needs the Commission decision reference and date." in no_decision.content.decode()
    adoption = {
        "status": "adopted",
        "lock_version": draft.lock_version,
        "decision_reference": "C(2026) 1234",
        "decision_date": "2026-11-20",
    }
    adoption_asked = client.post(f"{URL}/v3/status/", adoption).content.decode()
    assert "C(2026) 1234" in adoption_asked and "This cannot be undone" in adoption_asked
    assert 'name="decision_date" value="2026-11-20"' in adoption_asked  # sent again with the answer
    client.post(f"{URL}/v3/status/", adoption | {"confirm": "yes"})
    draft.refresh_from_db()
    assert (draft.status, draft.decision_reference) == ("adopted", "C(2026) 1234")


def test_the_public_sees_the_adopted_version_not_the_latest_draft(client: Client, belgian: Any) -> None:
    """Version 3 is a draft: a visitor (and a beneficiary) opens the programme on adopted version 2,
    the draft's pages and downloads do not exist for them, the history lists adopted versions only;
    an authority reader opens the programme on the latest version, the draft."""
    assert selectors.version_get("2014BE65AMNP001").number == 3  # type: ignore[union-attr]
    assert client.get(f"{URL}/").context["version"].number == 2
    for path in ("/v3/", "/v3/financing/", "/v3/indicators/", "/v3/export.yaml", "/v3/texts/"):
        assert client.get(URL + path).status_code == 404, path
    assert [v.number for v in client.get(f"{URL}/versions/").context["versions"]] == [2]
    client.force_login(_authority("manager@amis.example", "ra_manager"))
    assert client.get(f"{URL}/").context["version"].number == 3
    assert client.get(f"{URL}/v3/financing/").status_code == 200
