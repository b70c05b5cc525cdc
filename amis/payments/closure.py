"""Closing a project for payments: once the final report is verified, the balance paid (or nil, or
turned into a recovery), nothing proposed or approved still waits for the bank, no recovery is open
and no finding is open. The closure freezes the project's figures; nothing is paid or recovered
after it (`services.ensure_open`). Reads: `is_closed`, `closures_for`, `closure_blockers`.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from amis.core import audit
from amis.core.errors import ApplicationError
from amis.core.money import ZERO, cents
from amis.core.transactions import atomic, lock_for_update
from amis.payments import services
from amis.payments.models import Payment, ProjectClosure, Recovery
from amis.projects.models import Project
from amis.projects.scope import require_project
from amis.projects.selectors import version_in_force
from amis.reporting.models import Report
from amis.verification.models import Finding, Verification


def is_closed(project: Project) -> bool:
    return ProjectClosure.objects.filter(project=project).exists()


def closures_for(projects: Iterable[Project]) -> dict[int, ProjectClosure]:
    """The closures of these projects, by project id (one query)."""
    ids = [p.pk for p in projects]
    return {c.project_id: c for c in ProjectClosure.objects.filter(project_id__in=ids)}


def _balance_settled(project: Project) -> bool:
    balances = services.standing(Payment.objects.filter(project=project, kind=Payment.Kind.BALANCE))
    return (
        balances.filter(status=Payment.Status.PAID).exists()
        or balances.filter(status=Payment.Status.APPROVED, amount=0).exists()
    )


def closure_blockers(project: Project) -> list[str]:
    """What still keeps the project from being closed, in words (empty: it may be closed)."""
    if is_closed(project):
        return [_("The project is already closed.")]
    blockers: list[str] = []
    if not Verification.objects.filter(
        report__project=project, report__kind=Report.Kind.FINAL, status=Verification.Status.COMPLETED
    ).exists():
        blockers.append(_("The verification of the final report is not completed."))
    if not _balance_settled(project):
        blockers.append(_("The balance is not paid (nor approved as nil)."))
    waiting = Payment.objects.filter(project=project).filter(
        status__in=(Payment.Status.PROPOSED, Payment.Status.APPROVED)
    )
    proposed = waiting.filter(status=Payment.Status.PROPOSED).count()
    if proposed:
        blockers.append(_("%(n)s payment(s) proposed and not decided.") % {"n": proposed})
    unpaid = (
        waiting.filter(status=Payment.Status.APPROVED)
        .exclude(amount=0)
        .exclude(cancelled_by__status=Payment.Status.PAID)  # returned before it was ever recorded
        .count()
    )
    if unpaid:
        blockers.append(_("%(n)s approved payment(s) not recorded as paid.") % {"n": unpaid})
    recoveries = Recovery.objects.filter(project=project, status=Recovery.Status.OPEN).count()
    if recoveries:
        blockers.append(_("%(n)s recovery order(s) still open.") % {"n": recoveries})
    findings = Finding.objects.filter(project=project, status=Finding.Status.OPEN).count()
    if findings:
        blockers.append(_("%(n)s finding(s) still open.") % {"n": findings})
    return blockers


def figures(project: Project) -> dict[str, str]:
    """The figures frozen at closure, as decimal strings."""
    from amis.payments.recoveries import net_paid

    version = version_in_force(project)
    row = Recovery.objects.filter(project=project).aggregate(
        r=Sum("received"), o=Sum("offset"), w=Sum("written_off")
    )
    recovered: Decimal = (row["r"] or ZERO) + (row["o"] or ZERO)
    values = {
        "max_grant": version.max_grant if version is not None else ZERO,
        "eu_verified": services.eu_verified_total(project),
        "paid_net": net_paid(project),
        "recovered": recovered,
        "written_off": row["w"] or ZERO,
    }
    return {key: str(cents(Decimal(value))) for key, value in values.items()}


@atomic
def project_close(*, actor: Any, project: Project) -> ProjectClosure:
    """An authorising officer closes the project once nothing is left to pay, recover or follow up."""
    current = lock_for_update(Project.objects.select_related("application__call")).get(pk=project.pk)
    require_project(actor, current, "payment.approve")
    blockers = closure_blockers(current)
    if blockers:
        raise ApplicationError(
            _("The project cannot be closed yet: %(why)s") % {"why": " ".join(blockers)},
            extra={"blockers": blockers},
        )
    closure = ProjectClosure.objects.create(
        project=current, closed_on=timezone.localdate(), closed_by=actor, figures=figures(current)
    )
    audit.record(actor=actor, action="close", obj=closure, after=closure.figures)
    return closure
