"""Writes of annual reports: drafting the report of a year, the parts the authority writes (only
while a draft, each with its own lock counter), submitting it to the Monitoring Committee, the
committee's decision at a meeting — approved (the tables and texts frozen as a JSON snapshot with its
SHA-256) or returned for changes (back to draft) —, freezing the approved report for the Commission,
and each export.

Each service runs in one transaction with its audit entry; a refusal of what was sent is written to
the audit trail too (`change_refused`, kept when the transaction rolls back); a refusal of who asks
is `permissions.require`'s (`permission_refused`). Edits carry the `lock_version` their page showed:
an older one answers 409 and saves nothing. Every step is kept as a `ReportEvent`.

Who: the responsible authority drafts, writes, submits and freezes (`annual_report.manage`); a
member of the Monitoring Committee records the committee's decision (`annual_report.approve`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import gettext as _

from amis.accounts.permissions import require
from amis.annual_reports import rules, selectors
from amis.annual_reports.models import AnnualReport, NarrativePart, ReportEvent
from amis.core import audit
from amis.core.refusals import check_version, refuse
from amis.core.transactions import atomic, lock_for_update
from amis.programme.models import Programme

MANAGE = "annual_report.manage"
APPROVE = "annual_report.approve"
EXPORT = "annual_report.view"


def _locked(report: AnnualReport) -> AnnualReport:
    return lock_for_update(AnnualReport.objects.select_related("programme__period")).get(pk=report.pk)


def _event(report: AnnualReport, actor: Any, before: str, **fields: Any) -> None:
    ReportEvent.objects.create(
        report=report, from_status=before, to_status=report.status, actor=actor, **fields
    )


def canonical(content: dict[str, Any]) -> bytes:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder).encode()


@atomic
def report_create(*, actor: Any, programme: Programme, year: int) -> AnnualReport:
    """Draft the report of a year: its kind, period and due date from `rules.report_rule`."""
    require(actor, MANAGE)
    current = Programme.objects.select_related("period").get(pk=programme.pk)
    rule = rules.report_rule(current.period.code, year)
    if rule is None:
        raise refuse(
            actor,
            current,
            _("A programme of %(period)s reports on these years: %(years)s.")
            % {
                "period": current.period.code,
                "years": ", ".join(str(y) for y in rules.years_for(current.period.code)),
            },
            {"year": year},
        )
    if AnnualReport.objects.filter(programme=current, year=year).exists():
        raise refuse(
            actor, current, _("This programme already has its report for %(year)s.") % {"year": year}
        )
    report = AnnualReport.objects.create(
        programme=current,
        year=year,
        kind=rule.kind,
        period_start=rule.start,
        period_end=rule.end,
        due_date=rule.due,
        due_basis=rule.article,
        created_by=actor,
    )
    NarrativePart.objects.bulk_create(
        NarrativePart(report=report, section=section, specific_objective=code)
        for section, code in rules.narrative_keys(current.period.code, selectors.objectives_of(current))
    )
    _event(report, actor, "")
    audit.record(
        actor=actor,
        action="create",
        obj=report,
        after={
            "programme": current.cci,
            "year": year,
            "kind": rule.kind,
            "period": [rule.start.isoformat(), rule.end.isoformat()],
            "due": rule.due.isoformat(),
        },
    )
    return report


@atomic
def narrative_update(
    *,
    actor: Any,
    report: AnnualReport,
    section: str,
    specific_objective: str = "",
    text: str,
    expected_lock_version: int,
) -> NarrativePart:
    """Write one part of a draft report (the part's lock counter guards against a lost update)."""
    require(actor, MANAGE)
    current = AnnualReport.objects.select_related("programme__period").get(pk=report.pk)
    part = (
        lock_for_update(NarrativePart.objects.all())
        .filter(report=current, section=section, specific_objective=specific_objective)
        .first()
    )
    detail = {"section": section, "specific_objective": specific_objective}
    if part is None:
        raise refuse(actor, current, _("This report has no such part."), detail)
    check_version(actor, part, expected_lock_version)
    if current.status not in rules.EDITABLE:
        raise refuse(
            actor,
            current,
            _("Only a draft report is written; this one is %(status)s.")
            % {"status": AnnualReport.Status(current.status).label},
            detail,
        )
    text = text.replace("\r\n", "\n").strip()
    limit = rules.max_length(current.programme.period.code, section)
    if limit and len(text) > limit:
        raise refuse(
            actor,
            current,
            _("This part is at most %(max)s characters long (the Commission's model); it has %(n)s.")
            % {"max": limit, "n": len(text)},
            detail,
        )
    before = part.text
    part.text, part.updated_by, part.updated_at = text, actor, timezone.now()
    part.lock_version += 1
    part.save(update_fields=["text", "updated_by", "updated_at", "lock_version"])
    audit.record(
        actor=actor,
        action="update",
        obj=part,
        before={**detail, "text": before},
        after={**detail, "text": text},
    )
    return part


def _check_step(actor: Any, current: AnnualReport, to: str) -> dict[str, str]:
    S = AnnualReport.Status
    detail = {"from": current.status, "to": to}
    if (current.status, to) not in rules.STEPS:
        raise refuse(
            actor,
            current,
            _("A report that is %(now)s cannot become %(next)s.")
            % {"now": S(current.status).label, "next": S(to).label},
            detail,
        )
    return detail


@atomic
def report_submit(
    *, actor: Any, report: AnnualReport, expected_lock_version: int, on: dt.date | None = None
) -> AnnualReport:
    """Send the draft to the Monitoring Committee: every part written."""
    require(actor, MANAGE)
    current = _locked(report)
    check_version(actor, current, expected_lock_version)
    detail = _check_step(actor, current, AnnualReport.Status.SUBMITTED)
    written = {(p.section, p.specific_objective): p.text for p in current.parts.all()}
    missing = rules.missing_parts(list(written), written)
    if missing:
        raise refuse(
            actor,
            current,
            _("Write every part before submitting the report; still empty: %(parts)s.")
            % {"parts": ", ".join(f"{s} {c}".strip() for s, c in missing)},
            detail,
        )
    day = on or timezone.localdate()
    if day > timezone.localdate():
        raise refuse(actor, current, _("The date of the submission cannot be in the future."), detail)
    before = current.status
    current.status, current.submitted_on = AnnualReport.Status.SUBMITTED, day
    current.lock_version += 1
    current.save(update_fields=["status", "submitted_on", "lock_version"])
    _event(current, actor, before)
    audit.record(
        actor=actor,
        action="status",
        obj=current,
        before={"status": before},
        after={"status": current.status, "submitted_on": day.isoformat()},
    )
    return current


@atomic
def committee_decision(
    *,
    actor: Any,
    report: AnnualReport,
    expected_lock_version: int,
    decision: str,
    meeting_date: dt.date | None,
    reference: str,
    note: str = "",
) -> AnnualReport:
    """Record the Monitoring Committee's decision on a submitted report, taken at a meeting:
    `approve` (the tables and texts are snapshotted) or `return` for changes (back to draft; the
    reason in `note`)."""
    require(actor, APPROVE)
    current = _locked(report)
    check_version(actor, current, expected_lock_version)
    S = AnnualReport.Status
    if decision not in ("approve", "return"):
        raise refuse(actor, current, _("Choose the committee's decision."), {"decision": decision})
    to = S.APPROVED if decision == "approve" else S.DRAFT
    detail = _check_step(actor, current, to)
    if meeting_date is None:
        raise refuse(actor, current, _("Give the date of the committee's meeting."), detail)
    if meeting_date > timezone.localdate():
        raise refuse(actor, current, _("The date of the meeting cannot be in the future."), detail)
    if current.submitted_on and meeting_date < current.submitted_on:
        raise refuse(actor, current, _("The committee decides after the report was submitted to it."), detail)
    reference = reference.strip()[:200]
    if not reference:
        raise refuse(actor, current, _("Give the reference of the decision or of the minutes."), detail)
    if decision == "return" and not note.strip():
        raise refuse(actor, current, _("Say what the committee asks to change."), detail)
    before = current.status
    current.status = to
    current.meeting_date, current.decision_reference = meeting_date, reference
    current.decision_note, current.decided_by = note.strip(), actor
    fields = ["status", "meeting_date", "decision_reference", "decision_note", "decided_by", "lock_version"]
    if to == S.APPROVED:
        content = selectors.current_content(current)
        content["approval"] = {
            "meeting_date": meeting_date.isoformat(),
            "reference": reference,
            "recorded_by": str(actor),
        }
        current.snapshot = json.loads(canonical(content))
        current.snapshot_sha256 = hashlib.sha256(canonical(current.snapshot)).hexdigest()
        fields += ["snapshot", "snapshot_sha256"]
    else:
        current.submitted_on = None
        fields.append("submitted_on")
    current.lock_version += 1
    current.save(update_fields=fields)
    _event(current, actor, before, meeting_date=meeting_date, reference=reference, note=note.strip())
    audit.record(
        actor=actor,
        action="committee_decision",
        obj=current,
        before={"status": before},
        after={
            "status": current.status,
            "decision": decision,
            "meeting_date": meeting_date.isoformat(),
            "reference": reference,
            "note": note.strip(),
            "snapshot_sha256": current.snapshot_sha256 if to == S.APPROVED else "",
        },
    )
    return current


@atomic
def report_freeze(*, actor: Any, report: AnnualReport, expected_lock_version: int) -> AnnualReport:
    """Freeze the approved report for the Commission: nothing changes it any more; its snapshot is
    checked against the SHA-256 taken at approval."""
    require(actor, MANAGE)
    current = _locked(report)
    check_version(actor, current, expected_lock_version)
    detail = _check_step(actor, current, AnnualReport.Status.FROZEN)
    if (
        not current.snapshot
        or hashlib.sha256(canonical(current.snapshot)).hexdigest() != current.snapshot_sha256
    ):
        raise refuse(actor, current, _("The approved snapshot does not match its fingerprint."), detail)
    before = current.status
    current.status, current.frozen_at, current.frozen_by = AnnualReport.Status.FROZEN, timezone.now(), actor
    current.lock_version += 1
    current.save(update_fields=["status", "frozen_at", "frozen_by", "lock_version"])
    _event(current, actor, before)
    audit.record(
        actor=actor,
        action="status",
        obj=current,
        before={"status": before},
        after={"status": current.status, "snapshot_sha256": current.snapshot_sha256},
    )
    return current


@atomic
def export_recorded(*, actor: Any, report: AnnualReport, format: str, language: str, sha256: str) -> None:
    """Write an export of the report (PDF or XLSX) to the audit trail; the first export of a frozen
    report is kept on it."""
    require(actor, EXPORT)
    current = _locked(report)
    if current.status == AnnualReport.Status.FROZEN and current.first_exported_at is None:
        current.first_exported_at = timezone.now()
        current.save(update_fields=["first_exported_at"])
    audit.record_security_event(
        user=actor,
        event="export",
        obj=current,
        detail={"format": format, "language": language, "sha256": sha256, "status": current.status},
    )
