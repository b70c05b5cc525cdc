"""Reconciliation properties of the dashboard (issue 17 §1, "every figure is exact to the cent and
equals the sum of what it drills down to"): for any set of payments, corrections and recoveries
added to any of the demo's projects, the programme's total from the stored summary equals the sum
of its calls' rows, each call equals the sum of its projects, and every figure equals the plain sum
of the stored source rows."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import F, Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amis.accounts.models import User
from amis.calls.models import Call
from amis.dashboard import rules, selectors, services
from amis.demo.programme import BELGIAN_2021_CCI
from amis.demo.tests.test_money_demo import _load
from amis.payments.models import Payment, Recovery
from amis.programme.models import Programme
from amis.projects.models import Project
from amis.verification.models import FinancialCorrection

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("250000.00"), places=2)
records = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=1000), st.sampled_from(["paid", "corrected", "recovered"]), amounts
    ),
    max_size=8,
)


@pytest.fixture
def money(belgian: Any) -> Programme:
    _load()
    return Programme.objects.get(cci=BELGIAN_2021_CCI)


def _sum(queryset: Any, expression: Any) -> Decimal:
    return Decimal(str(queryset.aggregate(t=Sum(expression))["t"] or 0)).quantize(Decimal("0.01"))


def _add(kind: str, project: Project, amount: Decimal) -> None:
    """A copy of a stored row of this kind, moved to the project, with this amount."""
    model: Any = {"paid": Payment, "corrected": FinancialCorrection, "recovered": Recovery}[kind]
    row = copy.copy(model.objects.order_by("pk").first())
    assert row is not None, f"the demo has no {kind} row to copy"
    row.pk, row.project = None, project
    if kind == "paid":
        row.amount, row.offset, row.cancels, row.status = amount, Decimal("0.00"), None, Payment.Status.PAID
        row.paid_on = row.paid_on or dt.date(2026, 3, 2)
    elif kind == "corrected":
        row.amount, row.eu_amount = amount, amount
    else:
        row.amount_due, row.received, row.offset = amount, amount, Decimal("0.00")
    row.save()


@pytest.mark.django_db
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(added=records)
def test_the_total_is_the_sum_of_calls_of_projects_and_of_the_stored_rows(
    money: Programme, added: list[tuple[int, str, Decimal]]
) -> None:
    ra = User.objects.get(email="ra.manager@amis.example")
    projects = list(Project.objects.filter(application__call__programme=money).order_by("pk"))
    for index, kind, amount in added:
        _add(kind, projects[index % len(projects)], amount)
    board = selectors.programme_dashboard(ra, money, state=services.refresh(money.pk))
    total = board.total.figures

    calls = [c for o in board.objectives for g in o.children for c in g.children]
    assert rules.total(c.figures for c in calls) == total
    for row in calls:
        project_rows, _call = selectors.call_projects(ra, Call.objects.get(code=row.key))
        for key in rules.MONEY:
            if key != "in_calls":
                assert sum((getattr(p.figures, key) for p in project_rows), Decimal("0.00")) == getattr(
                    row.figures, key
                ), (row.key, key)

    in_programme = Project.objects.filter(application__call__programme=money)
    assert total.paid == _sum(
        Payment.objects.filter(project__in=in_programme, status="paid"), F("amount") + F("offset")
    )
    assert total.corrected == _sum(
        FinancialCorrection.objects.filter(project__in=in_programme), F("eu_amount")
    )
    assert total.recovered == _sum(
        Recovery.objects.filter(project__in=in_programme), F("received") + F("offset")
    )
    assert board.years[-1]["paid_to_date"] == total.paid if board.years else total.paid == 0
