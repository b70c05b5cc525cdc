"""Submission: the snapshot that freezes what was submitted, submitting before the deadline (which
queues the receipt for the worker) and withdrawing before it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amis.accounts.permissions import require
from amis.applications import rules, tasks
from amis.applications.models import APPLICATION_FIELDS, Application
from amis.applications.selectors import application_budget, application_problems
from amis.core import audit, parsing
from amis.core.errors import ApplicationError, StaleObjectError
from amis.core.transactions import atomic, lock_for_update


def snapshot(application: Application) -> dict[str, Any]:
    budget = application_budget(application)
    return {
        "reference": application.reference,
        "call": application.call.code,
        "organisation": application.organisation.name,
        **{
            k: getattr(application, k)
            for k in APPLICATION_FIELDS
            if k not in ("start_date", "end_date", "indirect_rate")
        },
        "start_date": str(application.start_date),
        "end_date": str(application.end_date),
        "indirect_rate": str(application.indirect_rate),
        "budget": [
            {"category": b.category, "year": b.year, "description": b.description, "amount": str(b.amount)}
            for b in budget.lines
        ],
        "direct_costs": str(budget.direct_costs),
        "indirect_costs": str(budget.indirect_costs),
        "total_cost": str(budget.total_cost),
        "attachments": [
            {"name": a.name, "size": a.size, "sha256": a.sha256} for a in application.attachments.all()
        ],
    }


@atomic
def application_submit(
    *, actor: Any, application: Application, expected_lock_version: int, now: dt.datetime | None = None
) -> Application:
    current = lock_for_update(Application.objects.select_related("call", "organisation")).get(
        pk=application.pk
    )
    require(actor, "application.edit", current.organisation)
    if current.lock_version != expected_lock_version:
        raise StaleObjectError(f"Application {current.reference}")
    if current.status != Application.Status.DRAFT:
        raise ApplicationError(
            _("Application %(reference)s is already %(status)s.")
            % {"reference": current.reference, "status": current.get_status_display()}
        )
    moment = now or timezone.now()
    problem = rules.deadline_problem(moment, current.call.opens_at, current.call.closes_at)
    if problem:
        raise ApplicationError(problem, code="deadline")
    problems = application_problems(current)
    if problems:
        raise parsing.fields_error(problems)
    current.status = Application.Status.SUBMITTED
    current.submitted_at = moment
    current.submitted_by = actor
    current.snapshot = snapshot(current)
    current.lock_version += 1
    current.save()
    audit.record(
        actor=actor,
        action="transition",
        obj=current,
        before={"status": "draft"},
        after={"status": "submitted", "submitted_at": moment.isoformat()},
    )
    # queued once the submission is committed: a submission that rolls back queues nothing
    transaction.on_commit(lambda: tasks.send_application_receipt.enqueue(current.pk))
    return current


@atomic
def application_withdraw(
    *, actor: Any, application: Application, now: dt.datetime | None = None
) -> Application:
    current = lock_for_update(Application.objects.select_related("call", "organisation")).get(
        pk=application.pk
    )
    require(actor, "application.edit", current.organisation)
    if current.status != Application.Status.SUBMITTED:
        raise ApplicationError(_("Only a submitted application can be withdrawn."))
    if rules.deadline_problem(now or timezone.now(), current.call.opens_at, current.call.closes_at):
        raise ApplicationError(
            _("After the deadline an application can no longer be withdrawn."), code="deadline"
        )
    current.status = Application.Status.WITHDRAWN
    current.lock_version += 1
    current.save(update_fields=["status", "lock_version", "updated_at"])
    audit.record(
        actor=actor,
        action="transition",
        obj=current,
        before={"status": "submitted"},
        after={"status": "withdrawn"},
    )
    return current
