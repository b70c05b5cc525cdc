"""Keeping `OperationStamp.published_changed_at` true: when anything a published row reads is saved
(or deleted), the stamps of the operations it concerns move to the time the change committed.

Why saves (Django's `post_save`/`post_delete`, connected in `PublicConfig.ready`) and not each
service calling us: the services that change a project, an agreement, a beneficiary's name or a
programme version live in apps below `amis.public` and may not import it (tests/test_layout.py);
the signals reach every write that goes through a model's `save()` or `delete()` — every service
does —, whoever makes it. A bulk `QuerySet.update()` bypasses them: code that updates these models
in bulk must call `touch()` itself (today only the ranking's bulk update of application statuses
does one, and no published row reads a status).

Why after the commit (`transaction.on_commit`): a harvester asks `updated_since=<the time of its
previous harvest>`. A stamp written inside the changing transaction would carry a time before that
transaction commits, and a harvest run in between would neither see the change (not committed yet)
nor, next time, ask for it (its stamp is older than the harvest). Stamped after the commit, the
time is always later than any harvest that could not see the change. A failure to stamp is logged
and does not undo the change (`robust=True`); the next change of the operation stamps it again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import Model, Q
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from amis.applications.models import Application
from amis.calls.models import Call
from amis.organisations.models import Organisation
from amis.payments.models import ProjectClosure
from amis.programme.models import ProgrammeVersion
from amis.projects.models import AgreementVersion, GrantAgreement, Project
from amis.public.models import OperationStamp, PublicationDetails, PublicationExclusion
from amis.reporting.models import Report

log = logging.getLogger(__name__)

# For each model a published row reads: which projects a saved instance concerns (None: the save
# changes nothing published — a draft or submitted programme version, a report not accepted —, so
# harvesters are not sent operations that did not change).
CONCERNS: dict[type[Model], Callable[[Any], Q | None]] = {
    Project: lambda o: Q(pk=o.pk),
    Application: lambda o: Q(application=o.pk),
    GrantAgreement: lambda o: Q(pk=o.project_id),
    AgreementVersion: lambda o: Q(agreement=o.agreement_id),
    Call: lambda o: Q(application__call=o.pk),
    ProgrammeVersion: lambda o: (
        Q(application__call__programme=o.programme_id)
        if o.status == ProgrammeVersion.Status.ADOPTED
        else None
    ),
    Organisation: lambda o: Q(organisation=o.pk),
    PublicationDetails: lambda o: Q(pk=o.project_id),
    PublicationExclusion: lambda o: Q(pk=o.project_id),
    ProjectClosure: lambda o: Q(pk=o.project_id),
    Report: lambda o: Q(pk=o.project_id) if o.status == Report.Status.ACCEPTED else None,
}


def touch(projects: Q, now: Any = None) -> int:
    """Stamp the projects matching `projects` with `now` (default: the current time); creates the
    stamp of a project that has none. Two statements whatever the number of projects."""
    moment = now or timezone.now()
    ids = list(Project.objects.filter(projects).values_list("pk", flat=True).distinct())
    if not ids:
        return 0
    OperationStamp.objects.bulk_create(
        [OperationStamp(project_id=pk, published_changed_at=moment) for pk in ids],
        update_conflicts=True,
        unique_fields=["project"],
        update_fields=["published_changed_at"],
        batch_size=5000,
    )
    return len(ids)


def _after_commit(projects: Q | None) -> None:
    if projects is None:
        return

    def run() -> None:
        with transaction.atomic():
            touch(projects)

    transaction.on_commit(run, robust=True)


def _saved(sender: type[Model], instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # loaddata: no stamps for fixtures
        return
    _after_commit(CONCERNS[sender](instance))


def _deleted(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    if sender is Project:  # its stamp goes with it (CASCADE); the list's count changes its validator
        return
    _after_commit(CONCERNS[sender](instance))


def connect() -> None:
    for model in CONCERNS:
        post_save.connect(_saved, sender=model, dispatch_uid=f"public-stamp-save-{model._meta.label}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"public-stamp-delete-{model._meta.label}")
