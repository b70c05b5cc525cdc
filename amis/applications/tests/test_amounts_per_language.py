"""Amounts, rates and dates on the application's edit page, typed and shown as each language writes
them (issue 12 §2): a French applicant types `12 000,50` and reads `12 000,50 €`."""

from __future__ import annotations

from decimal import Decimal
from html import unescape
from typing import Any

import pytest
from django.test import Client

from amis.accounts.models import User
from amis.applications.models import Application
from amis.applications.tests.test_views_edit import _post
from amis.core.numbers import format_money
from amis.demo.calls import CODE, load_calls
from amis.demo.people import load_people

pytestmark = pytest.mark.django_db
NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.fixture
def draft(belgian: Any) -> Application:
    load_people(log=lambda m: None)
    load_calls(log=lambda m: None)
    return Application.objects.get(call__code=CODE, status="draft")


def _client(language: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(User.objects.get(email="beneficiary@caritas.example"))
    return client


@pytest.mark.parametrize(
    ("language", "typed", "shown", "rate", "date"),
    [
        ("fr", "12 000,50", f"12{NNBSP}000,50", f"7{NBSP}%", "31/12/2027"),
        ("fr", f"12{NBSP}000,50", f"12{NNBSP}000,50", f"7{NBSP}%", "31/12/2027"),
        ("fr", f"12{NNBSP}000,50", f"12{NNBSP}000,50", f"7{NBSP}%", "31/12/2027"),
        ("fr", "12000.50", f"12{NNBSP}000,50", f"7{NBSP}%", "31/12/2027"),
        ("nl", "12.000,50", "12.000,50", "7%", "31-12-2027"),
        ("de", "12.000,50", "12.000,50", f"7{NBSP}%", "31.12.2027"),
        ("en", "12,000.50", "12,000.50", "7%", "31/12/2027"),
        ("en", "12000.50", "12,000.50", "7%", "31/12/2027"),
    ],
)
def test_an_amount_typed_in_the_users_language_is_saved_and_shown_in_it(
    draft: Application, language: str, typed: str, shown: str, rate: str, date: str
) -> None:
    client = _client(language)
    changes = {"budget_0_amount": typed, "indirect_rate": rate, "end_date": date}
    saved = client.post(f"/applications/{draft.reference}/edit/", _post(draft, **changes))
    assert saved.status_code == 302, saved.content.decode()[:2000]
    draft.refresh_from_db()
    assert draft.budget_lines.order_by("position")[0].amount == Decimal("12000.50")
    assert draft.indirect_rate == Decimal("0.0700")
    assert str(draft.end_date) == "2027-12-31"
    page = client.get(f"/applications/{draft.reference}/edit/").content.decode()
    assert f'value="{shown}"' in page  # not 12000.50
    assert f'value="{rate}"' in page  # not 0.0700
    assert f'value="{date}"' in page  # not 2027-12-31, and never 12/31/2027
    assert "12000.50" not in page


def test_a_french_applicant_reads_the_summary_in_french(draft: Application) -> None:
    client = _client("fr")
    lines = list(draft.budget_lines.order_by("position"))
    preview = client.post(
        f"/applications/{draft.reference}/edit/preview/", _post(draft, budget_0_amount="12 000,50")
    )
    body = preview.content.decode()
    assert preview.status_code == 200, body
    direct = Decimal("12000.50") + sum((line.amount for line in lines[1:]), Decimal(0))
    assert format_money(direct, "fr") in body
    assert f"12{NNBSP}000,50{NBSP}€" == format_money(Decimal("12000.50"), "fr")
    assert "EUR" not in body  # one currency sign on the page: €


def test_a_french_applicant_sees_the_line_as_entered_on_the_application_page(draft: Application) -> None:
    client = _client("fr")
    client.post(f"/applications/{draft.reference}/edit/", _post(draft, budget_0_amount="12 000,50"))
    page = client.get(f"/applications/{draft.reference}/").content.decode()
    assert f"12{NNBSP}000,50" in page


@pytest.mark.parametrize(
    ("language", "typed", "message"),
    [
        ("en", "12,5", "“12,5” is not an amount. Write it as, for example, 12,000.50."),
        (
            "fr",
            "12,000.50",
            "«\u00a012,000.50\u00a0» n’est pas un montant. "
            "Écrivez-le par exemple ainsi\u00a0: 12\u202f000,50.",
        ),
        ("nl", "12,000.50", "‘12,000.50’ is geen bedrag. Schrijf het bijvoorbeeld als 12.000,50."),
        ("de", "12,000.50", "„12,000.50“ ist kein Betrag. Schreiben Sie ihn zum Beispiel als 12.000,50."),
    ],
)
def test_wrong_input_is_refused_in_the_users_language_with_an_example_in_their_format(
    draft: Application, language: str, typed: str, message: str
) -> None:
    client = _client(language)
    before = draft.budget_lines.order_by("position")[0].amount
    refused = client.post(f"/applications/{draft.reference}/edit/", _post(draft, budget_0_amount=typed))
    assert refused.status_code == 400
    body = refused.content.decode()
    assert message in unescape(body)
    assert f'value="{typed}"' in body  # what was typed stays, to be corrected
    assert draft.budget_lines.order_by("position")[0].amount == before


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            "The co-financing plan adds up to 100,000.00 but the total cost is 107,000.00; "
            "the parts must equal the total to the cent.",
        ),
        (
            "fr",
            f"Le plan de cofinancement totalise 100{NNBSP}000,00 mais le coût total est de 107{NNBSP}000,00"
            f"{NBSP}; les parts doivent égaler le total au centime près.",
        ),
        (
            "nl",
            "Het cofinancieringsplan komt uit op 100.000,00 maar de totale kosten bedragen 107.000,00; "
            "de delen moeten tot op de cent gelijk zijn aan het totaal.",
        ),
        (
            "de",
            "Der Kofinanzierungsplan ergibt 100.000,00, die Gesamtkosten betragen aber 107.000,00; "
            "die Anteile müssen centgenau der Summe entsprechen.",
        ),
    ],
)
def test_the_plain_rules_speak_the_readers_language_with_their_numbers_and_dates(
    language: str, expected: str
) -> None:
    import datetime as dt

    from django.utils import translation

    from amis.applications import rules

    terms = rules.CallTerms(
        Decimal("0.75"), Decimal("50000.00"), Decimal("300000.00"), dt.date(2027, 1, 1), dt.date(2027, 12, 31)
    )
    plan = rules.Budget(
        [rules.BudgetLine("staff", 2027, Decimal("100000.00"))],
        Decimal("0.07"),
        {"eu": Decimal("75000.00"), "own": Decimal("25000.00")},
    )
    with translation.override(language):
        problems = rules.check_for_submission(plan, terms, [], dt.date(2026, 1, 1), dt.date(2027, 12, 31))
    assert problems.by_field["funding"] == expected
    period = {"en": "01/01/2027", "fr": "01/01/2027", "nl": "01-01-2027", "de": "01.01.2027"}[language]
    assert period in problems.by_field["start"]


def test_a_french_applicant_reads_the_submission_refusal_in_french(draft: Application) -> None:
    client = _client("fr")
    refused = client.post(
        f"/applications/{draft.reference}/edit/", _post(draft, funding_eu="1 000 000,00", submit="1")
    )
    body = unescape(refused.content.decode())
    assert refused.status_code == 400
    assert "Le plan de cofinancement totalise" in body and "The co-financing plan" not in body
