"""Every authority role must use a second factor: until the person has set up TOTP, they can only
reach the pages that let them set it up (or log out)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from amis.accounts.roles import AUTHORITY_ROLES

ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/")


def needs_second_factor(user: object) -> bool:
    from allauth.mfa.models import Authenticator

    from amis.accounts.permissions import active_roles

    if not set(active_roles(user)) & AUTHORITY_ROLES:
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not getattr(request, "auth_token", None)
            and not request.path.startswith(ALLOWED_PREFIXES)
            and needs_second_factor(user)
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)


class LoginForRefusedAnonymousMiddleware:
    """A page refused to someone not logged in sends them to the login page (then back); the API
    and logged-in people get the 403 with its reason."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.contrib.auth.views import redirect_to_login
        from django.core.exceptions import PermissionDenied

        user = getattr(request, "user", None)
        if isinstance(exception, PermissionDenied) and user is not None and not user.is_authenticated:
            if not request.path.startswith("/api/") and request.method == "GET":
                return redirect_to_login(request.get_full_path())
        return None
