"""What payments adds to the project page (`amis.core.pages`, page "project", slot "main"): the
project's payments and recoveries, the totals (EU share verified, paid, open recoveries, remaining of
the grant) and, for a payment officer, the forms proposing a payment and ordering a recovery; the
closure (when, or for an authorising officer the button and what still blocks it, in words).
Registered in `apps.py`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from amis.accounts.permissions import check
from amis.payments import closure, selectors
from amis.payments.forms import ProposeForm, RecoveryOrderForm
from amis.payments.models import Payment
from amis.projects.scope import may_see


def project_payments(request: HttpRequest, project: Any) -> dict[str, Any] | None:
    """For the authority's people who see the project (the beneficiary sees its own payments too)."""
    if not may_see(request.user, project):
        return None
    closed = closure.closures_for([project]).get(project.pk)
    may_propose = closed is None and check(request.user, "payment.propose", project).allowed
    may_close = closed is None and check(request.user, "payment.approve", project).allowed
    return {
        "project_closure": closed,
        "close_blockers": closure.closure_blockers(project) if may_close else [],
        "may_close": may_close,
        "may_see_recoveries": check(request.user, "recovery.view").allowed,
        "recovery_form": RecoveryOrderForm(project=project) if may_propose else None,
        "project_payments": list(
            Payment.objects.filter(project=project)
            .select_related("report", "batch")
            .order_by("proposed_at", "pk")
        ),
        "project_recoveries": selectors.recoveries(project),
        "payment_totals": selectors.project_totals(project),
        "propose_form": ProposeForm(project=project) if may_propose else None,
    }
