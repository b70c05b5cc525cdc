"""Assessment: each assessor scores an eligible application once, after declaring no conflict of
interest (segregation of duties is checked here, whatever page or endpoint is used); when two
assessors diverge, the selection officer consolidates the scores with a reason."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from amis.accounts.permissions import require
from amis.accounts.services import duty_record, ensure_duty_allowed
from amis.accounts.sod import Duty
from amis.applications.models import Application
from amis.calls.services import assert_in_scope
from amis.core import audit
from amis.core.errors import ApplicationError
from amis.core.transactions import atomic
from amis.selection import rules
from amis.selection.models import Assessment, Consolidation
from amis.selection.selectors import assessment_state, criteria
from amis.selection.services.eligibility import locked

S = Application.Status


def _scores(raw: dict[str, Any]) -> dict[str, Decimal]:
    out = {}
    for code, value in raw.items():
        try:
            out[code] = Decimal(str(value))
        except InvalidOperation as exc:
            raise ApplicationError(
                _("Nothing was saved. %(criterion)s: '%(value)s' is not a number.")
                % {"criterion": code, "value": value},
                extra={"fields": {code: _("not a number")}},
            ) from exc
    return out


@atomic
def assess(
    *,
    actor: Any,
    application: Application,
    no_conflict_of_interest: bool,
    scores: dict[str, Any],
    justifications: dict[str, str],
) -> Assessment:
    require(actor, "application.assess")
    app = locked(application)
    if not no_conflict_of_interest:
        raise ApplicationError(_("Declare first that you have no conflict of interest with this applicant."))
    ensure_duty_allowed(user=actor, duty=Duty.ASSESS, obj=app, organisation=app.organisation)
    if app.status not in (S.ELIGIBLE, S.ASSESSED):
        raise ApplicationError(
            _("Application %(reference)s is %(status)s; only eligible ones are assessed.")
            % {"reference": app.reference, "status": app.get_status_display()}
        )
    if Assessment.objects.filter(application=app, assessor=actor).exists():
        raise ApplicationError(_("You already assessed this application."))
    parsed = _scores(scores)
    problems = rules.score_problems(criteria(app.call), parsed, justifications)
    if problems:
        raise ApplicationError(
            _("Nothing was saved. %(problems)s")
            % {"problems": "; ".join(f"{k}: {v}" for k, v in problems.items())},
            extra={"fields": problems},
        )
    assessment = Assessment.objects.create(
        application=app,
        assessor=actor,
        no_conflict_declared_at=timezone.now(),
        scores={k: str(v) for k, v in parsed.items()},
        justifications=justifications,
        total=rules.total(parsed),
    )
    duty_record(user=actor, duty=Duty.ASSESS, obj=app)
    audit.record(
        actor=actor,
        action="create",
        obj=assessment,
        after={"scores": assessment.scores, "total": str(assessment.total)},
    )
    _refresh_assessed(app)
    return assessment


def _refresh_assessed(app: Application) -> None:
    if assessment_state(app)["complete"] and app.status == S.ELIGIBLE:
        app.status = S.ASSESSED
        app.lock_version += 1
        app.save(update_fields=["status", "lock_version", "updated_at"])


@atomic
def consolidate(*, actor: Any, application: Application, scores: dict[str, Any], note: str) -> Consolidation:
    app = locked(application)
    assert_in_scope(actor, app.call, "selection.manage")
    state = assessment_state(app)
    if not state["divergent"]:
        raise ApplicationError(_("The assessors agree; there is nothing to consolidate."))
    if not note.strip():
        raise ApplicationError(_("Explain the consolidated scores."))
    parsed = _scores(scores)
    problems = rules.score_problems(criteria(app.call), parsed, {c.code: note for c in criteria(app.call)})
    if problems:
        raise ApplicationError(
            _("Nothing was saved. %(problems)s")
            % {"problems": "; ".join(f"{k}: {v}" for k, v in problems.items())},
            extra={"fields": problems},
        )
    consolidation = Consolidation.objects.create(
        application=app,
        by=actor,
        scores={k: str(v) for k, v in parsed.items()},
        note=note,
        total=rules.total(parsed),
    )
    audit.record(actor=actor, action="create", obj=consolidation, after={"scores": consolidation.scores})
    _refresh_assessed(app)
    return consolidation
