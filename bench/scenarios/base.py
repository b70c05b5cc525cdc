"""What a scenario is, and the logged-in clients and token the scenarios share.

A scenario is one thing a user waits for (a page, an API call, a batch job), run once per call of
`run`. Writing scenarios roll back, so the generated data stays the same from one repetition to the
next and from one bench run to the next.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.test import Client


@dataclass(frozen=True)
class Scenario:
    name: str
    what: str
    run: Callable[[Any], object]


class ScenarioFailed(RuntimeError):
    """The scenario did not do its job (an error page, a refusal): its time would mean nothing."""


def ok(response: Any, where: str) -> int:
    """The response's size in bytes, after checking it is the page and not an error or a redirect."""
    if response.status_code != 200:
        raise ScenarioFailed(f"{where} answered {response.status_code}, not 200.")
    return len(response.content)


def rolled_back(job: Callable[[], object]) -> object:
    """Run a writing job in a transaction that is always rolled back, and return its result."""
    with transaction.atomic():
        result = job()
        transaction.set_rollback(True)
    return result


@dataclass
class Fixture:
    """Who does what in the scenarios, prepared once per bench run."""

    officer: Client  # delegated authority officer of the ESF agency Flanders, TOTP-authenticated
    reader: Client  # audit authority auditor: reads every application
    officer_user: Any
    token_header: dict[str, str]  # Authorization header, with a real personal API token
    big_call: str
    application: str  # a big-call application with its full budget
    programme_financing: str  # URL of the adopted version's financing plan
