"""The text search over applications: title and summary (stemmed in Dutch, French, German and English
on PostgreSQL), applicant and reference; only within what the reader may see. Runs on SQLite and,
with DATABASE_URL set, on PostgreSQL, where the GIN indexes must serve it."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client

from amis.accounts.models import User
from amis.applications import selectors
from amis.applications.models import Application
from amis.calls.models import Call
from amis.demo.calls import CODE, load_calls
from amis.demo.people import load_people
from amis.organisations.models import Organisation

pytestmark = pytest.mark.django_db
POSTGRES = connection.vendor == "postgresql"


@pytest.fixture
def apps(belgian: Any) -> dict[str, Application]:
    load_people(log=lambda m: None)
    load_calls(log=lambda m: None)
    call = Call.objects.get(code=CODE)
    caritas = Organisation.objects.get(short_name="Caritas")
    other = Organisation.objects.exclude(pk=caritas.pk).filter(kind="ngo").first()
    assert other is not None
    rows = {
        "nl": ("S-NL", caritas, "Taallessen voor vrouwen", "Wij begeleiden nieuwkomers naar werk."),
        "fr": ("S-FR", caritas, "Accompagnement des familles", "Nous accompagnons les familles réfugiées."),
        "de": ("S-DE", other, "Sprachkurse für Frauen", "Wir begleiten Frauen in die Arbeitswelt."),
        "en": ("S-EN", other, "Housing for newcomers", "Helping refugees find housing."),
    }
    return {
        key: Application.objects.create(
            call=call, organisation=org, reference=ref, title=title, summary=summary, status="submitted"
        )
        for key, (ref, org, title, summary) in rows.items()
    }


def _found(text: str, user: Any = None) -> set[str]:
    qs = selectors.applications_for(user) if user else Application.objects.all()
    return set(
        selectors.search(qs, text).filter(reference__startswith="S-").values_list("reference", flat=True)
    )


def test_words_of_the_title_and_summary_are_found(apps: dict[str, Application]) -> None:
    assert _found("vrouwen") == {"S-NL"}
    assert _found("familles") == {"S-FR"}
    assert _found("Frauen") == {"S-DE"}
    assert _found("housing") == {"S-EN"}
    assert _found("") == {"S-NL", "S-FR", "S-DE", "S-EN"}  # no text: no filter
    assert _found("nothing-like-this") == set()


def test_the_reference_and_the_applicants_name_are_found(apps: dict[str, Application]) -> None:
    assert _found("S-FR") == {"S-FR"}
    caritas = apps["nl"].organisation.name
    assert _found(caritas) == {"S-NL", "S-FR"}


def test_other_forms_of_a_word_are_found_on_postgresql_substrings_on_sqlite(
    apps: dict[str, Application],
) -> None:
    assert _found("vrouw") == {"S-NL"}  # Dutch stem of vrouwen; on SQLite a substring of it
    assert _found("Sprachkurs") == {"S-DE"}  # German: Sprachkurse; on SQLite a substring
    # several words in other forms (French plural, infinitive): only full-text search finds them
    assert _found("famille accompagner") == ({"S-FR"} if POSTGRES else set())
    assert _found("helps") == ({"S-EN"} if POSTGRES else set())  # English: Helping, both stem to help


def test_the_gin_indexes_serve_the_search_on_postgresql_and_do_not_exist_on_sqlite(
    apps: dict[str, Application],
) -> None:
    with connection.cursor() as cursor:
        if not POSTGRES:
            cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE 'application_text_%'")
            assert cursor.fetchall() == []
            return
        # GIN indexes serve bitmap scans only: with plain scans off the plan shows whether the text
        # conditions can use them, whatever the planner prefers on a table of six rows
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        sql, params = selectors.search(Application.objects.all(), "vrouwen").query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    for config in ("dutch", "french", "german", "english"):
        assert f"application_text_{config}" in plan, plan


def test_the_search_stays_within_what_the_reader_may_see(apps: dict[str, Application]) -> None:
    beneficiary = User.objects.get(email="beneficiary@caritas.example")
    assert _found("Frauen", beneficiary) == set()  # another organisation's application
    assert _found("vrouwen", beneficiary) == {"S-NL"}
    client = Client()
    client.force_login(beneficiary)
    page = client.get("/applications/", {"q": "Frauen"}).content.decode()
    assert "S-DE" not in page
    page = client.get("/applications/", {"q": "vrouwen"}).content.decode()
    assert "S-NL" in page and "S-FR" not in page


def test_the_list_page_searches_and_keeps_the_text_in_the_pages(apps: dict[str, Application]) -> None:
    client = Client()
    client.force_login(User.objects.get(email="auditor@amis.example"))
    response = client.get("/applications/", {"q": "familles", "status": "submitted"})
    assert response.status_code == 200
    assert [a.reference for a in response.context["applications"]] == ["S-FR"]
    assert "q=familles" in response.context["query"]
    assert 'value="familles"' in response.content.decode()
    assert client.get("/applications/", {"q": "x" * 5000}).status_code == 200  # long text: cut, no 500
