"""The eligibility check of a submitted application, once its call has closed: every criterion of the
call answered, a reason for each one not met."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from amis.applications.models import Application
from amis.calls.models import Call
from amis.calls.services import assert_in_scope
from amis.core import audit
from amis.core.errors import ApplicationError
from amis.core.transactions import atomic, lock_for_update
from amis.selection.models import EligibilityCheck

S = Application.Status


def locked(application: Application) -> Application:
    """The application row only, locked for the change (its call and organisation are read, not locked)."""
    return lock_for_update(Application.objects.select_related("call", "organisation")).get(pk=application.pk)


@atomic
def check_eligibility(
    *, actor: Any, application: Application, answers: dict[str, dict[str, Any]]
) -> Application:
    app = locked(application)
    assert_in_scope(actor, app.call, "application.check")
    if app.call.status not in (Call.Status.CLOSED,):
        raise ApplicationError(_("Eligibility is checked once the call has closed."))
    if app.status != S.SUBMITTED:
        raise ApplicationError(
            _("Application %(reference)s is %(status)s, not submitted.")
            % {"reference": app.reference, "status": app.get_status_display()}
        )
    problems = {}
    clean: dict[str, dict[str, Any]] = {}
    for criterion in app.call.eligibility_criteria:
        answer = answers.get(criterion["code"])
        if answer is None or not isinstance(answer.get("met"), bool):
            problems[criterion["code"]] = _("Say whether the criterion is met.")
            continue
        if not answer["met"] and not str(answer.get("reason", "")).strip():
            problems[criterion["code"]] = _("Give the reason why the criterion is not met.")
        clean[criterion["code"]] = {"met": answer["met"], "reason": str(answer.get("reason", "")).strip()}
    if problems:
        raise ApplicationError(
            _("Nothing was saved. %(problems)s")
            % {"problems": "; ".join(f"{k}: {v}" for k, v in problems.items())},
            extra={"fields": problems},
        )
    eligible = all(a["met"] for a in clean.values())
    EligibilityCheck.objects.create(application=app, officer=actor, answers=clean, eligible=eligible)
    app.status = S.ELIGIBLE if eligible else S.INELIGIBLE
    app.lock_version += 1
    app.save(update_fields=["status", "lock_version", "updated_at"])
    audit.record(
        actor=actor,
        action="transition",
        obj=app,
        before={"status": "submitted"},
        after={"status": app.status, "answers": clean},
    )
    return app
