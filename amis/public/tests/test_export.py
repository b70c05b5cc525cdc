"""The CSV of the list: streamed, the Annex XVII columns, the withheld operation and natural persons'
names absent, the page's filters applied, no text turned into a formula."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from amis.public import services
from amis.public.export import COLUMNS
from amis.public.tests.helpers import RA_MANAGER, RA_OFFICER, base, operation, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> None:
    base()
    operation("PUB-001", "=HYPERLINK(1) vzw")
    operation("PUB-002", "Gentse Opvang vzw", municipality="Gent")
    operation("PUB-004", "Jan Janssens", natural_person=True)
    secret = operation("PUB-005", "Geheime Opvang vzw", municipality="Gent")
    exclusion = services.exclusion_propose(
        actor=user(RA_OFFICER), project=secret, reason="security", text="x"
    )
    services.exclusion_approve(actor=user(RA_MANAGER), exclusion=exclusion, expected_lock_version=1)


def _rows(path: str) -> list[dict[str, str]]:
    response = Client().get(path)
    assert response.status_code == 200
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    reader = csv.DictReader(io.StringIO(text))
    assert reader.fieldnames == COLUMNS
    return list(reader)


def test_csv_has_the_published_operations_only(world: None) -> None:
    rows = _rows("/public/operations.csv")
    assert [r["operation_code"] for r in rows] == ["PUB-001", "PUB-002", "PUB-004"]
    first = rows[0]
    assert first["beneficiary"] == "'=HYPERLINK(1) vzw"
    assert (first["total_cost"], first["eu_contribution"], first["eu_cofinancing_rate"]) == (
        "100000.00",
        "75000.00",
        "0.7500",
    )
    assert (first["start_date"], first["end_date"], first["currency"]) == ("2019-03-01", "2020-12-31", "EUR")
    assert rows[2]["beneficiary"] == ""
    assert "Janssens" not in str(rows) and "Geheime" not in str(rows)


def test_csv_follows_the_filters(world: None) -> None:
    assert [r["operation_code"] for r in _rows("/public/operations.csv?municipality=Gent")] == ["PUB-002"]
    assert Client().get("/public/operations.csv?starts_from=not-a-date").status_code == 400
