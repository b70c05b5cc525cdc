"""Timing a scenario: warm-up runs (caches, connection, templates), then timed repetitions.

Every repetition is wrapped in CaptureQueriesContext, so the query count is of the same runs that
were timed; recording the SQL text adds microseconds per query, which the report accepts.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import asdict, dataclass
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

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


def measure(scenario: Scenario, fixture: object, repetitions: int, warmup: int) -> Result:
    for _ in range(warmup):
        scenario.run(fixture)
    times, queries, output = [], [], ""
    for _ in range(max(1, repetitions)):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = scenario.run(fixture)
            elapsed = time.perf_counter() - started
        times.append(round(elapsed * 1000, 1))
        queries.append(len(captured.captured_queries))
        output = str(result)
    return Result(scenario.name, scenario.what, times, queries, output)
