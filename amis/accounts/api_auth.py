"""API authentication: a personal token (`Authorization: Bearer amis_...`) or the browser session.

Read-scope tokens may only read (GET/HEAD/OPTIONS). The session path is ninja's `django_auth`,
which keeps CSRF protection for writes.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from amis.accounts.models import ApiToken
from amis.accounts.services import token_authenticate

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = token_authenticate(token)
        if found is None:
            return None
        user, api_token = found
        if api_token.scope == ApiToken.Scope.READ and request.method not in SAFE_METHODS:
            return None
        request.user = user
        request.auth_token = api_token  # type: ignore[attr-defined]
        return user


token_auth = TokenAuth()
AUTHENTICATED = [token_auth, django_auth]


def _anonymous(request: HttpRequest) -> Any:
    """Public endpoints answer anyone; but a caller who sends a token is that token's person (or is
    refused, 401, when the token is not valid), never silently treated as anonymous."""
    if request.META.get("HTTP_AUTHORIZATION"):
        return None
    return AnonymousUser()


# public data that a logged-in person may see more of (e.g. an officer sees draft calls)
PUBLIC = [token_auth, django_auth, _anonymous]
