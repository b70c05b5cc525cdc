"""allauth hooks: e-mails go out in the user's language, and anyone may register (beneficiaries do)."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return True

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=False)
        user.preferred_language = (getattr(request, "LANGUAGE_CODE", "") or "en")[:2]
        if commit:
            user.save()
        return user
