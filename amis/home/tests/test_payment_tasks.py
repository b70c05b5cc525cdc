"""The money's queues on the home page: the authorising officer sees the payments to approve (not
their own proposals), the accounting unit the approved payments to batch and then to record as paid."""

from __future__ import annotations

import datetime as dt

import pytest

from amis.home.selectors import home_for
from amis.payments import services as payments
from amis.projects.tests.builders import selected_project, signed_agreement, user

pytestmark = pytest.mark.django_db
RA_MANAGER, RA_OFFICER, ACCOUNTING = (
    "ra.manager@amis.example",
    "ra.officer@amis.example",
    "accounting@amis.example",
)


def _task(email: str, title: str) -> tuple[int, list[str]]:
    for task in home_for(user(email))["tasks"]:
        if str(task.label) == title:
            return task.count, [text for text, _url in task.items]
    raise AssertionError(f"no task {title!r} for {email}")


def test_payments_wait_on_the_home_pages_of_who_acts_next(belgian: object) -> None:
    project = selected_project()
    signed_agreement(project)
    proposed = payments.payment_propose(actor=user(RA_OFFICER), project=project, kind="prefinancing")
    count, items = _task(RA_MANAGER, "Payments to approve")
    assert count == 1 and items[0].startswith(f"{project.reference} · pre-financing · ")
    assert "96,300.00" in items[0] or "96 300,00" in items[0] or "96.300,00" in items[0]
    assert _task(ACCOUNTING, "Approved payments to put in a batch")[0] == 0
    approved = payments.payment_approve(actor=user(RA_MANAGER), payment=proposed, expected_lock_version=1)
    assert _task(RA_MANAGER, "Payments to approve")[0] == 0
    assert _task(ACCOUNTING, "Approved payments to put in a batch")[0] == 1
    batch = payments.batch_create(actor=user(ACCOUNTING), payments=[approved], execution_date=dt.date.today())
    payments.batch_export(actor=user(ACCOUNTING), batch=batch, expected_lock_version=batch.lock_version)
    assert _task(ACCOUNTING, "Approved payments to put in a batch")[0] == 0
    assert _task(ACCOUNTING, "Exported payments to record as paid")[0] == 1
