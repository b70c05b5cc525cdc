"""The programmes' past years (`amis.demo.history`) built on an earlier or a later day: nothing
happens after that day (no report verified, no payment, no application nor receipt dated later),
every decommitment deadline already passed is covered, the next one of 2021-2027 is not yet (the one
warning, once it is within six months), and loading again changes nothing. Built on the
demo's own day, the whole demo is checked in `amis/declarations/tests/test_demo.py`."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from amis.declarations import selectors
from amis.declarations.models import CommissionReceipt, PaymentApplication
from amis.demo import history
from amis.demo.declarations import load_declarations
from amis.demo.expenditure import add_months
from amis.demo.tests.test_money_demo import _load
from amis.payments.models import Payment
from amis.programme.models import Programme
from amis.projects.models import Project
from amis.verification.models import Verification

pytestmark = pytest.mark.django_db


def _build(today: dt.date, monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo up to its past years and declarations, built on `today`: the clock moved to that day
    (the services refuse a date in their future)."""
    shift = today - timezone.localdate()
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + shift)
    assert timezone.localdate() == today
    quiet = lambda message: None  # noqa: E731
    _load(today)
    history.load_history(log=quiet, today=today)
    load_declarations(log=quiet, today=today)


def _dated_on(today: dt.date) -> None:
    """Nothing after `today`; every decommitment deadline before it covered (both programmes); for
    2021-2027 the next deadline not covered yet: the one warning when it is within six months (the
    rule's `warn_months`), none before."""
    ours = Payment.objects.filter(project__application__call__code__in=history.CODES)
    assert ours.filter(status=Payment.Status.PAID).count() > 20
    assert not ours.filter(paid_on__gt=today).exists()
    assert not Verification.objects.filter(
        report__project__application__call__code__in=history.CODES, completed_at__date__gt=today
    ).exists()
    assert not PaymentApplication.objects.filter(submitted_on__gt=today).exists()
    assert not CommissionReceipt.objects.filter(received_on__gt=today).exists()
    for cci in (history.BELGIAN_2014_CCI, history.BELGIAN_2021_CCI):
        risk = selectors.decommitment_risk(Programme.objects.get(cci=cci), today)
        passed = [r for r in risk if r.deadline is not None and r.deadline < today]
        assert passed and all(r.gap == 0 and r.level == "ok" for r in passed), (cci, today, passed)
    risk = selectors.decommitment_risk(Programme.objects.get(cci=history.BELGIAN_2021_CCI), today)
    upcoming = next(r for r in risk if r.deadline is not None and r.deadline >= today)
    assert upcoming.gap > 0 and upcoming.deadline is not None, (today, upcoming)
    near = upcoming.deadline <= add_months(today, 6)
    assert [r.year for r in risk if r.level == "warning"] == ([upcoming.year] if near else [])


@pytest.mark.parametrize(("today", "warned"), [(dt.date(2026, 12, 1), 2023), (dt.date(2027, 9, 15), 2024)])
def test_the_history_is_dated_on_the_day_it_is_built(
    belgian: object, monkeypatch: pytest.MonkeyPatch, today: dt.date, warned: int
) -> None:
    """Built today (the demo's day) and in the year after: the projects run to the end of the
    year, their amounts sized on the commitments, so that the warning moves with the day."""
    _build(today, monkeypatch)
    _dated_on(today)
    risk = selectors.decommitment_risk(Programme.objects.get(cci=history.BELGIAN_2021_CCI), today)
    assert [r.year for r in risk if r.level == "warning"] == [warned]
    end = dt.date(today.year if today.year > 2026 else 2026, 12, 31)
    ends = Project.objects.filter(
        application__call__code__in=history.CODES,
        application__call__programme__cci=history.BELGIAN_2021_CCI,
    ).values_list("end_date", flat=True)
    assert set(ends) == {end}


def test_the_history_stops_at_the_day_it_is_built(belgian: object, monkeypatch: pytest.MonkeyPatch) -> None:
    today = dt.date(2025, 3, 1)
    _build(today, monkeypatch)
    _dated_on(today)
    quiet = lambda message: None  # noqa: E731
    # 2021-2027: the accounting years 2023 and 2024 declared; 2025 (ending 30 June) not yet
    years = PaymentApplication.objects.filter(programme__cci=history.BELGIAN_2021_CCI).values_list(
        "year", flat=True
    )
    assert {2023, 2024} <= set(years) and max(years) == 2025  # 2025: the current year's, today
    counted = (Payment.objects.count(), PaymentApplication.objects.count(), Verification.objects.count())
    history.load_history(log=quiet, today=today)
    assert (
        Payment.objects.count(),
        PaymentApplication.objects.count(),
        Verification.objects.count(),
    ) == counted
