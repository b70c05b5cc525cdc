"""The Django admin may show second factors, never add, change or delete one.

allauth registers an admin for `Authenticator` that lets a superuser delete anyone's TOTP device;
the person could then enrol again with the password alone. Removing someone else's second factor is
a four-eyes service instead (`services.second_factor_reset_request` / `..._decide`), audited.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.admin import AuthenticatorAdmin
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.http import HttpRequest


class ReadOnlyAuthenticatorAdmin(AuthenticatorAdmin):
    """Which authenticators exist and when they were last used; the secrets are not shown."""

    fields = ("user", "type", "created_at", "last_used_at")
    readonly_fields = fields
    actions = None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


admin.site.unregister(Authenticator)
admin.site.register(Authenticator, ReadOnlyAuthenticatorAdmin)
