"""Reads about organisations, always narrowed to what the reader may see.

Scoping here repeats the permission table (`organisation.view`) rather than trusting every caller to
filter: a beneficiary's list can never contain another beneficiary, whichever page or endpoint asks.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from amis.accounts.permissions import BY_ACTION, active_roles
from amis.accounts.roles import Role
from amis.organisations.models import Organisation


def visible_to(user: Any) -> QuerySet[Organisation]:
    """All organisations for authority readers; a beneficiary user's own ones; nothing otherwise."""
    permission = BY_ACTION["organisation.view"]
    roles = active_roles(user)
    if set(roles) & permission.roles:
        return Organisation.objects.all()
    own = {org_id for role in set(roles) & permission.own_organisation for org_id in roles[role] if org_id}
    return Organisation.objects.filter(pk__in=own)


def organisation_list(
    *, user: Any, status: str | None = None, kind: str | None = None, q: str | None = None
) -> QuerySet[Organisation]:
    qs = visible_to(user)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if q and q.strip():
        text = q.strip()
        digits = "".join(ch for ch in text if ch.isdigit())
        match = Q(name__icontains=text) | Q(short_name__icontains=text) | Q(city__icontains=text)
        match |= Q(vat_number__icontains=text.replace(" ", "").replace(".", ""))
        if len(digits) >= 4:  # "0308.357.159" or "308 357" finds the stored 0308357159
            match |= Q(enterprise_number__contains=digits)
        qs = qs.filter(match)
    return qs.order_by("name")


def organisation_get(pk: int) -> Organisation | None:
    return (
        Organisation.objects.select_related("registered_by", "decided_by")
        .prefetch_related("contacts")
        .filter(pk=pk)
        .first()
    )


def organisations_of(user: Any) -> QuerySet[Organisation]:
    """The organisations the user works for as a beneficiary user."""
    ids = {org_id for org_id in active_roles(user).get(Role.BENEFICIARY, set()) if org_id}
    return Organisation.objects.filter(pk__in=ids).prefetch_related("contacts").order_by("name")


def registrations_of(user: Any) -> QuerySet[Organisation]:
    """The user's own registrations that are not (or not yet) approved, with the decision's reason."""
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    return Organisation.objects.filter(registered_by=user).exclude(status=Organisation.Status.APPROVED)


def pending_registrations() -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(status=Organisation.Status.PENDING)
        .select_related("registered_by")
        .prefetch_related("contacts")
        .order_by("created_at")
    )


def pending_bank_changes() -> QuerySet[Organisation]:
    return _pending("bank_change")


def pending_name_changes() -> QuerySet[Organisation]:
    return _pending("name_change")


def _pending(change: str) -> QuerySet[Organisation]:
    """The organisations with a held change (`services.HeldChange`) waiting, oldest request first."""
    return (
        Organisation.objects.filter(**{f"{change}_requested_at__isnull": False})
        .select_related(f"{change}_requested_by")
        .order_by(f"{change}_requested_at")
    )
