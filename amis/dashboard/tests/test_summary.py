"""The dashboard's stored summary (issue 17 §1, "if you precompute, say how fresh each figure is, and
a change shows within a minute"): the summary gives exactly the figures computed from the source
tables, for every reader and filter; a change is seen through the audit trail, queued for the worker
and shown as being added; figures a minute behind are computed before the page answers; an older
computation never overwrites a newer one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from amis.accounts.models import User
from amis.dashboard import freshness, selectors, services
from amis.dashboard.models import CallFigures, FiguresState
from amis.dashboard.selectors import Filters
from amis.demo.programme import BELGIAN_2021_CCI
from amis.demo.tests.test_money_demo import _load
from amis.organisations.models import Organisation
from amis.payments.models import Payment
from amis.payments.recoveries import recovery_order, recovery_receive
from amis.programme.models import Programme
from amis.projects.models import Project


def _user(email: str) -> User:
    return User.objects.get(email=email)


def _rows(board: selectors.Dashboard) -> list[tuple[str, Any, Any]]:
    out = [("total", board.total.figures, board.total.planned)]
    for objective in board.objectives:
        out.append((objective.key, objective.figures, objective.planned))
        for group in objective.children:
            out.append((f"{objective.key}/{group.key}", group.figures, group.planned))
            out += [(f"{objective.key}/{group.key}/{c.key}", c.figures, None) for c in group.children]
    return out


@pytest.fixture
def money(belgian: Any) -> Programme:
    _load()
    return Programme.objects.get(cci=BELGIAN_2021_CCI)


@pytest.mark.django_db
def test_the_summary_gives_the_source_tables_figures_for_every_reader_and_filter(money: Programme) -> None:
    state = services.refresh(money.pk)
    assert CallFigures.objects.filter(call__programme=money).exists()
    kinds = ["", *sorted(set(Project.objects.values_list("organisation__kind", flat=True)))]
    authorities = [
        None,
        *sorted({p for p in money.calls.values_list("managing_organisation_id", flat=True) if p}),
    ]
    compared = 0
    for email in ("ra.manager@amis.example", "da.flanders@amis.example", "mc.member@amis.example"):
        user = _user(email)
        for kind in kinds:
            for authority in authorities:
                filters = Filters(beneficiary_kind=kind, authority=authority)
                stored = selectors.programme_dashboard(user, money, filters, state)
                live = selectors.programme_dashboard(user, money, filters)
                assert _rows(stored) == _rows(live), (email, kind, authority)
                assert stored.years == live.years
                assert stored.indicators == live.indicators
                compared += len(_rows(live))
    paid = selectors.programme_dashboard(
        _user("ra.manager@amis.example"), money, state=state
    ).total.figures.paid
    assert paid > 0 and compared > 20  # real money, many rows: not a comparison of empty tables


@pytest.mark.django_db
def test_a_change_is_seen_queued_and_shown_within_a_minute(
    money: Programme, django_capture_on_commit_callbacks: Any
) -> None:
    ra = _user("ra.manager@amis.example")
    state = freshness.current(money)  # the first read computes the summary
    assert freshness.current(money).computed_at == state.computed_at  # nothing changed: kept as it is
    paid = Payment.objects.filter(
        project__application__call__programme=money, status="paid", kind="prefinancing"
    )
    project = next(p.project for p in paid if not hasattr(p.project, "closure"))
    recovery = recovery_order(
        actor=_user("ra.officer@amis.example"),
        project=project,
        amount=Decimal("25.00"),
        due_date=timezone.localdate() + dt.timedelta(days=30),
        reason="Test: an amount paid twice.",
    )
    before = selectors.programme_dashboard(ra, money, state=state).total.figures.recovered
    recovery_receive(
        actor=_user("accounting@amis.example"),
        recovery=recovery,
        amount=Decimal("10.00"),
        received_on=timezone.localdate(),
        expected_lock_version=recovery.lock_version,
    )

    # within the minute: the stored figures, said to be behind, and one refresh queued for the worker
    with django_capture_on_commit_callbacks(execute=True):  # a page's read runs in autocommit
        seen = freshness.current(money)
    board = selectors.programme_dashboard(ra, money, state=seen)
    assert board.behind and board.total.figures.recovered == before
    queued = DBTaskResult.objects.filter(task_path="amis.dashboard.tasks.refresh_dashboard")
    with django_capture_on_commit_callbacks(execute=True):
        freshness.current(money)
    assert queued.count() == 1  # asked once, not at every read
    page = Client()
    page.force_login(ra)
    assert "being added" in page.get(f"/dashboard/{money.cci}/").content.decode()

    # the worker's refresh brings the change in
    from amis.dashboard.tasks import refresh_dashboard

    refresh_dashboard.call(money.pk)
    fresh = freshness.current(money)
    assert fresh.requested_at is None
    board = selectors.programme_dashboard(ra, money, state=fresh)
    assert not board.behind and board.total.figures.recovered == before + Decimal("10.00")
    assert "nothing has changed since" in page.get(f"/dashboard/{money.cci}/").content.decode()


@pytest.mark.django_db
def test_figures_a_minute_behind_are_computed_before_the_page_answers(money: Programme) -> None:
    state = freshness.current(money)
    project = Project.objects.filter(application__call__programme=money).first()
    assert project is not None
    organisation = project.organisation
    # a beneficiary's type changes (an audited write): its projects move to another type
    old, new = (
        organisation.kind,
        Organisation.Kind.NGO if organisation.kind != "ngo" else Organisation.Kind.PARTNER,
    )
    Organisation.objects.filter(pk=organisation.pk).update(kind=new)
    from amis.core import audit

    audit.record(actor=None, action="update", obj=organisation, before={"kind": old}, after={"kind": new})
    FiguresState.objects.filter(pk=state.pk).update(computed_at=timezone.now() - dt.timedelta(seconds=61))
    current = freshness.current(money)  # no worker took it within a minute: computed now
    assert current.computed_at is not None and timezone.now() - current.computed_at < dt.timedelta(seconds=60)
    assert CallFigures.objects.filter(call=project.application.call, beneficiary_kind=new).exists()


@pytest.mark.django_db
def test_an_older_computation_never_overwrites_a_newer_one(money: Programme) -> None:
    newer = services.refresh(money.pk)
    assert newer.computed_at is not None
    stored = list(CallFigures.objects.order_by("pk").values_list("pk", flat=True))
    older = services._store(money.pk, newer.computed_at - dt.timedelta(seconds=5), 0, 1, {}, {})
    assert older.computed_at == newer.computed_at
    assert list(CallFigures.objects.order_by("pk").values_list("pk", flat=True)) == stored
