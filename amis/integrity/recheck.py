"""Flags stay true when the AMIF side changes (issue 16 §3): each flag not closed is checked again
against the application's period as it stands now — its own dates, or the grant agreement's once a
project is signed (`projects` registers that source in `periods`) — and its texts.

- the periods no longer overlap: the flag closes by itself, with the reason;
- the overlap grew or the descriptions came closer (similarity up by `CLOSER` or more): a cleared
  flag reopens, the change written on it, for an officer to look at again;
- otherwise the flag keeps its clearance; its figures are brought up to date.

Every flag that changes is audited. The list side (a newer list of the other fund) is followed by
`lists._follow`; `services.refresh_double_funding_flags` and the agreement's amendment call this.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from amis.applications.models import Application
from amis.core import audit
from amis.core.transactions import lock_for_update
from amis.integrity.models import DoubleFundingFlag, OtherFundProject
from amis.integrity.rules import ApplicationRecord, find_flags, match
from amis.integrity.rules import OtherFundProject as OtherRecord

CLOSER = Decimal("0.10")
Period = tuple[dt.date, dt.date]
# Later stages that know an application's period better than the application (the grant agreement
# in force): each returns {application id: (start, end)} for the ids it knows.
_SOURCES: list[Callable[[list[int]], dict[int, Period]]] = []


def register_period_source(source: Callable[[list[int]], dict[int, Period]]) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


def periods(applications: Iterable[Application]) -> dict[int, Period]:
    """Each application's period as it stands: its own dates, overridden by a registered source."""
    apps = list(applications)
    found = {a.pk: (a.start_date, a.end_date) for a in apps if a.start_date and a.end_date}
    ids = [a.pk for a in apps]
    for source in _SOURCES:
        found.update(source(ids))
    return found


def record(application: Application, period: Period) -> ApplicationRecord:
    return ApplicationRecord(
        application.reference,
        application.organisation.name,
        # a Belgian organisation's enterprise number, else another country's EU VAT number
        application.organisation.enterprise_number or application.organisation.vat_number or None,
        application.title,
        application.summary,
        application.description,
        period[0],
        period[1],
    )


def other_record(other: OtherFundProject) -> OtherRecord:
    return OtherRecord(
        other.fund, other.beneficiary_name, other.enterprise_number or None, other.identifier, other.title,
        other.description, other.start, other.end, other.total_cost, other.eu_amount, 0,
    )  # fmt: skip


def recheck(*, actor: Any, flags: list[DoubleFundingFlag], now: dt.datetime | None = None) -> dict[str, int]:
    """Check these flags (not closed; application and its organisation, other loaded) again; the
    caller holds the transaction. Flags are handled in primary-key order."""
    flags = sorted((f for f in flags if f.closed_at is None), key=lambda f: f.pk)
    if not flags:
        return {"closed": 0, "reopened": 0, "updated": 0}
    now = now or timezone.now()
    apps = {f.application_id: f.application for f in flags}
    spans = periods(apps.values())
    records = {pk: record(app, spans[pk]) for pk, app in apps.items() if pk in spans}
    others = {f.other_id: f.other for f in flags}
    key = {(o.fund, o.identifier): pk for pk, o in others.items()}
    by_ref = {r.reference: pk for pk, r in records.items()}
    fresh = {
        (by_ref[f.application_reference], key[(f.other.fund, f.other.identifier)]): f
        for f in find_flags(list(records.values()), [other_record(o) for o in others.values()])
    }
    counts = {"closed": 0, "reopened": 0, "updated": 0}
    for flag in flags:
        current = records.get(flag.application_id)
        if current is None:
            continue  # no period to compare with (a draft without dates): nothing to say
        other = flag.other
        found = fresh.get((flag.application_id, flag.other_id))
        before = {"overlap_days": flag.overlap_days, "similarity": str(flag.similarity)}
        reopened = False
        if match.overlap_days(current.start, current.end, other.start, other.end) == 0:
            flag.closed_at = now
            flag.closed_reason = _(
                "The periods no longer overlap: the AMIF project now runs %(start)s – %(end)s, "
                "%(fund)s project %(id)s %(other_start)s – %(other_end)s."
            ) % {
                "start": current.start, "end": current.end, "fund": other.fund, "id": other.identifier,
                "other_start": other.start, "other_end": other.end,
            }  # fmt: skip
            counts["closed"] += 1
        elif found is None:
            continue  # the beneficiary no longer matches by itself: the officer's decisions stand
        else:
            changes = []
            if found.overlap_days > flag.overlap_days:
                changes.append(
                    _("the overlap grew from %(old)s to %(new)s days")
                    % {"old": flag.overlap_days, "new": found.overlap_days}
                )
            if found.similarity >= flag.similarity + CLOSER:
                changes.append(
                    _("the descriptions came closer (similarity %(old)s became %(new)s)")
                    % {"old": flag.similarity, "new": found.similarity}
                )
            if (found.overlap_days, found.similarity) == (flag.overlap_days, flag.similarity):
                continue
            flag.overlap_days, flag.similarity = found.overlap_days, found.similarity
            if changes and flag.cleared_at is not None:
                flag.reason = f"{found.reason} — " + _("Reopened: %(change)s.") % {
                    "change": "; ".join(changes)
                }
                flag.cleared_at, flag.cleared_by, flag.clearance = None, None, ""
                counts["reopened"] += 1
                reopened = True
            else:
                counts["updated"] += 1
        flag.save()
        audit.record(
            actor=actor,
            action="update",
            obj=flag,
            before=before,
            after={
                "overlap_days": flag.overlap_days,
                "similarity": str(flag.similarity),
                "closed": flag.closed_reason if flag.closed_at else "",
                "reopened": reopened,
            },
        )
    return counts


def recheck_application(*, actor: Any, application_id: int) -> dict[str, int]:
    """The flags of one application, after its period changed (an amendment of its agreement)."""
    flags = list(
        lock_for_update(
            DoubleFundingFlag.objects.filter(application_id=application_id, closed_at__isnull=True)
        )
        .select_related("application__organisation", "other")
        .order_by("pk")
    )
    return recheck(actor=actor, flags=flags)
