"""Errors the service layer raises; pages, API and CLI turn them into clear messages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


class ApplicationError(Exception):
    """A business rule refused the operation. `message` is shown to the user as is."""

    def __init__(self, message: str, *, code: str = "invalid", extra: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.extra = extra or {}


class StaleObjectError(ApplicationError):
    """Optimistic locking: someone else saved the record since this user loaded it."""

    def __init__(self, what: str) -> None:
        super().__init__(
            _(
                "%(what)s was changed by someone else since you opened it. "
                "Reload it to see their changes, then apply yours again."
            )
            % {"what": what},
            code="stale",
        )


class ForbiddenError(ApplicationError, PermissionDenied):
    """Refused for who is asking, not for what they sent: outside their delegated part of the
    programme, or against segregation of duties. Answered 403 and written to the audit trail. Also a
    `PermissionDenied`, so a page that does not catch it still answers 403, never 500."""

    def __init__(self, message: str, *, code: str = "forbidden", extra: dict | None = None) -> None:
        super().__init__(message, code=code, extra=extra)
