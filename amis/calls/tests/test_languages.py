"""The call form and pages in the reader's language (issue 12 §2): amounts, rates, dates typed and
shown as the language writes them, and texts that say which language they fall back to."""

from __future__ import annotations

from decimal import Decimal
from html import unescape
from typing import Any

import pytest
from django.test import Client

from amis.calls.models import Call
from amis.calls.tests.test_views import _form, people  # noqa: F401  (fixture)
from amis.core.numbers import format_money

pytestmark = pytest.mark.django_db
NNBSP, NBSP = "\u202f", "\u00a0"


def _client(user: Any, language: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def test_a_german_officer_types_the_call_in_german_and_reads_it_back(people: dict[str, Any]) -> None:  # noqa: F811
    client = _client(people["da"], "de")
    saved = client.post(
        "/calls/new/",
        _form(
            budget="400.000,00",
            max_eu_rate="75 %",
            min_grant="20.000",
            max_grant="200.000,50",
            eligible_start="01.01.2030",
            eligible_end="31.12.2030",
            award_0_weight="60",
            award_1_weight="40",
            pass_mark="50,5",
            opens_at="01.12.2029 09:00",
            closes_at="15.01.2030 12:00",
        ),
    )
    assert saved.status_code == 302, unescape(saved.content.decode())[:3000]
    call = Call.objects.get(code="FL-AMIF-INT-09")
    assert call.budget == Decimal("400000.00") and call.max_eu_rate == Decimal("0.75")
    assert call.min_grant == Decimal("20000.00") and call.max_grant == Decimal("200000.50")
    assert str(call.eligible_end) == "2030-12-31" and call.pass_mark == Decimal("50.5")
    form = client.get(f"/calls/{call.code}/edit/").content.decode()
    for shown in ("400.000,00", f"75{NBSP}%", "200.000,50", "31.12.2030", "15.01.2030 12:00", "50,5"):
        assert f'value="{shown}"' in form, shown
    page = client.get(f"/calls/{call.code}/").content.decode()
    assert format_money(Decimal("400000"), "de") in page and f"75{NBSP}%" in page
    assert "EUR" not in page  # € only


def test_a_french_reader_is_told_which_language_the_texts_fall_back_to(people: dict[str, Any]) -> None:  # noqa: F811
    client = _client(people["da"], "fr")
    client.post("/calls/new/", _form(languages=["nl"], title_fr="", description_nl="Projecten."))
    page = unescape(client.get("/calls/FL-AMIF-INT-09/").content.decode())
    assert (
        "Cet appel n’est pas publié dans votre langue\u00a0: ses textes sont affichés en néerlandais." in page
    )
    programme = unescape(client.get("/programmes/2014BE65AMNP001/").content.decode())
    assert (
        "Les textes du programme n’existent pas dans votre langue\u00a0: ils sont affichés en anglais."
        in programme
    )
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    english.force_login(people["da"])
    assert "do not exist in your language" not in english.get("/programmes/2014BE65AMNP001/").content.decode()


def test_a_french_officer_reads_a_wrong_amount_refused_in_french(people: dict[str, Any]) -> None:  # noqa: F811
    client = _client(people["da"], "fr")
    refused = client.post("/calls/new/", _form(budget="400,000.00"))
    assert refused.status_code == 400
    body = unescape(refused.content.decode())
    assert (
        "«\u00a0400,000.00\u00a0» n’est pas un montant. Écrivez-le par exemple ainsi\u00a0: 12\u202f000,50."
        in body
    )


def test_the_call_rules_answer_a_dutch_officer_in_dutch(people: dict[str, Any]) -> None:  # noqa: F811
    client = _client(people["da"], "nl")
    refused = client.post("/calls/new/", _form(award_0_weight="60,5"))
    assert refused.status_code == 400
    body = unescape(refused.content.decode())
    assert "De gewichten van de gunningscriteria tellen op tot 100,5, niet tot 100." in body
