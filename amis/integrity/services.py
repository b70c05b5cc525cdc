"""Writes for double funding: raising flags where an application overlaps a project of another
fund's active list, and clearing a flag with a reason; each in one transaction with its audit
entry. The lists themselves (upload, read, confirm, replace, delete) are `integrity.lists`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from amis.applications.models import Application
from amis.calls.models import Call
from amis.calls.services import assert_in_scope
from amis.core import audit
from amis.core.errors import ApplicationError
from amis.core.transactions import atomic, lock_for_update
from amis.integrity import lists, reading, recheck
from amis.integrity.models import DoubleFundingFlag, NameMatchDecision, OtherFundList, OtherFundProject
from amis.integrity.rules import find_flags, kbo, match, names

S = Application.Status


@atomic
def import_other_fund_projects(
    *, actor: Any, data: bytes, filename: str, fund: str, number_format: str = ""
) -> int:
    """Upload, read and confirm a list in one go (scripts and tests; the pages and the API let the
    officer read the warnings before confirming): refused whole with every row named."""
    upload = lists.list_upload(
        actor=actor, fund=fund, name=filename, data=data, number_format=number_format, queue=False
    )
    read = reading.list_read(upload.pk)
    assert read is not None
    upload = read
    if upload.errors:
        shown = "; ".join(_("row %(row)s %(column)s: %(message)s") % e for e in upload.errors[:20])
        raise ApplicationError(
            _("The file was not imported: %(lines)s") % {"lines": shown}, extra={"errors": len(upload.errors)}
        )
    lists.list_confirm(actor=actor, upload=upload, expected_lock_version=None)
    return upload.projects_count


@atomic
def refresh_double_funding_flags(*, actor: Any, call: Call) -> int:
    """The call checked again (`check_call`): how many new flags."""
    return check_call(actor=actor, call=call)["new"]


@atomic
def check_call(*, actor: Any, call: Call) -> dict[str, int]:
    """Check the call's applications against the active lists: the standing flags checked again
    (`recheck`: closed, reopened or brought up to date), then new flags raised. Counts of each."""
    assert_in_scope(actor, call, "selection.manage")
    apps = list(call.applications.exclude(status__in=[S.DRAFT, S.WITHDRAWN]).select_related("organisation"))
    spans = recheck.periods(apps)
    records = [recheck.record(a, spans[a.pk]) for a in apps if a.pk in spans]
    # only projects of the applicants' enterprises, or of beneficiaries named alike, can match
    wanted = {key for r in records if (key := kbo.key(r.enterprise_number))}
    active = OtherFundProject.objects.filter(source_list__status=OtherFundList.Status.ACTIVE)
    index = names.NameIndex(active.exclude(name_key="").values_list("name_key", flat=True).distinct())
    alike = {key for r in records for key, _c in index.similar(names.name_key(r.organisation_name))}
    others = {
        (o.fund, o.identifier): o
        for o in active.filter(Q(enterprise_number__in=wanted) | Q(name_key__in=alike)).iterator(2000)
    }
    rejected = set(
        NameMatchDecision.objects.filter(
            organisation__in={a.organisation_id for a in apps},
            decision=NameMatchDecision.Decision.OTHER,
        ).values_list("organisation_id", "name_key")
    )
    projects = [recheck.other_record(o) for o in others.values()]
    by_ref = {a.reference: a for a in apps}
    standing = list(
        lock_for_update(DoubleFundingFlag.objects.filter(application__call=call, closed_at__isnull=True))
        .select_related("application__organisation", "other")
        .order_by("pk")
    )
    rechecked = recheck.recheck(actor=actor, flags=standing)
    known = {(f.application_id, f.other_id) for f in standing if f.closed_at is None}
    fresh = []
    for flag in find_flags(records, projects):
        application, other = (
            by_ref[flag.application_reference],
            others[(flag.other.fund, flag.other.identifier)],
        )
        if (application.pk, other.pk) in known:
            continue  # a flag already raised keeps its clearance, if any
        if flag.basis == match.NAME and (application.organisation_id, other.name_key) in rejected:
            continue  # an officer said: another organisation
        known.add((application.pk, other.pk))
        fresh.append(
            DoubleFundingFlag(
                application=application,
                other=other,
                overlap_days=flag.overlap_days,
                similarity=flag.similarity,
                reason=flag.reason,
                basis=flag.basis,
                confidence=flag.confidence,
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
    return {"new": len(fresh), **rechecked}


def _clearance(reason: str) -> str:
    text = " ".join(reason.split())
    if len(text) < lists.MIN_REASON:
        raise ApplicationError(
            _(
                "Say why this is not double funding (e.g. different costs, different target group), "
                "in at least %(n)s characters."
            )
            % {"n": lists.MIN_REASON},
            code="reason",
        )
    return text


MAX_BULK = 500


@atomic
def clear_flags(*, actor: Any, call: Call, flag_ids: list[int], reason: str) -> int:
    """Clear a selection of the call's open flags with one reason (each flag audited). Flags are
    locked in primary-key order (the documented order), so two officers never deadlock."""
    assert_in_scope(actor, call, "selection.manage")
    text = _clearance(reason)
    ids = sorted(set(flag_ids))
    if not ids:
        raise ApplicationError(_("Tick the flags to clear."), code="selection")
    if len(ids) > MAX_BULK:
        raise ApplicationError(_("At most %(n)s flags at once.") % {"n": MAX_BULK}, code="selection")
    flags = list(
        lock_for_update(
            DoubleFundingFlag.objects.filter(DoubleFundingFlag.OPEN, pk__in=ids, application__call=call)
        ).order_by("pk")
    )
    if len(flags) != len(ids):
        raise ApplicationError(
            _("Some of the flags ticked are not open flags of this call any more: reload the page."),
            code="stale",
        )
    now = timezone.now()
    for flag in flags:
        flag.cleared_by, flag.cleared_at, flag.clearance = actor, now, text
        flag.save(update_fields=["cleared_by", "cleared_at", "clearance"])
        audit.record(actor=actor, action="update", obj=flag, after={"clearance": text})
    return len(flags)


@atomic
def clear_flag(*, actor: Any, flag: DoubleFundingFlag, reason: str) -> DoubleFundingFlag:
    current = lock_for_update(DoubleFundingFlag.objects.select_related("application__call")).get(pk=flag.pk)
    assert_in_scope(actor, current.application.call, "selection.manage")
    if current.cleared_at:
        raise ApplicationError(_("This flag was already cleared."))
    if current.closed_at:
        raise ApplicationError(_("This flag was closed: %(why)s") % {"why": current.closed_reason})
    text = _clearance(reason)
    current.cleared_by, current.cleared_at, current.clearance = actor, timezone.now(), text
    current.save()
    audit.record(actor=actor, action="update", obj=current, after={"clearance": current.clearance})
    return current


@atomic
def name_match_decide(*, actor: Any, flag: DoubleFundingFlag, same: bool) -> DoubleFundingFlag:
    """The officer's answer to a name match: the same organisation (the flag stays, to be cleared
    or not on its merits) or another one (the flag closes, and so do the call's other open name
    flags of that pair). Remembered for the organisation and the name: the next check raises no
    flag for a rejected pair."""
    current = lock_for_update(DoubleFundingFlag.objects.select_related("application__call", "other")).get(
        pk=flag.pk
    )
    call = current.application.call
    assert_in_scope(actor, call, "selection.manage")
    if current.basis != match.NAME:
        raise ApplicationError(_("This flag was raised on the enterprise number, not on the name."))
    if current.closed_at:
        raise ApplicationError(_("This flag was closed: %(why)s") % {"why": current.closed_reason})
    organisation_id, key = current.application.organisation_id, current.other.name_key
    decision = NameMatchDecision.Decision.SAME if same else NameMatchDecision.Decision.OTHER
    NameMatchDecision.objects.update_or_create(
        organisation_id=organisation_id, name_key=key, defaults={"decision": decision, "decided_by": actor}
    )
    if same:
        current.confidence = Decimal("1.00")
        current.save(update_fields=["confidence"])
        audit.record(actor=actor, action="update", obj=current, after={"name_match": "same"})
        return current
    now = timezone.now()
    why = _("An officer found that '%(name)s' is another organisation.") % {
        "name": current.other.beneficiary_name
    }
    pairs = lock_for_update(
        DoubleFundingFlag.objects.filter(
            DoubleFundingFlag.OPEN,
            application__call=call,
            application__organisation_id=organisation_id,
            other__name_key=key,
            basis=match.NAME,
        )
    ).order_by("pk")
    for other in pairs:
        other.closed_at, other.closed_reason = now, why
        other.save(update_fields=["closed_at", "closed_reason"])
        audit.record(actor=actor, action="update", obj=other, after={"name_match": "other", "closed": why})
    current.refresh_from_db()
    return current
