"""The transaction of a service, and what happens when PostgreSQL breaks a deadlock.

Every service runs in one transaction (`@atomic`). Locks are taken as `docs/architecture.md`
("Locking") sets out: only the rows the service changes, `FOR NO KEY UPDATE` unless it deletes the
row, the object before its parents, the audit chain head always last. That leaves no lock cycle
between services; should PostgreSQL still pick a transaction as a deadlock victim, or refuse one
for a serialization failure, the whole service is run again from the start (nothing of the failed
attempt was kept: its writes, audit entry and queued e-mails rolled back with it), a few times,
and then refused as "busy, try again" (409) — never a 500.

A service called inside another service's transaction (or a test's) does not retry on its own: the
outermost one does, because only it can run everything again.
"""

from __future__ import annotations

import contextvars
import functools
import logging
import random
import time
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.db import DatabaseError, transaction

from amis.core import audit
from amis.core.errors import ApplicationError
from amis.core.locking import lock_for_update

__all__ = ["ATTEMPTS", "BusyError", "atomic", "lock_for_update"]

logger = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])
ATTEMPTS = 4
RETRYABLE = {"40P01", "40001"}  # deadlock_detected, serialization_failure (PostgreSQL SQLSTATE)
# unique_violation: two transactions inserted what exists once (a control report a year, a plan a
# programme, one running publication request) after both checked that it did not exist yet. Run
# again, the loser sees the winner's row and refuses with its own message; one that still fails
# after the last attempt is a bug, and is raised as it is.
UNIQUE_VIOLATION = "23505"


class BusyError(ApplicationError):
    """Other changes to the same data kept this one from going through; nothing was saved."""

    def __init__(self) -> None:
        super().__init__(
            "Others were changing the same data at the same moment; nothing was saved. Try again.",
            code="busy",
        )


def _sqlstate(error: DatabaseError) -> str | None:
    cause = error.__cause__
    return getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)


def _retryable(error: DatabaseError) -> bool:
    return _sqlstate(error) in RETRYABLE


def _run_again(error: DatabaseError) -> bool:
    return _sqlstate(error) in RETRYABLE | {UNIQUE_VIOLATION}


_in_service: contextvars.ContextVar[bool] = contextvars.ContextVar("amis_in_service", default=False)


def atomic(func: F) -> F:
    """`transaction.atomic` for a service: run again when the database breaks a deadlock, and the
    security events it wrote (refusals) written again if it fails, since its rollback takes them."""

    @functools.wraps(func)
    def run(*args: Any, **kwargs: Any) -> Any:
        if _in_service.get():  # called by another service: that one retries and keeps refusals
            with transaction.atomic():
                return func(*args, **kwargs)
        token = _in_service.set(True)
        try:
            return _outermost(func, args, kwargs)
        finally:
            _in_service.reset(token)

    return cast(F, run)


def _outermost(func: Callable[..., Any], args: Any, kwargs: Any) -> Any:
    may_retry = not transaction.get_connection().in_atomic_block  # else a test's or a view's transaction
    for attempt in range(1, ATTEMPTS + 1):
        events, token = audit.collect_security_events()
        try:
            with transaction.atomic():
                return func(*args, **kwargs)
        except DatabaseError as error:
            if may_retry and _run_again(error) and attempt < ATTEMPTS:
                logger.warning("%s: %s (attempt %s of %s)", func.__qualname__, error, attempt, ATTEMPTS)
                time.sleep(random.uniform(0.01, 0.05) * attempt)  # noqa: S311 - jitter, not a secret
                continue  # its refusals, if any, will be recorded again by the next attempt
            _keep(events, token)
            if may_retry and _retryable(error):
                raise BusyError() from error
            raise
        except BaseException:
            _keep(events, token)
            raise
        finally:
            audit.stop_collecting(token)
    raise AssertionError("unreachable")


def _keep(events: list[dict[str, Any]], token: Any) -> None:
    """The service failed: its transaction is rolled back; keep the refusals it recorded."""
    audit.stop_collecting(token)
    audit.write_again(events)
