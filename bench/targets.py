"""The targets in `targets.toml`, and the verdict of a result against its target."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from bench.measure import Result

TARGETS_FILE = Path(__file__).with_name("targets.toml")


@dataclass(frozen=True)
class Target:
    p95_ms: float
    why: str
    max_queries: int | None = None
    repetitions: int = 5
    warmup: int = 1
    # a scenario that must also be no slower than `max_ratio` times another one (measured beside it)
    relative_to: str = ""
    max_ratio: float = 0.0


def load(path: Path = TARGETS_FILE) -> dict[str, Target]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    # [load] is the load test's target (bench/load.py), not a scenario's
    return {name: Target(**values) for name, values in data.items() if name != "load"}


def relative_misses(results: list[Result], goals: dict[str, Target]) -> list[str]:
    """Targets stated against another scenario: `name: p95 X ms > N x Y ms of other`."""
    by_name = {r.name: r for r in results}
    out = []
    for name, goal in goals.items():
        mine, other = by_name.get(name), by_name.get(goal.relative_to)
        if not goal.relative_to or mine is None or other is None:
            continue
        limit = goal.max_ratio * other.p95_ms
        if mine.p95_ms > limit:
            out.append(
                f"{name}: p95 {mine.p95_ms:,.0f} ms > {goal.max_ratio:g} x {other.p95_ms:,.0f} ms "
                f"of {goal.relative_to}"
            )
    return out


def misses(result: Result, target: Target) -> list[str]:
    """Why the result misses its target; empty when it meets it."""
    out = []
    if result.p95_ms > target.p95_ms:
        out.append(f"p95 {result.p95_ms:,.0f} ms > {target.p95_ms:,.0f} ms")
    if target.max_queries is not None and result.max_queries > target.max_queries:
        out.append(f"{result.max_queries:,} queries > {target.max_queries:,}")
    return out
