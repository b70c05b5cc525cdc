"""The report: Markdown for people, JSON for comparing runs; both under `bench/results/`.

It names the commit, the database and the row counts, because a number without them cannot be
compared with the next run's.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path
from typing import Any

from bench.measure import Result
from bench.targets import Target, misses

RESULTS = Path(__file__).with_name("results")


def git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        )
        dirty = subprocess.run(["git", "status", "--porcelain"], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return out.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")


def row_counts() -> dict[str, int]:
    from amis.applications.models import Application, BudgetLine
    from amis.calls.models import Call
    from amis.core.models import AuditEntry
    from amis.integrity.models import OtherFundProject
    from amis.organisations.models import Organisation
    from amis.projects.models import Project

    tables: list[Any] = [Organisation, Call, Application, BudgetLine, Project, OtherFundProject, AuditEntry]
    return {model._meta.label: model.objects.count() for model in tables}


def _line(result: Result, target: Target | None) -> str:
    verdict = "no target" if target is None else ("; ".join(misses(result, target)) or "met")
    limit = "" if target is None else f"{target.p95_ms:,.0f} ms / {target.max_queries or '-'} q"
    return (
        f"| {result.name} | {result.median_ms:,.0f} | {result.p95_ms:,.0f} | {result.max_queries:,} "
        f"| {limit} | {verdict} |"
    )


def write(meta: dict[str, Any], results: list[Result], targets: dict[str, Target]) -> tuple[Path, Path]:
    RESULTS.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    base = RESULTS / f"{stamp}-{meta['scale']}"
    payload = {
        **meta,
        "results": [
            r.as_dict()
            | {"target": vars(targets[r.name]) if r.name in targets else None}
            | {"misses": misses(r, targets[r.name]) if r.name in targets else []}
            for r in results
        ],
    }
    base.with_suffix(".json").write_text(json.dumps(payload, indent=2), encoding="utf-8")
    lines = [
        f"# Bench {meta['timestamp']}",
        "",
        f"Scale **{meta['scale']}**, commit `{meta['commit']}`, {meta['database']}, {meta['cpus']} CPUs, "
        f"load average at the end {meta.get('load_average')}.",
        "",
        "Rows: " + ", ".join(f"{k} {v:,}" for k, v in meta["rows"].items()),
        "",
        "| scenario | median ms | p95 ms | queries | target | verdict |",
        "|---|---:|---:|---:|---|---|",
        *(_line(r, targets.get(r.name)) for r in results),
        "",
    ]
    base.with_suffix(".md").write_text("\n".join(lines), encoding="utf-8")
    return base.with_suffix(".md"), base.with_suffix(".json")
