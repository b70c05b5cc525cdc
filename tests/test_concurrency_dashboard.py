"""The dashboard's stored summary under concurrent use, on PostgreSQL: workers refreshing it, pages
reading it (and refreshing it when behind) and officers recording recovery receipts at the same
moment. No server error, no deadlock left to the user, one state row per programme, and after the
last refresh the stored figures are exactly those computed from the source tables."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from amis.accounts.models import User
from amis.core.audit import verify_chain
from amis.dashboard import freshness, selectors, services
from amis.dashboard.models import FiguresState
from amis.demo.programme import BELGIAN_2021_CCI
from amis.demo.tests.test_money_demo import _load
from amis.payments.models import Payment, Recovery
from amis.payments.recoveries import recovery_order, recovery_receive
from amis.programme.models import Programme
from tests.test_concurrency import _run

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locks; .ci/run runs it"
    ),
]


def test_refreshes_reads_and_writes_at_once(belgian: object) -> None:
    _load()
    programme = Programme.objects.get(cci=BELGIAN_2021_CCI)
    paid = Payment.objects.filter(project__application__call__programme=programme, status="paid").first()
    assert paid is not None
    order = recovery_order(
        actor=User.objects.get(email="ra.officer@amis.example"),
        project=paid.project,
        amount=Decimal("80.00"),
        due_date=timezone.localdate() + dt.timedelta(days=30),
        reason="Test: paid twice.",
    )
    ra = User.objects.get(email="ra.manager@amis.example")

    def refresh() -> str:
        services.refresh(programme.pk)
        return "refreshed"

    def read() -> str:
        state = freshness.current(programme)
        selectors.programme_dashboard(ra, programme, state=state)
        return "read"

    def receive() -> str:
        current = Recovery.objects.get(pk=order.pk)
        recovery_receive(
            actor=User.objects.get(email="accounting@amis.example"),
            recovery=current,
            amount=Decimal("10.00"),
            received_on=timezone.localdate(),
            expected_lock_version=current.lock_version,
        )
        return "received"

    done, failures = _run([refresh] * 6 + [read] * 6 + [receive] * 4, threads=8)
    assert failures == []
    assert done["refreshed"] == 6 and done["read"] == 6 and done["received"] + done["stale"] == 4
    assert FiguresState.objects.filter(programme=programme).count() == 1

    state = services.refresh(programme.pk)
    stored = selectors.programme_dashboard(ra, programme, state=state)
    live = selectors.programme_dashboard(ra, programme)
    assert stored.total.figures == live.total.figures
    assert Recovery.objects.get(pk=order.pk).received == Decimal("10.00") * done["received"] > 0
    assert verify_chain().ok
