"""What payments adds to the project page (`amis.core.pages`, page "project", slot "main"): the
project's payments and recoveries, the totals (EU share verified, paid, open recoveries, remaining of
the grant) and, for a payment officer, the form proposing a payment. Registered in `apps.py`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from amis.accounts.permissions import check
from amis.payments import selectors
from amis.payments.forms import ProposeForm
from amis.payments.models import Payment
from amis.projects.scope import may_see


def project_payments(request: HttpRequest, project: Any) -> dict[str, Any] | None:
    """For the authority's people who see the project (the beneficiary sees its own payments too)."""
    if not may_see(request.user, project):
        return None
    may_propose = check(request.user, "payment.propose", project).allowed
    return {
        "project_payments": list(
            Payment.objects.filter(project=project)
            .select_related("report", "batch")
            .order_by("proposed_at", "pk")
        ),
        "project_recoveries": selectors.recoveries(project),
        "payment_totals": selectors.project_totals(project),
        "propose_form": ProposeForm(project=project) if may_propose else None,
    }
