"""The application's edit page for every part it holds, its add-a-row fragment and live budget summary,
and the application page that shows the parts (as submitted, once submitted)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from amis.accounts.models import User
from amis.applications import services
from amis.applications.models import Application
from amis.demo.calls import CODE, load_calls
from amis.demo.people import load_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(belgian: Any) -> dict[str, Any]:
    load_people(log=lambda m: None)
    load_calls(log=lambda m: None)
    return {
        "caritas": User.objects.get(email="beneficiary@caritas.example"),
        "redcross": User.objects.get(email="beneficiary@redcross.example"),
        "draft": Application.objects.get(call__code=CODE, status="draft"),
        "submitted": Application.objects.get(call__code=CODE, status="submitted"),
    }


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(app: Application, **changes: Any) -> dict[str, Any]:
    """The edit form as the page sends it for `app` unchanged, then `changes`."""
    data: dict[str, Any] = {
        "lock_version": app.lock_version,
        "title": app.title,
        "summary": app.summary,
        "description": app.description,
        "start_date": str(app.start_date),
        "end_date": str(app.end_date),
        "actions": [str(a) for a in app.actions],
        "target_groups": list(app.target_groups),
        "expected_participants": app.expected_participants,
        "vulnerable_participants": app.vulnerable_participants,
        "unaccompanied_minors": app.unaccompanied_minors,
        "indirect_rate": str(app.indirect_rate * 100),  # typed in per cent
        "national_public_funder": app.funders.get("national_public", ""),
    }
    for i, line in enumerate(app.budget_lines.all()):
        data |= {
            f"budget_{i}_category": line.category,
            f"budget_{i}_year": line.year,
            f"budget_{i}_description": line.description,
            f"budget_{i}_amount": str(line.amount),
        }
    for i, partner in enumerate(app.partners):
        data |= {f"partner_{i}_{k}": v for k, v in partner.items()}
    for i, activity in enumerate(app.activities):
        data |= {f"activity_{i}_{k}": v for k, v in activity.items()}
    for source, amount in app.funding.items():
        data[f"funding_{source}"] = amount
    for code, value in app.planned_indicators.items():
        data[f"indicator_{code}"] = value
    return data | changes


def _state(app: Application) -> tuple[Any, ...]:
    app.refresh_from_db()
    return (
        app.lock_version,
        app.actions,
        app.target_groups,
        app.unaccompanied_minors,
        app.partners,
        app.activities,
        app.funding,
        list(app.budget_lines.values_list("category", "year", "amount")),
    )


def test_the_edit_page_offers_every_part(demo: dict[str, Any]) -> None:
    app = demo["draft"]
    body = _client(demo["caritas"]).get(f"/applications/{app.reference}/edit/").content.decode()
    assert "Programme actions served" in body and 'name="actions" value="13"' in body
    assert "Action 13: " in body  # with the action's title from the programme
    assert 'name="target_groups" value="youngsters"' in body
    assert 'name="unaccompanied_minors"' in body
    assert 'name="partner_2_enterprise_number"' in body and 'name="activity_3_end"' in body
    assert 'aria-live="polite"' in body and "149,800.00" in body  # the budget summary as saved
    assert f'hx-get="/applications/{app.reference}/edit/rows/partner/"' in body


def test_the_page_saves_each_new_part_and_shows_it_again(demo: dict[str, Any]) -> None:
    app = demo["draft"]
    client = _client(demo["caritas"])
    data = _post(
        app,
        target_groups=["youngsters"],
        unaccompanied_minors="5",
        activity_1_name="Job fair",
        activity_1_start=f"{app.start_date.year}-05-01",
        activity_1_end=f"{app.start_date.year}-05-02",
        activity_1_description="With employers",
        partner_0_name="Rode Kruis Vlaanderen",
        partner_0_enterprise_number="0308.357.159",
        partner_0_role="co_beneficiary",
        # a row added in the browser, beyond the empty rows the page had
        partner_7_name="Stichting Werk",
        partner_7_country="NL",
        partner_7_enterprise_number="KVK 41181225",
        partner_7_role="associate",
        save="1",
    )
    response = client.post(f"/applications/{app.reference}/edit/", data)
    assert response.status_code == 302, response.content.decode()
    app.refresh_from_db()
    assert app.target_groups == ["youngsters"] and app.unaccompanied_minors == 5 and app.actions == [13]
    assert [p["name"] for p in app.partners] == ["Rode Kruis Vlaanderen", "Stichting Werk"]
    assert app.partners[0]["enterprise_number"] == "0308357159" and app.partners[1]["country"] == "NL"
    assert app.activities[1] == {
        "name": "Job fair",
        "start": f"{app.start_date.year}-05-01",
        "end": f"{app.start_date.year}-05-02",
        "description": "With employers",
    }
    edit = client.get(f"/applications/{app.reference}/edit/").content.decode()
    assert 'value="0308.357.159"' in edit and 'value="Job fair"' in edit and 'value="5"' in edit
    page = client.get(f"/applications/{app.reference}/").content.decode()
    for text in (
        "Action 13",
        "youngsters",
        "Of whom unaccompanied minors",
        "Job fair",
        "Rode Kruis Vlaanderen",
        "0308.357.159",
        "Co-beneficiary",
        "KVK 41181225",
        "Planned values",
        "C2",
        "Documents",
    ):
        assert text in page, text


@pytest.mark.parametrize(
    "changes, field, message",
    [
        (
            {
                "partner_0_name": "P",
                "partner_0_enterprise_number": "0308.357.158",
                "partner_0_role": "associate",
            },
            "partner_0_enterprise_number",
            "not a valid Belgian enterprise number",
        ),
        ({"partner_0_name": "", "partner_0_role": "associate"}, "partner_0_name", "A partner needs a name."),
        (
            {"activity_1_name": "X", "activity_1_start": "2030-05-02", "activity_1_end": "2030-05-01"},
            "activity_1_end",
            "The end date is before the start date.",
        ),
        ({"activity_1_name": "X", "activity_1_start": "2 May"}, "activity_1_start", "is not a date"),
        ({"unaccompanied_minors": "121"}, "unaccompanied_minors", "more than the 120 participants"),
        ({"actions": ["1"]}, "actions", "Select a valid choice"),
        ({"target_groups": ["pensioners"]}, "target_groups", "Select a valid choice"),
    ],
)
def test_bad_input_per_part_saves_nothing_and_is_shown_next_to_the_field(
    demo: dict[str, Any], changes: dict[str, Any], field: str, message: str
) -> None:
    app = demo["draft"]
    before = _state(app)
    response = _client(demo["caritas"]).post(
        f"/applications/{app.reference}/edit/", _post(app, summary="Not kept", save="1", **changes)
    )
    body = response.content.decode()
    assert response.status_code == 400 and message in body
    # the message sits in the same cell or paragraph as its input
    near = body[body.index(f'name="{field}"') :]
    assert near.index('role="alert"') < near.index(
        "</td>" if field.startswith(("partner_", "activity_")) else "</fieldset>"
    )
    assert _state(app) == before


def test_add_a_row_fragment(demo: dict[str, Any]) -> None:
    app = demo["draft"]
    client = _client(demo["caritas"])
    row = client.get(f"/applications/{app.reference}/edit/rows/partner/?index=4")
    body = row.content.decode()
    assert row.status_code == 200 and body.lstrip().startswith("<tr>")
    assert 'name="partner_4_name"' in body and "autofocus" in body and "Partner name (line 5)" in body
    assert 'id="next-partner"' in body and 'value="5"' in body and 'hx-swap-oob="true"' in body
    assert client.get(f"/applications/{app.reference}/edit/rows/activity/?index=x").status_code == 400
    assert client.get(f"/applications/{app.reference}/edit/rows/activity/?index=100").status_code == 400
    assert client.get(f"/applications/{app.reference}/edit/rows/nothing/?index=1").status_code == 404
    other = _client(demo["redcross"]).get(f"/applications/{app.reference}/edit/rows/partner/?index=4")
    assert other.status_code == 403


def test_add_a_row_without_javascript_keeps_the_input_and_saves_nothing(demo: dict[str, Any]) -> None:
    app = demo["draft"]
    before = _state(app)
    response = _client(demo["caritas"]).post(
        f"/applications/{app.reference}/edit/", _post(app, summary="Typed", add_row="activity")
    )
    body = response.content.decode()
    rows = len(app.activities) + 3
    assert response.status_code == 200 and f'name="activity_{rows}_name"' in body and "Typed" in body
    assert "Nothing is saved until you save the draft." in body
    assert _state(app) == before
    refused = _client(demo["caritas"]).post(
        f"/applications/{app.reference}/edit/", _post(app, activity_100_name="Too far", save="1")
    )
    assert refused.status_code == 400 and _state(app) == before


def test_the_budget_preview_adds_up_to_the_cent_and_saves_nothing(demo: dict[str, Any]) -> None:
    app = demo["draft"]
    before = _state(app)
    client = _client(demo["caritas"])
    url = f"/applications/{app.reference}/edit/preview/"
    response = client.post(
        url,
        _post(
            app,
            budget_0_amount="120000.01",
            budget_3_category="travel",
            budget_3_year="2030",
            budget_3_amount="99.99",
        ),
    )
    body = response.content.decode()
    assert response.status_code == 200, body
    # direct 140,100.00; indirect 7 % = 9,807.00; total 149,907.00; plan 149,800.00 -> 107.00 apart
    for text in (
        "140,100.00",
        "9,807.00",
        "149,907.00",
        "149,800.00",
        "107.00",
        "74.95%",
        "at most 75%",
    ):
        assert text in body, text
    assert _state(app) == before
    bad = client.post(url, _post(app, budget_1_amount="abc", funding_eu="1.234"))
    body = bad.content.decode()
    assert bad.status_code == 200
    assert "“abc” is not an amount. Write it as, for example, 12,000.50." in body
    assert 'href="#id_budget_1_amount"' in body
    assert "“1.234” has too many decimals: at most 2." in body and 'href="#id_funding_eu"' in body
    assert _state(app) == before


def test_the_budget_preview_refuses_malformed_input_and_strangers(demo: dict[str, Any]) -> None:
    app = demo["draft"]
    url = f"/applications/{app.reference}/edit/preview/"
    client = _client(demo["caritas"])
    assert client.post(url, {"budget_0_amount": "1"}).status_code == 400  # not the page's form
    assert client.post(url, _post(app, budget_500_amount="1")).status_code == 400
    assert client.get(url).status_code == 405
    assert _client(demo["redcross"]).post(url, _post(app)).status_code == 403
    anonymous = Client().post(url, _post(app))
    assert anonymous.status_code in (302, 403)
    submitted = demo["submitted"]
    refused = _client(demo["redcross"]).post(
        f"/applications/{submitted.reference}/edit/preview/", _post(submitted)
    )
    assert refused.status_code == 400 and "can no longer be changed" in refused.content.decode()


def test_a_submitted_application_shows_what_was_submitted(demo: dict[str, Any]) -> None:
    app = demo["draft"]
    app = services.application_update(
        actor=demo["caritas"],
        application=app,
        expected_lock_version=app.lock_version,
        data={
            "partners": [{"name": "Partner at submission", "role": "associate"}],
            "activities": [{"name": "Activity at submission", "start": app.start_date, "end": app.end_date}],
        },
    )
    app = services.application_submit(
        actor=demo["caritas"], application=app, expected_lock_version=app.lock_version
    )
    # the live record changes afterwards (e.g. a correction by support): the page keeps the snapshot
    Application.objects.filter(pk=app.pk).update(
        partners=[{"name": "Changed later", "role": "associate"}], summary="Changed later too"
    )
    page = _client(demo["caritas"]).get(f"/applications/{app.reference}/").content.decode()
    assert "Partner at submission" in page and "Activity at submission" in page
    assert "Changed later" not in page and "Shown as it was submitted." in page
    assert "Associated partner" in page and "Intake and coaching" not in page
