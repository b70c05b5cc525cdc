"""Which menu entries the person sees; the pages themselves check again (hiding is not protecting)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from amis.accounts.permissions import check, has_role
from amis.accounts.roles import Role


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}}
    return {
        "nav": {
            "organisations": check(user, "organisation.list").allowed,
            "my_organisation": has_role(user, Role.BENEFICIARY),
            "people": check(user, "user.list").allowed,
            "audit": check(user, "audit.view").allowed,
        }
    }
