"""`python -m bench`: run every scenario against its target; exit 1 if any target is missed.

Targets are stated for the `full` scale; a `small` run (the smoke test's) reports numbers but its
verdicts only show that the bench works, not that AMIS is fast.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys

from bench import environment


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="full", help="the scale the database was generated at")
    parser.add_argument("--only", nargs="*", help="scenario names to run (default: all)")
    parser.add_argument("--repetitions", type=int, help="override every target's repetitions")
    args = parser.parse_args(argv)
    environment.setup()
    environment.refuse_sqlite(args.scale)

    from bench import report, scenarios, targets
    from bench.measure import measure
    from bench.scenarios.fixture import prepare

    goals = targets.load()
    fixture = prepare()
    results, missed = [], []
    for scenario in scenarios.by_name(args.only):
        goal = goals.get(scenario.name)
        reps = args.repetitions or (goal.repetitions if goal else 5)
        result = measure(scenario, fixture, reps, goal.warmup if goal else 1)
        results.append(result)
        problems = targets.misses(result, goal) if goal else ["no target stated"]
        missed += [f"{scenario.name}: {p}" for p in problems]
        print(
            f"{scenario.name:<26} median {result.median_ms:>9,.0f} ms  p95 {result.p95_ms:>9,.0f} ms  "
            f"{result.max_queries:>7,} queries  {'; '.join(problems) or 'met'}",
            flush=True,
        )
    relative = targets.relative_misses(results, goals)
    for problem in relative:
        print(problem, flush=True)
    missed += relative
    meta = {
        "timestamp": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": report.git_commit(),
        "database": environment.vendor_version(),
        "scale": args.scale,
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],  # other work on the machine skews times
        "rows": report.row_counts(),
    }
    md, js = report.write(meta, results, goals)
    print(f"Report: {md} and {js}")
    if missed:
        print("Targets missed:\n  " + "\n  ".join(missed), file=sys.stderr)
        return 1
    return 0
