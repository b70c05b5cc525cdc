"""How pages turn a service's refusal into an answer: the status code and the message to show."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from amis.core.errors import ForbiddenError, StaleObjectError


def error_status(error: Exception) -> int:
    """409 for a parallel edit or a busy moment, 403 for a refusal of rights (role, scope, segregation of
    duties), 400 for anything else the service refused."""
    if isinstance(error, StaleObjectError) or getattr(error, "code", "") == "busy":
        return 409
    if isinstance(error, PermissionDenied | ForbiddenError):
        return 403
    return 400


def error_message(error: Exception) -> str:
    return getattr(error, "message", None) or str(error)
