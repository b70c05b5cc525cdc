"""Timing a scenario: warm-up runs (caches, connection, templates), then timed repetitions.

Queries are counted with an execute wrapper on the same runs that are timed. Not with
CaptureQueriesContext: Django keeps only the last 9,000 queries in its log, so a job with an N+1
query would be reported at 9,000 however bad it is, and storing every SQL text costs memory.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from django.db import connection

from bench.scenarios.base import Scenario


@dataclass(frozen=True)
class Result:
    name: str
    what: str
    times_ms: list[float]
    queries: list[int]
    output: str

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def p95_ms(self) -> float:
        """Nearest-rank 95th percentile: with few repetitions it is the slowest run, as it should be."""
        ordered = sorted(self.times_ms)
        rank = max(1, -(-95 * len(ordered) // 100))
        return ordered[rank - 1]

    @property
    def max_queries(self) -> int:
        return max(self.queries)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {
            "median_ms": self.median_ms,
            "p95_ms": self.p95_ms,
            "max_queries": self.max_queries,
        }


class QueryCounter:
    """Counts every statement sent to the database (executemany counts once, as one round trip)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def measure(scenario: Scenario, fixture: object, repetitions: int, warmup: int) -> Result:
    for _ in range(warmup):
        scenario.run(fixture)
    times, queries, output = [], [], ""
    for _ in range(max(1, repetitions)):
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            started = time.perf_counter()
            result = scenario.run(fixture)
            elapsed = time.perf_counter() - started
        times.append(round(elapsed * 1000, 1))
        queries.append(counter.count)
        output = str(result)
    return Result(scenario.name, scenario.what, times, queries, output)
