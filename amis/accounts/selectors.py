"""Reads about people: lists with their active roles in a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from amis.accounts.models import ApiToken, ConflictOfInterestDeclaration, RoleAssignment, User


def user_list(*, q: str = "", role: str = "") -> QuerySet[User]:
    """People by e-mail, with their active roles (one prefetch, whatever the page); `q` searches the
    e-mail and names, `role` keeps those who hold that role now."""
    users = User.objects.prefetch_related(
        Prefetch(
            "role_assignments",
            queryset=RoleAssignment.objects.filter(revoked_at__isnull=True).select_related(
                "organisation", "programme"
            ),
            to_attr="active_assignments",
        )
    ).order_by("email")
    if q:
        users = users.filter(Q(email__icontains=q) | Q(last_name__icontains=q) | Q(first_name__icontains=q))
    if role:
        holders = RoleAssignment.objects.filter(role=role, revoked_at__isnull=True).values("user_id")
        users = users.filter(pk__in=holders)
    return users


def user_get(pk: int) -> User | None:
    return User.objects.filter(pk=pk).first()


def role_history(user: User) -> QuerySet[RoleAssignment]:
    return user.role_assignments.select_related(
        "organisation", "programme", "granted_by", "revoked_by"
    ).order_by("-granted_at")


def tokens_of(user: User) -> QuerySet[ApiToken]:
    return user.api_tokens.order_by("-created_at")


def conflicts_of(user: User) -> QuerySet[ConflictOfInterestDeclaration]:
    return user.conflicts_of_interest.select_related("organisation")


def organisations() -> QuerySet[Any]:
    """Organisations, reached through the role's own relation: `accounts` sits below `organisations`
    in the life cycle and does not import it (docs/architecture.md)."""
    return RoleAssignment._meta.get_field("organisation").related_model._default_manager.all()
