"""The Monitoring Committee (programme section 6.2): a meeting planned on a ranked call, a decision
per application on its agenda (chosen, never preset; with a reason whenever it rejects, postpones or
departs from the proposal), and closing the meeting once every application has its decision, which
applies them (approved -> selected, and a project through the `application_selected` signal;
rejected -> rejected) and queues each applicant's e-mail for the worker."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from amis.accounts.permissions import require
from amis.accounts.services import duty_record, ensure_duty_allowed
from amis.accounts.sod import Duty
from amis.applications.models import Application
from amis.calls.models import Call
from amis.calls.services import assert_in_scope
from amis.core import audit
from amis.core.errors import ApplicationError
from amis.core.transactions import atomic, lock_for_update
from amis.selection import tasks
from amis.selection.models import CommitteeDecision, CommitteeMeeting
from amis.selection.services.eligibility import locked
from amis.selection.signals import application_selected

S = Application.Status
D = CommitteeDecision.Decision
ON_AGENDA = (S.PROPOSED, S.RESERVE, S.ASSESSED)


def proposed_decision(app: Application) -> str:
    """What the ranking proposes to the committee: approve a proposed application; the reserve list
    and the applications that did not pass are not proposed for funding."""
    return D.APPROVE if app.status == S.PROPOSED else D.REJECT


def needs_reason(app: Application, decision: str) -> bool:
    """A rejection, a postponement and any decision that departs from the proposal say why."""
    return decision != D.APPROVE or decision != proposed_decision(app)


@atomic
def meeting_plan(*, actor: Any, call: Call, date: dt.date, agenda: str) -> CommitteeMeeting:
    assert_in_scope(actor, call, "selection.manage")
    if call.status != Call.Status.ASSESSED:
        raise ApplicationError(_("The committee meets on a call whose ranking and proposal are ready."))
    if not agenda.strip():
        raise ApplicationError(_("A meeting needs an agenda."))
    meeting = CommitteeMeeting.objects.create(call=call, date=date, agenda=agenda.strip())
    audit.record(actor=actor, action="create", obj=meeting, after={"date": date.isoformat()})
    return meeting


@atomic
def record_decision(
    *, actor: Any, meeting: CommitteeMeeting, application: Application, decision: str, note: str = ""
) -> CommitteeDecision:
    require(actor, "committee.decide")
    if meeting.status != CommitteeMeeting.Status.PLANNED:
        raise ApplicationError(_("The meeting is closed; its decisions can no longer change."))
    app = locked(application)
    if app.call_id != meeting.call_id or app.status not in ON_AGENDA:
        raise ApplicationError(
            _("%(reference)s is not on this meeting's agenda.") % {"reference": app.reference}
        )
    if decision not in D.values:
        raise ApplicationError(_("Choose the decision: approve, reject or postpone."))
    note = note.strip()
    if not note and needs_reason(app, decision):
        raise ApplicationError(
            _(
                "Give the reason for the decision on %(reference)s: a rejection, a postponement and "
                "a decision that departs from the proposal are explained to the applicant."
            )
            % {"reference": app.reference},
            extra={"fields": {"note": _("Give the reason.")}},
        )
    ensure_duty_allowed(user=actor, duty=Duty.DECIDE, obj=app, organisation=app.organisation)
    row, _created = CommitteeDecision.objects.update_or_create(
        meeting=meeting, application=app, defaults={"decision": decision, "note": note, "recorded_by": actor}
    )
    duty_record(user=actor, duty=Duty.DECIDE, obj=app)
    audit.record(actor=actor, action="update", obj=row, after={"decision": decision, "note": note})
    return row


@atomic
def close_meeting(*, actor: Any, meeting: CommitteeMeeting, minutes: str) -> list[Application]:
    """Apply the decisions: approved -> selected (a project), rejected -> rejected; notify applicants."""
    require(actor, "committee.decide")
    current = lock_for_update(CommitteeMeeting.objects).get(pk=meeting.pk)
    if current.status != CommitteeMeeting.Status.PLANNED:
        raise ApplicationError(_("The meeting is already closed."))
    if not minutes.strip():
        raise ApplicationError(_("Record the minutes before closing the meeting."))
    agenda = current.call.applications.filter(status__in=ON_AGENDA)
    undecided = sorted(
        agenda.exclude(committee_decisions__meeting=current).values_list("reference", flat=True)
    )
    if undecided:
        raise ApplicationError(
            _("Record a decision on %(references)s before closing the meeting.")
            % {"references": ", ".join(undecided)},
            extra={"undecided": undecided},
        )
    changed = []
    for row in current.decisions.select_related("application", "application__organisation"):
        app = row.application
        if row.decision == D.POSTPONE:
            continue
        before = app.status
        app.status = S.SELECTED if row.decision == D.APPROVE else S.REJECTED
        app.lock_version += 1
        app.save(update_fields=["status", "lock_version", "updated_at"])
        audit.record(
            actor=actor,
            action="transition",
            obj=app,
            before={"status": before},
            after={"status": app.status, "meeting": current.pk},
        )
        if app.status == S.SELECTED:  # the project is made by amis.projects, in this transaction
            application_selected.send(sender=CommitteeDecision, application=app, decision=row, actor=actor)
        changed.append(app)
        transaction.on_commit(functools.partial(tasks.send_decision_notification.enqueue, row.pk))
    current.minutes, current.status = minutes.strip(), CommitteeMeeting.Status.HELD
    current.lock_version += 1
    current.save()
    call = current.call
    if not call.applications.filter(status__in=ON_AGENDA).exists():
        call.status = Call.Status.DECIDED
        call.save(update_fields=["status"])
    audit.record(
        actor=actor, action="transition", obj=current, after={"status": "held", "decided": len(changed)}
    )
    return changed
