"""Logins, failed logins and logouts go into the audit trail (the Audit Authority reads them)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from amis.core.audit import record_security_event


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record_security_event(user=user, event="login", obj=user)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record_security_event(user=user, event="logout", obj=user)


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
    # Only the identifier tried, never the password.
    tried = str(credentials.get("email") or credentials.get("username") or "")[:200]
    record_security_event(
        user=None, event="login_failed", label=tried or "unknown", detail={"identifier": tried}
    )
