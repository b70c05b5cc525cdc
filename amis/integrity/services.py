"""Writes for double funding: importing another fund's project list (a file with any bad row is
refused whole), raising flags where an application overlaps one of its projects, and clearing a
flag with a reason; each in one transaction with its audit entry."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from amis.accounts.permissions import require
from amis.applications.models import Application
from amis.calls.models import Call
from amis.calls.services import assert_in_scope
from amis.core import audit
from amis.core.errors import ApplicationError
from amis.core.transactions import atomic, lock_for_update
from amis.integrity.models import DoubleFundingFlag, OtherFundProject
from amis.integrity.rules import ApplicationRecord, find_flags, read_projects
from amis.integrity.rules import OtherFundProject as OtherRecord

S = Application.Status


@atomic
def import_other_fund_projects(*, actor: Any, data: bytes, filename: str, fund: str) -> int:
    """Import an ESF/ISF project list; a file with any bad row is refused whole, with every row named."""
    require(actor, "selection.manage")
    if fund not in ("ESF", "ESF+", "ISF"):
        raise ApplicationError(_("The fund is ESF, ESF+ or ISF."))
    result = read_projects(data, filename, fund)
    if result.errors:
        lines = "; ".join(
            _("row %(row)s %(column)s: %(message)s")
            % {"row": e.row, "column": e.column, "message": e.message}
            for e in result.errors[:20]
        )
        raise ApplicationError(
            _("The file was not imported: %(lines)s") % {"lines": lines}, extra={"errors": len(result.errors)}
        )
    count = 0
    for p in result.projects:
        OtherFundProject.objects.update_or_create(
            fund=fund,
            identifier=p.identifier,
            defaults={
                "beneficiary_name": p.beneficiary_name,
                "enterprise_number": p.enterprise_number or "",
                "title": p.title,
                "description": p.description,
                "start": p.start,
                "end": p.end,
                "total_cost": p.total_cost,
                "eu_amount": p.eu_amount,
                "imported_by": actor,
            },
        )
        count += 1
    audit.record_security_event(
        user=actor, event="import", detail={"fund": fund, "file": filename, "projects": count}
    )
    return count


@atomic
def refresh_double_funding_flags(*, actor: Any, call: Call) -> int:
    assert_in_scope(actor, call, "selection.manage")
    apps = list(call.applications.exclude(status__in=[S.DRAFT, S.WITHDRAWN]).select_related("organisation"))
    records = [
        ApplicationRecord(
            a.reference,
            a.organisation.name,
            a.organisation.enterprise_number or None,
            a.title,
            a.summary,
            a.description,
            a.start_date,
            a.end_date,
        )
        for a in apps
        if a.start_date and a.end_date
    ]
    # only projects of the applicants' enterprises can match (find_flags matches on the number)
    wanted = {r.enterprise_number for r in records if r.enterprise_number}
    others = {
        (o.fund, o.identifier): o for o in OtherFundProject.objects.filter(enterprise_number__in=wanted)
    }
    projects = [
        OtherRecord(
            o.fund,
            o.beneficiary_name,
            o.enterprise_number or None,
            o.identifier,
            o.title,
            o.description,
            o.start,
            o.end,
            o.total_cost,
            o.eu_amount,
            0,
        )
        for o in others.values()
    ]
    by_ref = {a.reference: a for a in apps}
    known = set(
        DoubleFundingFlag.objects.filter(application__call=call).values_list("application_id", "other_id")
    )
    fresh = []
    for flag in find_flags(records, projects):
        application, other = (
            by_ref[flag.application_reference],
            others[(flag.other.fund, flag.other.identifier)],
        )
        if (application.pk, other.pk) in known:
            continue  # a flag already raised keeps its clearance, if any
        known.add((application.pk, other.pk))
        fresh.append(
            DoubleFundingFlag(
                application=application,
                other=other,
                overlap_days=flag.overlap_days,
                similarity=flag.similarity,
                reason=flag.reason,
            )
        )
    DoubleFundingFlag.objects.bulk_create(fresh, batch_size=1000, ignore_conflicts=True)
    if fresh:
        audit.record(
            actor=actor,
            action="update",
            obj=call,
            after={
                "double_funding_flags_raised": [
                    f"{f.application.reference} x {f.other.fund} {f.other.identifier}" for f in fresh
                ]
            },
        )
    return len(fresh)


@atomic
def clear_flag(*, actor: Any, flag: DoubleFundingFlag, reason: str) -> DoubleFundingFlag:
    current = lock_for_update(DoubleFundingFlag.objects.select_related("application__call")).get(pk=flag.pk)
    assert_in_scope(actor, current.application.call, "selection.manage")
    if current.cleared_at:
        raise ApplicationError(_("This flag was already cleared."))
    if not reason.strip():
        raise ApplicationError(
            _("Say why this is not double funding (e.g. different costs, different target group).")
        )
    current.cleared_by, current.cleared_at, current.clearance = actor, timezone.now(), reason.strip()
    current.save()
    audit.record(actor=actor, action="update", obj=current, after={"clearance": current.clearance})
    return current
