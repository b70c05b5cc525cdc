"""Background tasks of selection: the applicants' notification of the Monitoring Committee's
decision, run by `amis worker` (see `amis.applications.tasks` for how tasks send once)."""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

from django.core.mail import EmailMessage
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django_tasks import TaskContext, task

from amis.core.notifications import send_once as _send_once
from amis.selection.models import CommitteeDecision, CommitteeMeeting
from amis.selection.selectors import assessment_state

logger = logging.getLogger(__name__)


def _number(value: Any) -> str:
    """A score as the reader's language writes it (38,50 in French), not a Python value."""
    if value in (None, ""):
        return "-"
    return formats.number_format(Decimal(value), 2, use_l10n=True)


def decision_message(decision: CommitteeDecision) -> EmailMessage | None:
    """The applicant hears the decision in their language, with the scores and the reasons."""
    app = decision.application
    registrant = app.created_by
    if registrant is None or not registrant.email:
        return None
    state = assessment_state(app)
    with translation.override(getattr(registrant, "preferred_language", "en") or "en"):
        approved = decision.decision == CommitteeDecision.Decision.APPROVE
        outcome = _("selected") if approved else _("rejected")
        decision_label = _("Decision of the Monitoring Committee")
        score_label = _("Score")
        criteria = [
            f"- {c['code']} {c.get('text', '')}: {_number(state['scores'].get(c['code']))}".replace("  ", " ")
            for c in app.call.award_criteria
            if c["code"] in state["scores"]
        ]
        reason = [f"{_('Reason')}: {decision.note}"] if decision.note else []
        body = "\n".join(
            [
                f"{app.reference} - {app.title}",
                f"{decision_label}: {outcome}",
                f"{score_label}: {_number(state['total'])} / 100",
                *criteria,
                *reason,
            ]
        )
        return EmailMessage(f"[AMIS] {app.reference}: {outcome}", body, to=[registrant.email])


@task(takes_context=True)
def send_decision_notification(context: TaskContext, decision_id: int) -> dict[str, Any]:
    """E-mail the applicant the Monitoring Committee's decision, in their language."""
    row = (
        CommitteeDecision.objects.select_related("meeting", "application", "application__created_by")
        .filter(pk=decision_id)
        .first()
    )
    if (
        row is None
        or row.meeting.status != CommitteeMeeting.Status.HELD
        or row.decision == CommitteeDecision.Decision.POSTPONE
    ):
        logger.warning("Decision %s: not found, not final or postponed; nothing sent", decision_id)
        return {"sent": False, "reason": "no final decision"}
    key = {"email": "decision", "decision": row.pk, "outcome": row.decision}
    message = decision_message(row)
    if message is None:
        logger.warning("Decision on %s: the applicant has no e-mail address", row.application.reference)
        return {"sent": False, "reason": "no recipient"}
    return _send_once(context, row.application, message, key)
