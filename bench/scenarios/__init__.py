"""Every scenario the bench runs, in order. A new scenario is a module with a `SCENARIOS` list, added here.

Expenditure lines (payment claims) get their module when their model lands in `amis/`.
"""

from __future__ import annotations

from bench.scenarios import api, dashboard, jobs, pages, public
from bench.scenarios.base import Scenario

ALL: list[Scenario] = [
    *pages.SCENARIOS,
    *api.SCENARIOS,
    *jobs.SCENARIOS,
    *dashboard.SCENARIOS,
    *public.SCENARIOS,
]


def by_name(names: list[str] | None) -> list[Scenario]:
    if not names:
        return ALL
    unknown = set(names) - {s.name for s in ALL}
    if unknown:
        raise SystemExit(f"Unknown scenario(s): {', '.join(sorted(unknown))}")
    return [s for s in ALL if s.name in names]
