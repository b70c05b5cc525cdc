"""Every authority role, and everyone in the Django admin, must use a second factor: until the person
has set up TOTP, they can only reach the pages that let them set it up (or log out). The admin also
needs the session itself to have been verified with the second factor (allauth records how a session
was authenticated): a superuser whose session saw only a password is asked for the code first."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from amis.accounts.roles import AUTHORITY_ROLES

ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/")
ADMIN_PREFIX = "/admin/"


def has_totp(user: object) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def needs_second_factor(user: object) -> bool:
    from amis.accounts.permissions import active_roles

    if not set(active_roles(user)) & AUTHORITY_ROLES:
        return False
    return not has_totp(user)


def verified_with_second_factor(request: HttpRequest) -> bool:
    """Whether this session was authenticated (or re-authenticated) with a second factor."""
    from allauth.account.authentication import get_authentication_records

    return any(r.get("method") == "mfa" for r in get_authentication_records(request, request.user))


def _admin_redirect(request: HttpRequest) -> HttpResponse | None:
    """Where a person in the admin must go first: set up TOTP, or confirm this session with it."""
    if not has_totp(request.user):
        return redirect("mfa_activate_totp")
    if not verified_with_second_factor(request):
        return redirect(f"{reverse('mfa_reauthenticate')}?{urlencode({'next': request.get_full_path()})}")
    return None


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
        ):
            if request.path.startswith(ADMIN_PREFIX) and user.is_staff:
                refused = _admin_redirect(request)
                if refused is not None:
                    return refused
            elif needs_second_factor(user):
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
