"""The background worker, run the way production runs it but only until the queue is empty."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.management import call_command


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
