"""What the public pages and the open-data API share on the HTTP side: validators for conditional
GETs (ETag, Last-Modified, 304) so a popular page costs the server one small query, the canonical
URL of a page, and the rate limit of the API without login.

Validators. The list of operations (page, CSV, API) is validated by `selectors.list_validator()`:
the latest `published_changed_at` of any operation (withheld ones included: withholding or
publishing one moves it) and their number. One operation by its own stamp, asked through
`publishable_projects()`, so a withheld one has no validator and answers 404 as before. The ETag
also holds what else changes the bytes: the language, the query string, AMIS's version (templates),
who asks (an anonymous visitor or which person: the header differs) and the CSRF cookie (a cached
page's forms must still be accepted after a login rotated it; a first visit, which has no cookie
yet, is therefore not answered 304); it is weak (W/), since equal validators mean equal content,
not equal bytes (each response masks the CSRF token anew). Pages
without a cheap validator (programme, calls) get an ETag of their content: a 304 then saves the
bandwidth, not the rendering.

Rate limit. Anonymous callers of `/api/v1/public/...` may make `AMIS_PUBLIC_API_RATE` requests in
each window of `AMIS_PUBLIC_API_RATE_WINDOW` seconds per client address (`amis.core.client_ip`:
behind trusted proxies the forwarded address), counted in Django's cache (the database cache by
default, shared by every server process). Past it: 429 with Retry-After (the seconds until the
window ends). A caller with a personal token is known and is not limited here. 0 turns it off.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import time
from functools import cache
from importlib import metadata
from typing import Any

from django.conf import settings
from django.core.cache import cache as django_cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language, gettext

from amis.core.client_ip import client_ip


@cache
def _version() -> str:
    try:
        return metadata.version("amis")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a plain checkout
        return "dev"


def etag(request: HttpRequest, *parts: Any) -> str:
    """A weak ETag from the validator's parts and what else changes the response."""
    seed = "|".join(str(p) for p in (*_who(request), request.get_full_path(), request.method, *parts))
    return 'W/"' + hashlib.sha256(seed.encode("utf-8")).hexdigest()[:32] + '"'


def _who(request: HttpRequest) -> tuple[str, ...]:
    """What of the reader changes a page: the language, the person (the header), the CSRF secret
    (the forms' tokens are made from it), and AMIS's version (the templates)."""
    user = request.user.pk if getattr(request.user, "is_authenticated", False) else "-"
    csrf = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    return (_version(), get_language() or "", str(user), csrf)


_CSRF_VALUE = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def _timestamp(moment: dt.datetime | None) -> int | None:
    return int(moment.timestamp()) if moment is not None else None  # HTTP dates are whole seconds


def not_modified(request: HttpRequest, tag: str | None, modified: dt.datetime | None) -> HttpResponse | None:
    """The 304 (or 412) answer when the client's copy is current, else None: render the response."""
    if tag is None:
        return None
    answer = get_conditional_response(request, etag=tag, last_modified=_timestamp(modified))
    if answer is not None:
        _headers(answer, tag, modified)
    return answer


def _headers(response: HttpResponseBase, tag: str | None, modified: dt.datetime | None) -> HttpResponseBase:
    if tag:
        response["ETag"] = tag
    if modified is not None:
        response["Last-Modified"] = http_date(modified.timestamp())
    # may be kept, but asked again each time (a withheld operation must disappear at once)
    response["Cache-Control"] = "no-cache"
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


def validated(response: HttpResponseBase, tag: str | None, modified: dt.datetime | None) -> HttpResponseBase:
    """Give a response its validators (a successful one only)."""
    if response.status_code != 200 or tag is None:
        return response
    return _headers(response, tag, modified)


def content_validated(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """ETag of the rendered content, and 304 when the client already has it."""
    if response.status_code != 200:
        return response
    # each response masks the CSRF token anew: the same page in every other respect is the same page
    content = _CSRF_VALUE.sub(rb"\1\2", response.content)
    digest = hashlib.sha256("|".join(_who(request)).encode("utf-8") + content).hexdigest()[:32]
    tag = 'W/"' + digest + '"'
    answer = get_conditional_response(request, etag=tag, response=response) or response
    _headers(answer, tag, None)
    return answer


def canonical_url(request: HttpRequest, path: str, page: int | None = None) -> str:
    """The page's one address for search engines and sharing: its path without the filters (a
    filtered list is the same page), the page number when it is not the first."""
    url = request.build_absolute_uri(path)
    return f"{url}?page={page}" if page and page > 1 else url


# -- rate limit ------------------------------------------------------------------------------------


def rate_limited(request: HttpRequest) -> HttpResponse | None:
    """429 with Retry-After when this anonymous client went past its requests in this window."""
    if getattr(request.user, "is_authenticated", False):
        return None
    limit = int(getattr(settings, "AMIS_PUBLIC_API_RATE", 0))
    window = max(int(getattr(settings, "AMIS_PUBLIC_API_RATE_WINDOW", 60)), 1)
    if limit <= 0:
        return None
    now = time.time()
    slot = int(now // window)
    key = f"amis:public-api:{client_ip(request) or 'unknown'}:{slot}"
    try:
        count = django_cache.incr(key)
    except ValueError:  # the window's first request (or its count expired)
        if not django_cache.add(key, 1, timeout=window + 1):
            count = django_cache.incr(key)  # another process added it just now
        else:
            count = 1
    if count <= limit:
        return None
    retry = max(int((slot + 1) * window - now) + 1, 1)
    response = JsonResponse(
        {"detail": gettext("Too many requests: try again in %(seconds)d seconds.") % {"seconds": retry}},
        status=429,
    )
    response["Retry-After"] = str(retry)
    return response
