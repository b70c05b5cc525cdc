"""Reads for calls and applications."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from amis.accounts.permissions import active_roles, check
from amis.accounts.roles import Role
from amis.calls.models import Application, Call


def call_list(*, public: bool = False) -> QuerySet[Call]:
    calls = Call.objects.select_related("programme", "managing_organisation").annotate(
        **{
            f"n_{s}": Count("applications", filter=Q(applications__status=s))
            for s in Application.Status.values
        }
    )
    if public:
        calls = calls.exclude(status=Call.Status.DRAFT).filter(procedure=Call.Procedure.OPEN)
    return calls.order_by("-opens_at", "code")


def call_get(code: str) -> Call | None:
    return Call.objects.select_related("programme", "managing_organisation").filter(code=code).first()


def applications_for(user: Any) -> QuerySet[Application]:
    """All applications for authority readers; a beneficiary's own organisations' otherwise."""
    qs = Application.objects.select_related("call", "organisation").order_by("-created_at")
    if check(user, "application.list").allowed:
        return qs
    own = {org for org in active_roles(user).get(Role.BENEFICIARY, set()) if org}
    return qs.filter(organisation_id__in=own)


def application_get(reference: str) -> Application | None:
    return (
        Application.objects.select_related("call", "organisation")
        .prefetch_related("budget_lines")
        .filter(reference=reference)
        .first()
    )


def status_counts(call: Call) -> dict[str, int]:
    return {s: getattr(call, f"n_{s}", 0) for s in Application.Status.values}
