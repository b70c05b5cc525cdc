"""Background tasks of the programme: telling the responsible authority's managers that an
officer handed them a draft version for review, run by `amis worker` (sent once per manager; see
`amis.core.notifications`)."""

from __future__ import annotations

import logging
from typing import Any

from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import TaskContext, task

from amis.accounts.models import User
from amis.accounts.roles import Role
from amis.core.notifications import send_once
from amis.programme.models import ProgrammeVersion

logger = logging.getLogger(__name__)


def review_message(version: ProgrammeVersion, manager: User) -> EmailMessage:
    """The manager hears it in their language: which version, who handed it, where to review it."""
    cci = version.programme.cci
    by = version.ready_for_review_by
    with translation.override(getattr(manager, "preferred_language", "") or "en"):
        subject = _("[AMIS] Version %(n)s of %(cci)s is ready for your review") % {
            "n": version.number,
            "cci": cci,
        }
        body = "\n".join(
            [
                _("%(who)s finished draft version %(n)s of programme %(cci)s and handed it to you.")
                % {"who": str(by) if by else _("An officer"), "n": version.number, "cci": cci},
                _("Review it and, if it is right, submit it to the Commission, in AMIS at %(path)s.")
                % {"path": reverse("programme:versions", args=[cci])},
            ]
        )
    return EmailMessage(subject, body, to=[manager.email])


@task(takes_context=True)
def send_ready_for_review(context: TaskContext, version_id: int) -> dict[str, Any]:
    """E-mail every active responsible authority manager that a draft waits for their review."""
    version = (
        ProgrammeVersion.objects.select_related("programme", "ready_for_review_by")
        .filter(pk=version_id)
        .first()
    )
    if version is None or version.ready_for_review_at is None:
        logger.warning("Version %s: not found or not ready for review; nothing sent", version_id)
        return {"sent": 0}
    managers = (
        User.objects.filter(
            role_assignments__role=Role.RA_MANAGER, role_assignments__revoked_at__isnull=True, is_active=True
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
    sent = 0
    for manager in managers:
        key = {
            "email": "ready_for_review",
            "to_user": manager.pk,
            "at": version.ready_for_review_at.isoformat(),
        }
        sent += bool(send_once(context, version, review_message(version, manager), key)["sent"])
    return {"sent": sent}
