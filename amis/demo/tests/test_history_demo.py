"""The programmes' past years (`amis.demo.history`) built on an earlier day: nothing happens after
that day (no report verified, no payment, no application nor receipt dated later), every
decommitment deadline already passed is covered, and loading again changes nothing. Built on the
demo's own day, the whole demo is checked in `amis/declarations/tests/test_demo.py`."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from amis.declarations import selectors
from amis.declarations.models import CommissionReceipt, PaymentApplication
from amis.demo import history
from amis.demo import projects as demo
from amis.demo.declarations import load_declarations
from amis.demo.tests.test_money_demo import _load
from amis.payments.models import Payment
from amis.programme.models import Programme
from amis.verification.models import Verification

pytestmark = pytest.mark.django_db


def test_the_history_stops_at_the_day_it_is_built(belgian: object, monkeypatch: pytest.MonkeyPatch) -> None:
    today = dt.date(2025, 3, 1)

    class Clock:
        make_aware = staticmethod(timezone.make_aware)

        @staticmethod
        def localdate() -> dt.date:
            return today

    monkeypatch.setattr(demo, "timezone", Clock)
    quiet = lambda message: None  # noqa: E731
    _load(today)
    history.load_history(log=quiet, today=today)
    load_declarations(log=quiet, today=today)
    ours = Payment.objects.filter(project__application__call__code__in=history.CODES)
    assert ours.filter(status=Payment.Status.PAID).count() > 20
    assert not ours.filter(paid_on__gt=today).exists()
    assert not Verification.objects.filter(
        report__project__application__call__code__in=history.CODES, completed_at__date__gt=today
    ).exists()
    assert not PaymentApplication.objects.filter(submitted_on__gt=today).exists()
    assert not CommissionReceipt.objects.filter(received_on__gt=today).exists()
    # 2021-2027: the accounting years 2023 and 2024 declared; 2025 (ending 30 June) not yet
    years = PaymentApplication.objects.filter(programme__cci=history.BELGIAN_2021_CCI).values_list(
        "year", flat=True
    )
    assert {2023, 2024} <= set(years) and max(years) == 2025  # 2025: the current year's, today
    for cci in (history.BELGIAN_2014_CCI, history.BELGIAN_2021_CCI):
        risk = selectors.decommitment_risk(Programme.objects.get(cci=cci), today)
        assert "decommitted" not in {r.level for r in risk}, cci
    counted = (Payment.objects.count(), PaymentApplication.objects.count(), Verification.objects.count())
    history.load_history(log=quiet, today=today)
    assert (
        Payment.objects.count(),
        PaymentApplication.objects.count(),
        Verification.objects.count(),
    ) == counted
