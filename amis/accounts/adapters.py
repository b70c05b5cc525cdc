"""allauth hooks: e-mails go out in the user's language, anyone may register (beneficiaries do), and
the login rate limits count per client address as `amis.core.client_ip` reads it (trusted proxies)."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from amis.core.client_ip import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return True

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=False)
        user.preferred_language = (getattr(request, "LANGUAGE_CODE", "") or "en")[:2]
        if commit:
            user.save()
        return user

    def get_client_ip(self, request: HttpRequest) -> str:
        """The address the rate limits count by: the same as the audit trail's (allauth refuses too
        when there is none)."""
        address = client_ip(request)
        if address is None:
            raise PermissionDenied("Unable to determine client IP address")
        return address
