"""How much data each scale generates. `full` is the size the targets are stated for."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    organisations: int
    beneficiary_users: int
    calls: int
    applications: int
    big_call_applications: int
    budget_lines_per_application: int
    projects: int
    other_fund_projects: int
    audit_entries: int
    lines_per_project: int = 0  # expenditure lines of each project's interim report (issue 17's dashboard)

    @property
    def budget_lines(self) -> int:
        return self.applications * self.budget_lines_per_application


SCALES = {
    "small": Scale("small", 40, 10, 6, 120, 30, 4, 30, 400, 500, 5),
    "medium": Scale("medium", 1_000, 200, 20, 10_000, 1_000, 20, 4_000, 40_000, 100_000, 50),
    "full": Scale("full", 5_000, 1_000, 50, 50_000, 5_000, 20, 20_000, 200_000, 500_000, 100),
}


def get(name: str) -> Scale:
    try:
        return SCALES[name]
    except KeyError:
        raise SystemExit(f"Unknown scale '{name}'; choose one of {', '.join(SCALES)}.") from None
