"""How pages turn a service's refusal into an answer: the status code and the message to show."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from amis.core.errors import StaleObjectError


def error_status(error: Exception) -> int:
    """409 for a parallel edit, 403 for a refusal of rights, 400 for anything else the service refused."""
    if isinstance(error, StaleObjectError):
        return 409
    if isinstance(error, PermissionDenied) or getattr(error, "code", "") == "forbidden":
        return 403
    return 400


def error_message(error: Exception) -> str:
    return getattr(error, "message", None) or str(error)
