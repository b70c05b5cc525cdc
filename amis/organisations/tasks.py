"""Background e-mail of organisations: the alert sent when a new bank account or a new legal name is
asked for an approved organisation.

A changed bank account is how grants get diverted, often from a hijacked login; a changed name goes
with it (the bank's name check, the grant agreement). So everyone who speaks for the organisation
(its e-mail address, its contact persons, its beneficiary users) hears of the request at once, and
can stop it before the responsible authority confirms it.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.mail import EmailMessage
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django_tasks import TaskContext, task

from amis.accounts.models import RoleAssignment
from amis.accounts.roles import Role
from amis.core.notifications import already_sent, send_once
from amis.organisations.changes import BANK, HELD_CHANGES, NAME, HeldChange
from amis.organisations.models import Organisation

logger = logging.getLogger(__name__)


def recipients(organisation: Organisation) -> list[str]:
    addresses = {organisation.email} | {c.email for c in organisation.contacts.all()}
    addresses |= set(
        RoleAssignment.objects.filter(
            organisation=organisation, role=Role.BENEFICIARY, revoked_at__isnull=True
        ).values_list("user__email", flat=True)
    )
    return sorted(a for a in addresses if a)


def _texts(change: HeldChange, organisation: Organisation) -> tuple[str, str, dict[str, str]]:
    """Subject, body and the values of the change (translated in the active language)."""
    if change is NAME:
        return (
            _("A new name was asked for %(name)s"),
            _(
                "On %(when)s, %(who)s asked AMIS to change the legal name of %(name)s to %(new)s."
                "\n\nThe change takes effect only once the responsible authority confirms it. If you "
                "did not expect it, tell the responsible authority at once."
            ),
            {"new": organisation.pending_name or "—"},
        )
    return (
        _("A new bank account was asked for %(name)s"),
        _(
            "On %(when)s, %(who)s asked AMIS to pay the grants of %(name)s into the account %(new)s "
            "instead of %(old)s.\n\nThe change takes effect only once the responsible authority "
            "confirms it. If you did not expect it, tell the responsible authority at once."
        ),
        {"new": organisation.pending_iban or "—", "old": organisation.iban or "—"},
    )


def change_message(organisation: Organisation, change: HeldChange = BANK) -> EmailMessage | None:
    """In the language of the person who asked (they wrote in it; the others share the organisation)."""
    to = recipients(organisation)
    requester = getattr(organisation, change.requested_by)
    asked_at = getattr(organisation, change.requested_at)
    if not to:
        return None
    with translation.override(getattr(requester, "preferred_language", "en") or "en"):
        subject, body, values = _texts(change, organisation)
        subject = subject % {"name": organisation.name}
        body = body % {
            "when": formats.date_format(timezone.localtime(asked_at), "DATETIME_FORMAT") if asked_at else "",
            "who": requester.email if requester is not None else "AMIS",
            "name": organisation.name,
            **values,
        }
    return EmailMessage(f"[AMIS] {subject}", body, to=to)


def _send(
    context: TaskContext, change: HeldChange, organisation_id: int, requested_at: str
) -> dict[str, Any]:
    organisation = Organisation.objects.select_related(change.requested_by).filter(pk=organisation_id).first()
    asked_at = getattr(organisation, change.requested_at) if organisation is not None else None
    if organisation is None or asked_at is None or asked_at.isoformat() != requested_at:
        logger.info(
            "%s change of organisation %s: no longer pending as asked; nothing sent",
            change.kind,
            organisation_id,
        )
        return {"sent": False, "reason": "not pending"}
    key = {"email": f"{change.kind}_change", "requested_at": requested_at}
    if already_sent(organisation, **key):
        return {"sent": False, "reason": "already sent"}
    message = change_message(organisation, change)
    if message is None:
        return {"sent": False, "reason": "no recipient"}
    return send_once(context, organisation, message, key)


@task(takes_context=True)
def send_change_notice(
    context: TaskContext, organisation_id: int, kind: str, requested_at: str
) -> dict[str, Any]:
    """The alert of a held change (`services.HeldChange`, by its kind: "bank" or "name")."""
    return _send(context, HELD_CHANGES[kind], organisation_id, requested_at)


@task(takes_context=True)
def send_bank_change_notice(context: TaskContext, organisation_id: int, requested_at: str) -> dict[str, Any]:
    """Kept for the tasks queued before `send_change_notice` (the queue finds a task by its path)."""
    return _send(context, BANK, organisation_id, requested_at)
