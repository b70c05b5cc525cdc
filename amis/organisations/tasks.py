"""Background e-mail of organisations: the alert sent when a new bank account is asked for.

A changed bank account is how grants get diverted, often from a hijacked login. So everyone who
speaks for the organisation (its e-mail address, its contact persons, its beneficiary users) hears
of the request at once, and can stop it before the responsible authority confirms it.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import TaskContext, task

from amis.accounts.models import RoleAssignment
from amis.accounts.roles import Role
from amis.core.notifications import already_sent, send_once
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


def bank_change_message(organisation: Organisation) -> EmailMessage | None:
    """In the language of the person who asked (they wrote in it; the others share the organisation)."""
    to = recipients(organisation)
    requester = organisation.bank_change_requested_by
    if not to:
        return None
    with translation.override(getattr(requester, "preferred_language", "en") or "en"):
        subject = _("A new bank account was asked for %(name)s") % {"name": organisation.name}
        body = _(
            "On %(when)s, %(who)s asked AMIS to pay the grants of %(name)s into the account %(new)s "
            "instead of %(old)s.\n\nThe change takes effect only once the responsible authority "
            "confirms it. If you did not expect it, tell the responsible authority at once."
        ) % {
            "when": organisation.bank_change_requested_at.strftime("%d/%m/%Y %H:%M")
            if organisation.bank_change_requested_at
            else "",
            "who": requester.email if requester is not None else "AMIS",
            "name": organisation.name,
            "new": organisation.pending_iban or "—",
            "old": organisation.iban or "—",
        }
    return EmailMessage(f"[AMIS] {subject}", body, to=to)


@task(takes_context=True)
def send_bank_change_notice(context: TaskContext, organisation_id: int, requested_at: str) -> dict[str, Any]:
    organisation = (
        Organisation.objects.select_related("bank_change_requested_by").filter(pk=organisation_id).first()
    )
    if (
        organisation is None
        or organisation.bank_change_requested_at is None
        or organisation.bank_change_requested_at.isoformat() != requested_at
    ):
        logger.info(
            "Bank change of organisation %s: no longer pending as asked; nothing sent", organisation_id
        )
        return {"sent": False, "reason": "not pending"}
    key = {"email": "bank_change", "requested_at": requested_at}
    if already_sent(organisation, **key):
        return {"sent": False, "reason": "already sent"}
    message = bank_change_message(organisation)
    if message is None:
        return {"sent": False, "reason": "no recipient"}
    return send_once(context, organisation, message, key)
