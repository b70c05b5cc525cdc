"""`python -m bench.sampling`: sampling a year's declared expenditure at scale, on PostgreSQL.

Generates (deterministically from `--seed`) `--operations` projects of the demo's 2021-2027 call and
`--lines` declared items spread over them (one completed verification each, in one submitted
payment application of a bench year; one operation in 500 about a thousand times larger, so that
the 100 % stratum is not empty), then measures, as the auditor's pages run them:

- `population_build`: the items summed per operation in the database, frozen as units;
- `sample_draw`: the MUS standard approach's size with its high-value iteration, and the systematic
  selection with probability proportional to size from a recorded seed, the items frozen;
- both together; target < 5 s for 2,000,000 lines over 20,000 operations.

Writes `bench/results/<UTC time>-sampling.md` and `.json`; exit status 1 when the target is missed.
It adds its projects to the database; run it on a bench database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench import environment

TARGET_MS = 5_000
BATCH = 20_000


def generate(operations: int, lines: int, seed: int, log: Callable[[str], None]) -> tuple[Any, int]:
    """The projects, one report each, `lines` verifications and their items; returns the programme
    and the bench year."""
    from django.db.models import Max

    from amis.accounts.models import User
    from amis.applications.models import Application
    from amis.calls.models import Call
    from amis.declarations.models import PaymentApplication, PaymentApplicationItem
    from amis.demo.programme import BELGIAN_2021_CCI
    from amis.organisations.models import Organisation
    from amis.programme.models import Programme
    from amis.projects.models import Project
    from amis.projects.tests.builders import demo_base
    from amis.reporting.models import Report
    from amis.verification.models import Verification

    if not Programme.objects.filter(cci=BELGIAN_2021_CCI).exists():
        demo_base()
    programme = Programme.objects.get(cci=BELGIAN_2021_CCI)
    call = Call.objects.filter(programme=programme).order_by("pk").first()
    officer = User.objects.get(email="ra.officer@amis.example")
    organisation = Organisation.objects.filter(kind="ngo").order_by("pk").first()
    assert call is not None and organisation is not None
    stamp = dt.datetime.now(dt.UTC).strftime("%m%d%H%M%S")
    year = 2100 + (PaymentApplication.objects.filter(programme=programme, year__gte=2100).count())
    sequence = (
        PaymentApplication.objects.filter(programme=programme, year=year).aggregate(m=Max("sequence"))["m"]
        or 0
    ) + 1
    application = PaymentApplication.objects.create(
        programme=programme,
        year=year,
        sequence=sequence,
        prepared_by=officer,
        status="submitted",
        submitted_on=dt.date(2026, 6, 30),
    )
    today = dt.date(2026, 1, 1)
    log(f"Generating {operations:,} operations...")
    apps = Application.objects.bulk_create(
        [
            Application(call=call, organisation=organisation, reference=f"B{stamp}-{i:06d}", title="bench")
            for i in range(operations)
        ],
        batch_size=5000,
    )
    projects = Project.objects.bulk_create(
        [
            Project(
                application=a,
                reference=f"SB{stamp}-{i:06d}",
                organisation=organisation,
                eu_contribution="1000000.00",
                total_cost="1000000.00",
                start_date=today,
                end_date=today,
            )
            for i, a in enumerate(apps)
        ],
        batch_size=5000,
    )
    reports = Report.objects.bulk_create(
        [
            Report(project=p, number=1, kind="interim", period_start=today, period_end=today, due_date=today)
            for p in projects
        ],
        batch_size=5000,
    )
    log(f"Generating {lines:,} declared items...")
    rng = random.Random(seed)  # noqa: S311 - deterministic bench data, not a secret
    now = dt.datetime.now(dt.UTC)
    done = 0
    rounds = [0] * operations
    while done < lines:
        count = min(BATCH, lines - done)
        picks = [(done + k) % operations for k in range(count)]
        verifications = []
        for index in picks:
            rounds[index] += 1
            cents = rng.randrange(100, 100_000) * (1000 if index % 500 == 0 else 1)
            amount = Decimal(cents) / 100
            verifications.append(
                Verification(
                    report=reports[index],
                    round=rounds[index],
                    status="completed",
                    verifier=officer,
                    completed_at=now,
                    verified=amount,
                    eu_share=(amount * Decimal("0.75")).quantize(Decimal("0.01")),
                )
            )
        made = Verification.objects.bulk_create(verifications)
        PaymentApplicationItem.objects.bulk_create(
            [
                PaymentApplicationItem(
                    application=application,
                    verification=v,
                    project=projects[index],
                    call=call,
                    specific_objective=call.specific_objective,
                    eligible=v.verified,
                    public=v.verified,
                    eu=v.eu_share,
                )
                for v, index in zip(made, picks, strict=True)
            ]
        )
        done += count
        if done % 200_000 == 0 or done == lines:
            log(f"  {done:,} items")
    return programme, year


def measure(operations: int, lines: int, seed: int, log: Callable[[str], None]) -> dict[str, Any]:
    from django.db import connection

    from amis.accounts.models import User
    from amis.sampling import services

    programme, year = generate(operations, lines, seed, log)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE declarations_paymentapplicationitem")
            cursor.execute("ANALYZE declarations_paymentapplication")
    auditor = User.objects.get(email="auditor@amis.example")
    started = time.perf_counter()
    population = services.population_build(
        actor=auditor, programme=programme, year=year, unit_kind="operation"
    )
    built = time.perf_counter()
    sample = services.sample_draw(
        actor=auditor,
        population=population,
        method="mus_standard",
        sigma=Decimal("0.5"),
        anticipated_error=Decimal(0),
        category=2,
        seed=seed,
    )
    drawn = time.perf_counter()
    measures = {
        "population_build": {"ms": round((built - started) * 1000, 1), "units": population.units},
        "sample_draw": {
            "ms": round((drawn - built) * 1000, 1),
            "size": sample.size,
            "high_value": sample.items.filter(stratum="high").count(),
        },
        "total": {"ms": round((drawn - started) * 1000, 1)},
    }
    log(f"population_build: {measures['population_build']}")
    log(f"sample_draw: {measures['sample_draw']}")
    log(f"total: {measures['total']}")
    return {
        "timestamp": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": environment.vendor_version(),
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "operations": operations,
        "lines": lines,
        "seed": seed,
        "book_value": str(population.book_value),
        "measures": measures,
    }


def write(result: dict[str, Any]) -> tuple[Path, Path]:
    from bench import report

    result["commit"] = report.git_commit()
    folder = Path(__file__).resolve().parent / "results"
    folder.mkdir(exist_ok=True)
    name = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ") + "-sampling"
    js = folder / f"{name}.json"
    js.write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")
    m = result["measures"]
    text = [
        f"# Sampling bench, {result['timestamp']}",
        "",
        f"Commit `{result['commit']}`, {result['database']}, {result['cpus']} CPUs, load average "
        f"{result['load_average']}, {result['lines']:,} declared items over {result['operations']:,} "
        f"operations (seed {result['seed']}), BV {result['book_value']}.",
        "",
        "| measure | time | target |",
        "|---|---:|---:|",
        f"| population built ({m['population_build']['units']:,} units) | "
        f"{m['population_build']['ms']:,.0f} ms | |",
        f"| MUS sample drawn ({m['sample_draw']['size']:,} units, {m['sample_draw']['high_value']} in the "
        f"100 % stratum) | {m['sample_draw']['ms']:,.0f} ms | |",
        f"| both | {m['total']['ms']:,.0f} ms | {TARGET_MS:,} ms |",
        "",
    ]
    md = folder / f"{name}.md"
    md.write_text("\n".join(text), encoding="utf-8")
    return md, js


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sampling", description=__doc__.splitlines()[0])
    parser.add_argument("--operations", type=int, default=20_000)
    parser.add_argument("--lines", type=int, default=2_000_000)
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument("--no-report", action="store_true", help="write no report file")
    args = parser.parse_args(argv)
    environment.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if args.lines >= 100_000:
        environment.refuse_sqlite("full")
    result = measure(args.operations, args.lines, args.seed, print)
    missed = result["measures"]["total"]["ms"] > TARGET_MS
    if not args.no_report:
        md, js = write(result)
        print(f"Report: {md} and {js}")
    if missed and args.lines >= 2_000_000:
        print(f"Target missed: {result['measures']['total']['ms']} ms > {TARGET_MS} ms", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
