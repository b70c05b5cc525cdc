"""The financing plan typed and shown as the reader's language writes amounts (issue 12 §2)."""

from __future__ import annotations

from decimal import Decimal
from html import unescape
from typing import Any

from django.test import Client

from amis.programme import selectors
from amis.programme.models import NationalObjective
from amis.programme.tests.test_views import URL, _authority, _form

NNBSP, NBSP = "\u202f", "\u00a0"


def _so1_no1(version: Any) -> Decimal:
    return NationalObjective.objects.get(
        specific_objective__version=version, specific_objective__code="SO1", code="NO1"
    ).amount


def test_a_french_officer_types_and_reads_the_financing_plan_in_french(belgian: Any) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(_authority("officer@amis.example", "ra_officer"))
    draft = selectors.version_get("2014BE65AMNP001", 3)
    form = client.get(f"{URL}/v3/financing/edit/").content.decode()
    assert f'value="19{NNBSP}617{NNBSP}518,37"' in form  # not 19617518.37
    saved = client.post(f"{URL}/v3/financing/edit/", _form(draft, **{"SO1.NO1": "19 617 517,37"}))
    assert saved.status_code == 302
    assert _so1_no1(draft) == Decimal("19617517.37")
    page = unescape(client.get(f"{URL}/v3/financing/").content.decode())
    assert f"19{NNBSP}617{NNBSP}517,37" in page
    assert f"177{NNBSP}261{NNBSP}833,12" in page  # the grand total, French style
    assert "EUR" not in page


def test_a_german_officers_wrong_amount_is_refused_and_kept(belgian: Any) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="de")
    client.force_login(_authority("officer@amis.example", "ra_officer"))
    draft = selectors.version_get("2014BE65AMNP001", 3)
    refused = client.post(f"{URL}/v3/financing/edit/", _form(draft, **{"SO1.NO1": "19,617,517.37"}))
    assert refused.status_code == 400
    assert 'value="19,617,517.37"' in refused.content.decode()
    assert _so1_no1(draft) == Decimal("19617518.37")
