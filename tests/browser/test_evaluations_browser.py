"""The evaluations in a browser: the responsible authority's officer opens the evaluations from the
home page, reads the demo's plans (the 2024 mid-term evaluation flagged overdue), opens the 2017
interim evaluation and its overdue recommendation, starts its follow-up, and plans a thematic
evaluation with dates typed as the reader writes them; the Monitoring Committee member reads the same
pages without the forms. axe finds no WCAG 2.1 AA violation on any of them."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from amis.demo.evaluations import INTERIM_TITLE, MID_TERM_TITLE, load_evaluations
from amis.demo.people import load_people
from amis.demo.programme import load_belgian_programme
from amis.evaluation.models import Evaluation, Recommendation
from tests.browser.test_selection_browser import _axe, _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_evaluations_and_the_follow_up_of_a_recommendation(live_server: Any, browser: Browser) -> None:
    load_belgian_programme(log=lambda m: None)
    load_people(log=lambda m: None)
    load_evaluations(log=lambda m: None)
    base = live_server.url

    officer = _login(browser, base, "ra.officer@amis.example")
    officer.get_by_role("link", name="Evaluation recommendations overdue").click()
    expect(officer.get_by_role("heading", name="Follow-up of the recommendations")).to_be_visible()
    expect(officer.get_by_text("1 recommendation.")).to_be_visible()
    assert _axe(officer) == []
    officer.get_by_role("link", name="3. Agree with the partners", exact=False).click()
    expect(officer.get_by_role("heading", name=f"Recommendation 3 of {INTERIM_TITLE}")).to_be_visible()
    expect(officer.get_by_text("overdue")).to_be_visible()
    assert _axe(officer) == []
    officer.get_by_label("Next step").select_option("in_progress")
    officer.get_by_role("button", name="Record the step").click()
    expect(officer.locator("#recommendation-status")).to_have_text("in progress")
    assert Recommendation.objects.get(number=3, evaluation__kind="interim").status == "in_progress"

    officer.goto(f"{base}/evaluations/")
    expect(officer.get_by_role("heading", name="Evaluations", exact=True)).to_be_visible()
    expect(officer.get_by_role("row", name=MID_TERM_TITLE, exact=False)).to_contain_text("overdue")
    assert _axe(officer) == []
    officer.get_by_role("link", name=INTERIM_TITLE).click()
    expect(officer.locator("#evaluation-status")).to_have_text("report delivered")
    expect(officer.get_by_role("link", name="interim-evaluation-2017.pdf")).to_be_visible()
    assert _axe(officer) == []
    officer.get_by_role("link", name="Evaluation plan of 2014BE65AMNP001").click()
    assert _axe(officer) == []
    form = officer.locator("form").filter(has_text="Plan an evaluation")
    form.get_by_label("Kind of evaluation").select_option("thematic")
    form.get_by_label("Title").fill("Legal aid for asylum seekers")
    form.get_by_label("SO1").check()
    form.get_by_label("Name of the evaluator (unit, expert or firm)").fill("Inspectorate")
    form.get_by_label("Planned start").fill("07/01/2019")
    form.get_by_label("Planned end").fill("28/06/2019")
    form.get_by_role("button", name="Plan the evaluation").click()
    expect(officer.get_by_role("heading", name="Legal aid for asylum seekers")).to_be_visible()
    assert _axe(officer) == []
    assert Evaluation.objects.get(kind="thematic").specific_objectives == ["SO1"]

    member = _login(browser, base, "mc.member@amis.example")
    member.goto(f"{base}/evaluations/")
    expect(member.get_by_role("link", name=MID_TERM_TITLE)).to_be_visible()
    member.get_by_role("link", name=MID_TERM_TITLE).click()
    expect(member.locator("#evaluation-status")).to_contain_text("in progress")
    expect(member.get_by_role("button")).to_have_count(2)  # the menu's log out and language, no form
    assert _axe(member) == []
