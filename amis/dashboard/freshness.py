"""How fresh the dashboard's figures are when a page reads them (docs/decisions/0009): the stored
summary as it is when nothing changed since it was computed; when something changed, the stored
summary (said to be behind) and one refresh queued for `amis worker`; when the figures are a minute
behind (no worker took the refresh), computed before the page answers.

Apart from `services` (the refresh itself) so that the task (`tasks.refresh_dashboard`, which calls
`services.refresh`) and what queues it do not import each other."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from amis.dashboard import services
from amis.dashboard.models import FiguresState
from amis.dashboard.tasks import refresh_dashboard
from amis.programme.models import Programme


def current(programme: Programme) -> FiguresState:
    """The programme's summary state, current to within a minute (see the module's docstring)."""
    state = FiguresState.objects.filter(programme=programme).first()
    if state is None or state.computed_at is None:
        return services.refresh(programme.pk)
    if not services.changed_since(state.audit_seen):
        return state
    if timezone.now() - state.computed_at >= services.FRESH:
        return services.refresh(programme.pk)
    request_refresh(state)
    return state


def request_refresh(state: FiguresState) -> None:
    """Queue one refresh for the worker (again if the last request was not taken within a minute)."""
    now = timezone.now()
    state.requested_at = state.requested_at or now  # the reader is told the figures are being brought up
    queued = FiguresState.objects.filter(
        Q(requested_at__isnull=True) | Q(requested_at__lt=now - services.FRESH), pk=state.pk
    ).update(requested_at=now)
    if queued:
        programme_id = state.programme_id
        transaction.on_commit(lambda: refresh_dashboard.enqueue(programme_id))
