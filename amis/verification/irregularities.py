"""Writes of findings from a desk verification and of the life of an irregularity.

A verifier records a finding on a report's verification (`verification_finding_record`); it then
carries financial corrections and irregularities like a check's finding (`spot_checks`). An
irregularity moves suspected -> established -> closed, or suspected -> closed when the suspicion is
not confirmed (the reason required); every step is kept (`IrregularityEvent`) and audited, a refused
step is audited too, and a parallel change answers 409 (`lock_version`). Reg. (EU) No 514/2014
Art. 5(5) and Reg. (EU) 2021/1060 Art. 69(2): the authority prevents, detects and corrects
irregularities and reports them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from amis.core import audit
from amis.core.errors import ApplicationError
from amis.core.money import cents
from amis.core.refusals import check_version, refuse
from amis.core.transactions import atomic, lock_for_update
from amis.projects.scope import require_project
from amis.verification.models import Finding, Irregularity, IrregularityEvent, Verification
from amis.verification.spot_checks import MAX_AMOUNT

S = Irregularity.Status
# the steps an irregularity may take: (from, to)
STEPS = {(S.SUSPECTED, S.ESTABLISHED), (S.SUSPECTED, S.CLOSED), (S.ESTABLISHED, S.CLOSED)}


@atomic
def verification_finding_record(
    *,
    actor: Any,
    verification: Verification,
    text: str,
    severity: str = Finding.Severity.MINOR,
    amount_at_stake: Decimal | None = None,
    recommendation: str = "",
) -> Finding:
    """A finding of the desk verification of a report, by a verifier of the project (`claim.verify`)."""
    current = lock_for_update(Verification.objects.select_related("report__project__application__call")).get(
        pk=verification.pk
    )
    project = current.report.project
    require_project(actor, project, "claim.verify")
    if not text.strip():
        raise ApplicationError(_("Describe the finding."))
    if severity not in Finding.Severity.values:
        raise ApplicationError(_("Choose the severity of the finding."))
    if amount_at_stake is not None and (
        amount_at_stake <= 0 or amount_at_stake != cents(amount_at_stake) or amount_at_stake > MAX_AMOUNT
    ):
        raise ApplicationError(_("The amount at stake is positive, in euro and cents."))
    finding = Finding.objects.create(
        project=project,
        verification=current,
        text=text.strip(),
        severity=severity,
        amount_at_stake=amount_at_stake,
        recommendation=recommendation.strip(),
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action="create",
        obj=finding,
        after={"text": finding.text, "verification": current.pk, "severity": severity},
    )
    return finding


@atomic
def irregularity_status_change(
    *, actor: Any, irregularity: Irregularity, expected_lock_version: int, status: str, reason: str
) -> Irregularity:
    """Establish a suspected irregularity, close an established one, or close a suspected one as
    not confirmed. Closing needs a reason; so does establishing (what confirmed it)."""
    current = lock_for_update(Irregularity.objects.select_related("project__application__call")).get(
        pk=irregularity.pk
    )
    require_project(actor, current.project, "check.manage")
    check_version(actor, current, expected_lock_version)
    detail = {"from": current.status, "to": status}
    if status not in S.values:
        raise refuse(actor, current, _("Choose the new status."), detail)
    if (current.status, status) not in STEPS:
        raise refuse(
            actor,
            current,
            _("An irregularity that is %(now)s cannot become %(next)s.")
            % {"now": S(current.status).label, "next": S(status).label},
            detail,
        )
    if not reason.strip():
        raise refuse(actor, current, _("Give the reason for this step."), detail)
    before = current.status
    current.not_confirmed = before == S.SUSPECTED and status == S.CLOSED
    current.status = status
    current.lock_version += 1
    current.save(update_fields=["status", "not_confirmed", "lock_version"])
    IrregularityEvent.objects.create(
        irregularity=current, from_status=before, to_status=status, reason=reason.strip(), actor=actor
    )
    audit.record(
        actor=actor,
        action="status",
        obj=current,
        before={"status": before},
        after={"status": status, "reason": reason.strip(), "not_confirmed": current.not_confirmed},
    )
    return current
