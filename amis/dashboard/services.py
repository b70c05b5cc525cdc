"""The dashboard's only writes: its summary of each programme (`models.py`), refreshed from the
source tables so the programme page reads a few hundred rows instead of millions.

When the figures are refreshed (docs/decisions/0009-dashboard-summary.md):
- every change to a source is audited in the transaction that makes it, so "has anything changed
  since the figures were computed?" is one indexed look at the audit trail past `audit_seen`;
- nothing changed: the stored figures are current, whatever their age;
- something changed: the page shows the stored figures (saying so) and queues a refresh for
  `amis worker`, which takes it within seconds; when they are a minute old (no worker took the
  refresh), the page computes them itself before answering. A change so shows within a minute.

Locks (docs/architecture.md, "Locking"): a refresh locks its programme's `FiguresState` row, then
replaces that programme's summary rows; nothing else locks these tables, and no business service
waits on them. Two refreshes of one programme run one after the other; the one that read the
sources later wins (an older computation never overwrites a newer one).
"""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal
from typing import Any

from django.db.models import Max, Q
from django.utils import timezone

from amis.calls.models import Call
from amis.core.models import AuditEntry
from amis.core.transactions import atomic
from amis.dashboard import selectors
from amis.dashboard.models import CallFigures, CallIndicator, CallPaidInYear, FiguresState
from amis.dashboard.rules import Figures

FRESH = dt.timedelta(seconds=60)
# the apps whose audited changes can move a dashboard figure (and the summary's own inputs)
SOURCE_APPS = (
    "calls.",
    "organisations.",
    "projects.",
    "reporting.",
    "verification.",
    "payments.",
    "declarations.",
)
# audit entries that change no data (the services' own actions — "receive", "approve", ... — do)
NOT_CHANGES = (
    AuditEntry.Action.LOGIN,
    AuditEntry.Action.LOGIN_FAILED,
    AuditEntry.Action.LOGOUT,
    AuditEntry.Action.PERMISSION_REFUSED,
    AuditEntry.Action.EXPORT,
    AuditEntry.Action.NOTIFY,
    "change_refused",
)


def _last_sequence() -> int:
    return int(AuditEntry.objects.aggregate(last=Max("sequence"))["last"] or 0)


def changed_since(sequence: int) -> bool:
    """Whether a source changed after this audit entry (an index range scan from `sequence`)."""
    apps = Q()
    for prefix in SOURCE_APPS:
        apps |= Q(object_type__startswith=prefix)
    return AuditEntry.objects.filter(apps, sequence__gt=sequence).exclude(action__in=NOT_CHANGES).exists()


def refresh(programme_id: int) -> FiguresState:
    """Compute the programme's summary from the source tables and store it, replacing the last."""
    started, clock = timezone.now(), time.monotonic()
    seen = _last_sequence()  # read before the sources: a change after this is seen as a change
    calls = Call.objects.filter(programme_id=programme_id).exclude(status=Call.Status.DRAFT)
    figures = selectors.figures_by("call_kind", calls)
    paid = selectors.paid_by_year(calls)
    achieved = selectors.indicator_figures(calls)
    took_ms = int((time.monotonic() - clock) * 1000)
    return _store(programme_id, started, seen, took_ms, figures, paid, achieved)


@atomic
def _store(
    programme_id: int,
    started: dt.datetime,
    seen: int,
    took_ms: int,
    figures: dict[tuple[int, str], Figures],
    paid: dict[tuple[int, str, int], Decimal],
    achieved: dict[tuple[int, str, str], dict[str, Any]] | None = None,
) -> FiguresState:
    FiguresState.objects.get_or_create(programme_id=programme_id)
    state = FiguresState.objects.select_for_update().get(programme_id=programme_id)
    if state.computed_at is not None and state.computed_at > started:
        return state  # a refresh that read the sources after this one has already stored its figures
    CallFigures.objects.filter(call__programme_id=programme_id).delete()
    CallPaidInYear.objects.filter(call__programme_id=programme_id).delete()
    CallIndicator.objects.filter(call__programme_id=programme_id).delete()
    CallFigures.objects.bulk_create(
        [
            CallFigures(
                call_id=call_id,
                beneficiary_kind=kind,
                projects=f.projects,
                grants=f.grants,
                declared=f.declared,
                verified=f.verified,
                eu_verified=f.eu_verified,
                corrected=f.corrected,
                paid=f.paid,
                recovered=f.recovered,
                to_commission=f.to_commission,
            )
            for (call_id, kind), f in figures.items()
        ],
        batch_size=1000,
    )
    CallPaidInYear.objects.bulk_create(
        [
            CallPaidInYear(call_id=call_id, beneficiary_kind=kind, year=year, paid=amount)
            for (call_id, kind, year), amount in paid.items()
        ],
        batch_size=1000,
    )
    CallIndicator.objects.bulk_create(
        [
            CallIndicator(call_id=call_id, beneficiary_kind=kind, code=code, **values)
            for (call_id, kind, code), values in (achieved or {}).items()
        ],
        batch_size=1000,
    )
    state.computed_at, state.audit_seen, state.took_ms, state.requested_at = started, seen, took_ms, None
    state.save()
    return state
