"""The home page: each role lands on what waits for it; a beneficiary on its applications and what
each needs next; the authorities on the programme's headline figures; visitors on a public welcome.
And the queries stay the same in number whatever the amount of data (no N+1)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from amis.accounts.models import User
from amis.applications.models import Application
from amis.demo.calls import (
    CODE,
    DRAFT_CODE,
    PAST_CODE,
    load_call_in_assessment,
    load_calls,
    load_decided_call,
    load_draft_call,
)
from amis.demo.people import load_people
from amis.demo.programme import load_belgian_programme
from amis.selection.models import CommitteeMeeting

pytestmark = pytest.mark.django_db


def quiet(message: str) -> None:
    pass


@pytest.fixture
def demo() -> None:
    load_belgian_programme(log=quiet)
    load_people(log=quiet)
    load_calls(log=quiet)
    load_draft_call(log=quiet)
    load_decided_call(log=quiet)
    load_call_in_assessment(log=quiet)


def _home(email: str) -> tuple[Any, str]:
    client = Client()
    client.force_login(User.objects.get(email=email))
    response = client.get("/")
    assert response.status_code == 200
    return response, response.content.decode()


def _task(response: Any, label: str) -> Any:
    return next(t for t in response.context["tasks"] if str(t.label) == label)


def test_a_visitor_sees_the_public_welcome_with_open_calls(demo: None) -> None:
    response = Client().get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f"/calls/{CODE}/" in page
    assert DRAFT_CODE not in page  # a draft call is not public
    assert "Waiting for you" not in page


def test_the_login_lands_on_the_home_page(demo: None, settings: Any) -> None:
    assert settings.LOGIN_REDIRECT_URL == "/"


def test_the_ra_officer_sees_the_draft_call_and_the_programme_at_a_glance(demo: None) -> None:
    response, page = _home("ra.officer@amis.example")
    drafts = _task(response, "Draft calls to complete and publish")
    assert drafts.count >= 1 and (DRAFT_CODE, f"/calls/{DRAFT_CODE}/") in drafts.items
    registrations = _task(response, "Registrations of organisations to approve")
    assert registrations.url == "/organisations/registrations/"
    # the dashboard is the responsible authority's home page: every programme, per objective
    glance = response.context["glance"]
    assert {item["board"].programme.cci for item in glance} == {"2014BE65AMNP001", "2021BE65AMPR001"}
    assert response.context["figures"] == []  # not twice: the glance has the plan and the calls
    for item in glance:
        chart = json.loads(
            page.split(f'id="{item["chart_id"]}" type="application/json">')[1].split("</script>")[0]
        )
        assert chart["labels"] == [o.key for o in item["board"].objectives]
    assert "Per specific objective, in euro; absorption is paid / planned" in page


def test_the_other_authority_roles_see_the_plan_the_calls_and_the_selected_projects(demo: None) -> None:
    from amis.projects.models import Project

    response, page = _home("assessor@amis.example")
    assert response.context["glance"] == []  # the dashboard is not an assessor's to read
    figure = response.context["figures"][0]
    assert figure["planned"] > 0
    assert figure["committed"] == sum(o["committed"] for o in figure["objectives"])
    assert Project.objects.exists()
    assert figure["selected"] == sum(
        p.eu_contribution for p in Project.objects.filter(application__call__programme=figure["programme"])
    )
    chart = json.loads(
        page.split(f'id="{figure["chart_id"]}" type="application/json">')[1].split("</script>")[0]
    )
    assert chart["labels"] == [o["code"] for o in figure["objectives"]]
    assert [s["key"] for s in chart["series"]] == ["planned", "committed", "selected"]
    assert "<table>" in page and "Per specific objective, in euro" in page


def test_the_assessor_sees_the_applications_to_score_with_links_to_the_scoring_page(demo: None) -> None:
    response, page = _home("assessor@amis.example")
    task = _task(response, "Eligible applications to score")
    assessor = User.objects.get(email="assessor@amis.example")
    # the eligible applications this assessor has not scored yet (the demo has one scored already)
    waiting = Application.objects.filter(status="eligible").exclude(assessments__assessor=assessor)
    assert task.count == waiting.count() > 0
    assert Application.objects.filter(status="eligible", assessments__assessor=assessor).exists()
    assert f"/applications/{waiting.first().reference}/assess/" in page  # type: ignore[union-attr]
    assert response.context["figures"]  # an authority role: the programme's figures


def test_the_committee_member_sees_the_meetings_to_decide(demo: None) -> None:
    planned = CommitteeMeeting.objects.filter(status="planned")
    response, page = _home("mc.member@amis.example")
    task = _task(response, "Committee meetings to decide")
    assert task.count == planned.count()
    for meeting in planned:
        assert f"/meetings/{meeting.pk}/" in page


def test_the_beneficiary_sees_its_applications_and_what_each_needs_next(demo: None) -> None:
    response, page = _home("beneficiary@caritas.example")
    rows = response.context["applications"]
    assert rows
    draft = next(r for r in rows if r["application"].status == "draft")
    assert str(draft["next"]) == "Complete and submit it before the call closes."
    assert draft["url"].endswith("/edit/")
    assert response.context["figures"] == []  # no programme figures for a beneficiary
    assert response.context["tasks"] == []
    own = set(
        Application.objects.filter(organisation__name__icontains="caritas").values_list(
            "reference", flat=True
        )
    )
    assert {r["application"].reference for r in rows} <= own
    assert PAST_CODE in page or CODE in page


def test_the_home_page_reads_in_a_fixed_number_of_queries(demo: None) -> None:
    client = Client()
    client.force_login(User.objects.get(email="ra.manager@amis.example"))
    from amis.dashboard import services as dashboard
    from amis.programme.models import Programme

    for programme in Programme.objects.all():  # the worker's work: the dashboard's stored summary
        dashboard.refresh(programme.pk)
    with CaptureQueriesContext(connection) as first:
        assert client.get("/").status_code == 200
    load_calls(log=quiet)  # idempotent: nothing new; add applications instead
    call = Application.objects.filter(call__code=CODE).first().call  # type: ignore[union-attr]
    org = Application.objects.filter(call__code=CODE).first().organisation  # type: ignore[union-attr]
    for i in range(15):
        Application.objects.create(
            call=call, organisation=org, reference=f"N1-{i}", title=f"n {i}", status="submitted"
        )
    with CaptureQueriesContext(connection) as second:
        assert client.get("/").status_code == 200
    assert len(second) == len(first)


@pytest.mark.parametrize("path", ["/privacy/", "/accessibility/"])
def test_the_footer_pages_are_public_and_every_page_has_the_footer(path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="/privacy/"' in page and 'href="/accessibility/"' in page and "mailto:" in page
    assert "Version " in page
