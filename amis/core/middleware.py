"""Middleware of every request: the current request, reachable from the service layer for the audit
trail, and the refusal of malformed input before anything reads it.

Services take the acting user explicitly; the request is only used to record where a change came
from (path, and the client's address as `amis.core.client_ip` reads it behind trusted proxies), which
a service should not have to be handed by every caller.
"""

from __future__ import annotations

import contextvars
import re
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string

current_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "current_request", default=None
)


class CurrentRequestMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)


# ---------------------------------------------------------------------------------------------------
# Refusing NUL characters before anything reads them.

NUL = "\x00"
# A JSON string escape for NUL: "\u0000" preceded by an even number of backslashes (an odd number
# would make it the six characters \u0000, which are harmless).
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _nul_in_body(request: HttpRequest) -> str | None:
    """Where a NUL hides in the body: a form field, a file name, or a JSON (or other) body."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    if request.content_type in _FORM_TYPES:
        for name, values in request.POST.lists():
            if NUL in name or any(NUL in value for value in values):
                return f"the form field '{name.replace(NUL, '')}'"
        for name, uploads in request.FILES.lists():
            if any(NUL in (upload.name or "") for upload in uploads):
                return f"the name of the file sent as '{name}'"
        return None
    if b"\x00" in request.body or _JSON_NUL.search(request.body):
        return "the request body"
    return None


def nul_location(request: HttpRequest) -> str | None:
    """Where the request carries a NUL character, or None.

    PostgreSQL cannot store NUL in text, so a NUL that reaches a query or an insert fails there with
    an error the user cannot act on; no text AMIS handles has a legitimate use for it.
    """
    if NUL in request.path or NUL in request.path_info:
        return "the address"
    for name, values in request.GET.lists():
        if NUL in name or any(NUL in value for value in values):
            return f"the query parameter '{name.replace(NUL, '')}'"
    for key, value in request.META.items():
        if key.startswith("HTTP_") and isinstance(value, str) and NUL in value:
            return f"the header {key[5:].replace('_', '-').title()}"
    for name, value in request.COOKIES.items():
        if NUL in name or NUL in value:
            return f"the cookie '{name.replace(NUL, '')}'"
    return _nul_in_body(request)


def refusal(request: HttpRequest, message: str, code: str = "bad_request") -> HttpResponse:
    """A 400 in the shape the caller reads: the API's error JSON under /api/, a plain page elsewhere.

    The page is rendered without the request context on purpose: that would load the session and
    the user, which is exactly the reading a refused request must not cause.
    """
    if request.path_info.startswith("/api/"):
        return JsonResponse({"message": message, "code": code, "extra": {}}, status=400)
    return HttpResponseBadRequest(render_to_string("core/bad_request.html", {"message": message}))


class RefuseMalformedInputMiddleware:
    """Answers 400 to a request whose path, query, headers, form fields or body hold a NUL character,
    or whose body is larger than DATA_UPLOAD_MAX_MEMORY_SIZE, before any view or database sees it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            where = nul_location(request)
        except RequestDataTooBig:
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024
            message = f"The request is larger than the {limit:.1f} MB AMIS accepts. Nothing was saved."
            return refusal(request, message, "too_large")
        except TooManyFieldsSent:
            return refusal(request, "The form has more fields than AMIS accepts.", "too_many_fields")
        if where is not None:
            return refusal(
                request,
                f"The request holds a NUL character (\\x00) in {where}; AMIS accepts no NUL in any text. "
                "Nothing was saved.",
            )
        return self.get_response(request)
