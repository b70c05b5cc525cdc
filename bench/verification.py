"""`python -m bench.verification`: the desk verification of a large claim, on PostgreSQL.

Makes a 2021-2027 project with a signed agreement (the selection and agreement services), imports
`--lines` expenditure lines into its first interim report through the import the worker runs, submits
the report through `report_submit`, then a verifier (never the agreement's preparer) verifies it as on
the page: one line rejected with a reason, every other line decided eligible in bulk by filter, the
checklist answered, the verification completed (AMIS's working: ceilings, flat rate on the verified
base, the EU share within the grant). Measures the bulk decision and the completion; target for the
two together: < 5 s for 10,000 lines (issue 15).

Writes `bench/results/<UTC time>-verification.md` and `.json`; exit status 1 when the target is missed.
It adds its project to the database (a new call per run); run it on a bench database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from bench import environment

TARGET_MS = 5_000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.verification", description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--no-report", action="store_true", help="write no report file (the smoke test)")
    args = parser.parse_args(argv)
    environment.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if args.lines >= 10_000:
        environment.refuse_sqlite("full")
    result = measure(args.lines, args.seed, log=print)
    total = result["measures"]["decide_bulk"]["ms"] + result["measures"]["complete"]["ms"]
    result["decide_and_complete_ms"] = round(total, 1)
    result["missed"] = [f"decide + complete: {total:,.0f} ms > {TARGET_MS:,} ms"] if total > TARGET_MS else []
    if not args.no_report:
        md, js = write(result)
        print(f"Report: {md} and {js}")
    if result["missed"] and args.lines >= 10_000:
        print("Target missed: " + result["missed"][0], file=sys.stderr)
        return 1
    return 0


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


def measure(lines: int, seed: int, *, log: Any) -> dict[str, Any]:
    from django.db import connection
    from django.utils import timezone

    from amis.projects.tests.builders import CARITAS, user
    from amis.reporting import services as reporting
    from amis.reporting.models import ExpenditureLine, Report
    from amis.verification import services as verification
    from amis.verification.checklist import DEFAULT_ITEMS
    from bench.expenditure import csv_file, project, run_import

    code = f"BENCH-VERIF-{timezone.now():%Y%m%d%H%M%S}"
    log(f"Making the project {code} and importing {lines:,} lines ...")
    made = project(code)
    report = Report.objects.get(project=made, number=1)
    data = csv_file(lines, seed, report.period_start, code[-6:])
    run_import(report, "claim.csv", data)
    report = Report.objects.get(pk=report.pk)
    reporting.report_submit(actor=user(CARITAS), report=report, expected_lock_version=report.lock_version)
    verifier = user("verifier@amis.example")
    measures: dict[str, Any] = {}
    started = time.perf_counter()
    check = verification.verification_start(actor=verifier, report=Report.objects.get(pk=report.pk))
    measures["start"] = {"ms": _ms(started)}
    first = ExpenditureLine.objects.filter(report=report).order_by("position").values_list("pk", flat=True)[0]
    started = time.perf_counter()
    verification.lines_decide(
        actor=verifier,
        verification=check,
        filters={"ids": [first]},
        decision="ineligible",
        reason="no_document",
    )
    measures["decide_one"] = {"ms": _ms(started)}
    started = time.perf_counter()
    decided = verification.lines_decide(
        actor=verifier, verification=check, filters={"undecided": True}, decision="eligible"
    )
    measures["decide_bulk"] = {"ms": _ms(started), "lines": decided}
    check.refresh_from_db()
    check = verification.checklist_answer(
        actor=verifier,
        verification=check,
        expected_lock_version=check.lock_version,
        answers={code_: {"answer": "yes"} for code_, _texts in DEFAULT_ITEMS},
    )
    started = time.perf_counter()
    done = verification.verification_complete(
        actor=verifier, verification=check, expected_lock_version=check.lock_version
    )
    measures["complete"] = {"ms": _ms(started)}
    assert done.declared == done.eligible_by_decision + done.ineligible + done.reduced
    log(f"decide_bulk: {measures['decide_bulk']}; complete: {measures['complete']}")
    return {
        "timestamp": timezone.now().isoformat(timespec="seconds"),
        "database": connection.vendor
        + (f" {getattr(connection, 'pg_version', '')}" if connection.vendor == "postgresql" else ""),
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "lines": lines,
        "seed": seed,
        "verified": str(done.verified),
        "eu_share": str(done.eu_share),
        "declared": str(done.declared),
        "measures": measures,
    }


def write(result: dict[str, Any]) -> tuple[Path, Path]:
    from bench import report

    result["commit"] = report.git_commit()
    folder = Path(__file__).resolve().parent / "results"
    folder.mkdir(exist_ok=True)
    name = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ") + "-verification"
    js = folder / f"{name}.json"
    js.write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")
    m = result["measures"]
    text = [
        f"# Desk verification bench, {result['timestamp']}",
        "",
        f"Commit `{result['commit']}`, {result['database']}, {result['cpus']} CPUs, load average "
        f"{result['load_average']}, {result['lines']:,} lines in the claim.",
        "",
        "| step | time |",
        "|---|---:|",
        f"| start | {m['start']['ms']:,.0f} ms |",
        f"| one line ineligible | {m['decide_one']['ms']:,.0f} ms |",
        f"| {m['decide_bulk']['lines']:,} lines eligible in bulk | {m['decide_bulk']['ms']:,.0f} ms |",
        f"| complete (the working, the EU share) | {m['complete']['ms']:,.0f} ms |",
        f"| **bulk decision + completion** | **{result['decide_and_complete_ms']:,.0f} ms** (target 5,000) |",
        "",
        f"Declared {result['declared']}, verified {result['verified']}, EU share {result['eu_share']}.",
        "",
        "Missed: " + ("; ".join(result["missed"]) or "none"),
        "",
    ]
    md = folder / f"{name}.md"
    md.write_text("\n".join(text), encoding="utf-8")
    return md, js


if __name__ == "__main__":
    raise SystemExit(main())
