"""Decommitment risk on the dashboard (issue 17 §1): per commitment year what pre-financing and
payment applications must cover by the period's deadline (2021-2027: CPR Art. 105, N+3), what
covers it, the gap, the forecast gap once the verified EU share is declared, and a warning months
before the deadline — on the programme page, the home page and in the API, for whole-programme
readers only."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from amis.accounts.models import User
from amis.dashboard import selectors
from amis.declarations import rules as declaration_rules
from amis.declarations.selectors import covered_by_date
from amis.demo.declarations import load_declarations
from amis.demo.programme import BELGIAN_2021_CCI
from amis.demo.tests.test_money_demo import _load
from amis.programme.models import Programme


@pytest.fixture
def money(belgian: Any) -> Programme:
    _load()
    load_declarations(log=lambda message: None)
    return Programme.objects.get(cci=BELGIAN_2021_CCI)


@pytest.mark.django_db
def test_the_years_the_gap_and_the_forecast(money: Programme) -> None:
    ra = User.objects.get(email="ra.manager@amis.example")
    board = selectors.programme_dashboard(ra, money)
    committed = {y["year"]: y["committed"] for y in board.years if y["committed"] is not None}
    today = dt.date(2026, 9, 1)  # four months before the 2023 commitment's N+3 deadline
    years = selectors.decommitment(money, committed, board.total.figures, today=today)
    expected = declaration_rules.decommitment("2021-2027", committed, covered_by_date(money), today)
    assert [y["year"] for y in years] == [y.year for y in expected] and years
    by_year = {y["year"]: y for y in years}
    first = by_year[2023]
    assert first["deadline"] == dt.date(2026, 12, 31) and first["level"] == "warning"
    assert first["gap"] == max(first["to_cover"] - first["covered"], Decimal("0.00")) > 0
    total = board.total.figures
    pipeline = max(total.eu_verified - total.corrected - total.to_commission, Decimal("0.00"))
    assert first["forecast_gap"] == max(first["gap"] - pipeline, Decimal("0.00"))
    assert "105" in first["article"]
    # cumulated: each year's amount to cover is the sum of the commitments until its deadline year
    assert by_year[2024]["to_cover"] >= by_year[2023]["to_cover"]


@pytest.mark.django_db
def test_whole_programme_readers_see_it_a_delegated_officer_does_not(money: Programme) -> None:
    ra = User.objects.get(email="ra.manager@amis.example")
    board = selectors.programme_dashboard(ra, money)
    assert board.decommitment  # the plan's years, as of today
    delegated = selectors.programme_dashboard(User.objects.get(email="da.flanders@amis.example"), money)
    assert delegated.decommitment == []  # programme-wide money: not a part's to watch
    client = Client()
    client.force_login(ra)
    page = client.get(f"/dashboard/{money.cci}/").content.decode()
    assert "Decommitment risk" in page and "Forecast gap" in page
    book = load_workbook(
        io.BytesIO(client.get(f"/dashboard/{money.cci}/?format=xlsx&table=decommitment").content),
        read_only=True,
    )
    sheet = book.active
    assert sheet is not None
    years = [row[0] for row in list(sheet.iter_rows(values_only=True))[1:]]
    assert years == [y["year"] for y in board.decommitment]
    api = client.get(f"/api/v1/dashboard/{money.cci}").json()
    assert [y["year"] for y in api["decommitment"]] == [y["year"] for y in board.decommitment]
    assert all(isinstance(y["gap"], str) for y in api["decommitment"])
    for warning in board.decommitment_warnings:  # the home page repeats what can still be acted on
        assert warning["level"] == "warning"
        assert f"of the commitments up to {warning['year']}" in client.get("/").content.decode()
