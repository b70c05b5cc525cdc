"""Shared fixtures: the Belgian programme exactly as the demo loads it, and the background worker."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from hypothesis import settings as hypothesis_settings

from amis.demo.programme import belgian_document, load_belgian_programme

# CI machines are shared and slow at times: judge hypothesis examples by their result, not their speed
# (performance belongs in benchmarks on generated data, never in unit tests).
hypothesis_settings.register_profile("amis", deadline=None)
hypothesis_settings.load_profile("amis")


@pytest.fixture(scope="session")
def _belgian_document_cached() -> dict[str, Any]:
    return belgian_document()


@pytest.fixture
def belgian_doc(_belgian_document_cached: dict[str, Any]) -> dict[str, Any]:
    """A fresh copy of the Belgian programme file's document, safe to modify."""
    return copy.deepcopy(_belgian_document_cached)


@pytest.fixture
def belgian(db: None) -> Any:
    """Version 2 (as adopted) and draft version 3 of the Belgian programme in the database."""
    load_belgian_programme(log=lambda message: None)
    from amis.programme.selectors import version_get

    return version_get("2014BE65AMNP001", 2)


@pytest.fixture(autouse=True)
def _fast_password_hashing(request: pytest.FixtureRequest, settings: Any) -> None:
    """Argon2 is deliberately slow; tests that are not about hashing use a fast hasher."""
    if "argon2" not in request.keywords:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language() -> Any:
    """Every test starts and ends in the default language: a request of the test client activates
    the client's language for the thread and leaves it active, which would let one test's French
    reach the next test's messages."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def run_worker(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """`amis worker --batch`: run every task waiting in the database queue, then return.

    The worker calls `close_old_connections()` between tasks; inside the test's transaction that
    would close the connection (PostgreSQL) and lose the test's data, so, as Django's test client
    does for requests, it is switched off here. Everything else is the real worker on the real queue.
    """
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)

    def run() -> None:
        call_command("worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0)

    return run
