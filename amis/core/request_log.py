"""One JSON line per request, and the request id that ties it to the audit trail.

`RequestLogMiddleware` gives every request an id: the X-Request-ID header when the reverse proxy
is trusted to set it (AMIS_TRUST_REQUEST_ID=1, and only an id of up to 64 letters, digits and
`._:-`), otherwise a new random one. The id is sent back in the X-Request-ID response header, kept
on the request (`request.request_id`) for the audit trail (`AuditEntry.request_id`), and written in
the request's log line on the `amis.request` logger:

    {"time": "...", "level": "INFO", "logger": "amis.request", "message": "request",
     "method": "GET", "path": "/calls/", "status": 200, "duration_ms": 41.7, "user_id": 12,
     "request_id": "6f0c..."}

The query string is left out (it may carry search terms or tokens). The line is written when
AMIS_REQUEST_LOG is on (the default in production; the demo, which prints runserver's own lines,
turns it off). An operator finds every change a request made with `AuditEntry.request_id`.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

logger = logging.getLogger("amis.request")
REQUEST_ID_HEADER = "X-Request-ID"
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
# Attributes every LogRecord has; anything else was passed in `extra` and goes into the JSON.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


def request_id_of(request: HttpRequest) -> str:
    """The id this request is known by: the trusted proxy's, when it sent a valid one, or a new one."""
    if getattr(settings, "AMIS_TRUST_REQUEST_ID", False):
        given = request.headers.get(REQUEST_ID_HEADER, "")
        if _VALID_ID.match(given):
            return given
    return uuid.uuid4().hex


def _user_id(request: HttpRequest) -> int | None:
    """The logged-in user's id, without loading the user for a request that never needed it."""
    user = request.__dict__.get("user")
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if getattr(user, "is_authenticated", False) else None


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        request.request_id = request_id_of(request)  # type: ignore[attr-defined]
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response[REQUEST_ID_HEADER] = request.request_id  # type: ignore[attr-defined]
            return response
        finally:
            if getattr(settings, "AMIS_REQUEST_LOG", True):
                logger.info(
                    "request",
                    extra={
                        "method": request.method,
                        "path": request.path[:300],
                        "status": status,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                        "user_id": _user_id(request),
                        "request_id": request.request_id,  # type: ignore[attr-defined]
                    },
                )


class JsonFormatter(logging.Formatter):
    """A log record as one line of JSON: time, level, logger, message, and the `extra` fields."""

    converter = time.gmtime  # type: ignore[assignment]

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({key: value for key, value in vars(record).items() if key not in _STANDARD})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)
