"""The background worker, run the way production runs it but only until the queue is empty."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.management import call_command


def _run_worker() -> None:
    """`amis worker --batch`: run every task waiting in the database queue, then return."""
    call_command("worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0)


@pytest.fixture
def run_worker() -> Callable[[], None]:
    return _run_worker
