"""Reminders before and after due dates: each sent exactly once per report, kind and due date,
however often the daily task runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from amis.reporting.models import Report
from amis.reporting.tasks import reminder_kind
from amis.reporting.tests.conftest import World

pytestmark = pytest.mark.django_db


def test_which_reminder_is_due() -> None:
    due = dt.date(2027, 3, 31)
    assert reminder_kind(due, due - dt.timedelta(days=15)) is None
    assert reminder_kind(due, due - dt.timedelta(days=14)) == "before_14"
    assert reminder_kind(due, due - dt.timedelta(days=1)) == "before_14"
    assert reminder_kind(due, due) == "due"
    assert reminder_kind(due, due + dt.timedelta(days=6)) == "due"
    assert reminder_kind(due, due + dt.timedelta(days=7)) == "after_7"
    assert reminder_kind(due, due + dt.timedelta(days=70)) == "after_7"


def _run(day: dt.date, run_worker: Any) -> None:
    call_command("reminders", date=day.isoformat(), stdout=open("/dev/null", "w"))  # noqa: SIM115
    run_worker()


def test_each_reminder_is_sent_exactly_once(world: World, run_worker: Any) -> None:
    report = Report.objects.get(pk=world.report.pk)
    due = report.due_date
    Report.objects.filter(project=world.project).exclude(pk=report.pk).update(status="submitted")
    for day in (due - dt.timedelta(days=14), due - dt.timedelta(days=14), due - dt.timedelta(days=3)):
        _run(day, run_worker)  # run twice the same day, then again before the due date
    assert len(mail.outbox) == 1
    assert "is due on" in mail.outbox[0].subject and mail.outbox[0].to == ["beneficiary@caritas.example"]
    _run(due, run_worker)
    _run(due, run_worker)
    assert len(mail.outbox) == 2 and "due today" in mail.outbox[1].subject
    _run(due + dt.timedelta(days=7), run_worker)
    _run(due + dt.timedelta(days=8), run_worker)
    assert len(mail.outbox) == 3 and "overdue" in mail.outbox[2].subject
    Report.objects.filter(pk=report.pk).update(status="submitted")
    _run(due + dt.timedelta(days=9), run_worker)
    assert len(mail.outbox) == 3


def test_a_submitted_report_gets_no_reminder(world: World, run_worker: Any) -> None:
    Report.objects.filter(project=world.project).update(status="submitted")
    _run(world.report.due_date, run_worker)
    assert mail.outbox == []
