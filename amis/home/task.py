"""A work queue on the home page: what waits, how many, where to do it, the first few."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SHOWN = 10  # items listed under a task; the count says how many there are in all


@dataclass
class Task:
    """Something waiting for the person: how many, where to do it, the first few."""

    label: Any
    count: int
    url: str
    items: list[tuple[str, str]] = field(default_factory=list)  # (text, url)


def task(label: Any, found: Any, url: str, item: Any) -> Task:
    """A task from a queryset: one query for the first few, a count only when there are more."""
    first = list(found[:SHOWN])
    count = found.count() if len(first) == SHOWN else len(first)
    return Task(label, count, url, [item(x) for x in first])
