"""`python -m bench.expenditure`: the expenditure import at scale, on PostgreSQL.

Generates (deterministically, from `--seed`) a 2021-2027 project taken through the real selection
and agreement services, a CSV and an XLSX of `--lines` valid expenditure lines each (Belgian number
and date formats in the CSV, numbers and dates as cells in the XLSX), and measures:

- the import task's run time (`imports.services.import_run`, what the worker runs: read, check every
  row, COPY, flag duplicates) for each file; targets: CSV < 10 s, XLSX < 30 s for 100,000 lines;
- its peak Python memory (tracemalloc) on a tenth of the file and on the whole file, in a second
  project: constant memory means the two peaks are about the same;
- with the CSV's lines in a submitted report: the project's financial picture
  (`reporting.selectors.financial_picture`) and the first page of the report's lines (50 by
  position, with the count), each target < 200 ms.

Writes `bench/results/<UTC time>-expenditure.md` and `.json`; exit status 1 when a target is missed.
It adds its projects to the database (a new call per run); run it on a bench database.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import random
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench import environment

TARGETS_MS = {"import_csv": 10_000, "import_xlsx": 30_000, "financial_picture": 200, "lines_first_page": 200}
CATEGORIES = (("staff", 80), ("travel", 10), ("other", 10))
SUPPLIERS = 500


@dataclass(frozen=True)
class Row:
    category: str
    supplier_name: str
    supplier_number: str
    invoice_number: str
    invoice_date: dt.date
    payment_date: dt.date
    description: str
    excl: Decimal
    incl: Decimal
    declared: Decimal


def rows(count: int, seed: int, start: dt.date, prefix: str) -> Iterator[Row]:
    """`count` valid lines: amounts of EUR 0.50 to 2.49 (the whole file stays inside the budget, so
    no line gets a warning), dates inside the first year of the eligibility period."""
    rng = random.Random(seed)  # noqa: S311 - deterministic test data, not a secret
    weights = [w for _c, w in CATEGORIES]
    names = [c for c, _w in CATEGORIES]
    suppliers = [(f"Leverancier {i:03d} BV", f"0{400000000 + i * 7919:09d}") for i in range(SUPPLIERS)]
    for n in range(count):
        category = rng.choices(names, weights)[0]
        supplier = suppliers[rng.randrange(SUPPLIERS)]
        day = start + dt.timedelta(days=rng.randrange(300))
        declared = Decimal(rng.randrange(50, 250)) / 100
        excl = (declared / Decimal("1.21")).quantize(Decimal("0.01"))
        yield Row(
            category=category,
            supplier_name=supplier[0],
            supplier_number=supplier[1],
            invoice_number=f"{prefix}-{n + 1:07d}",
            invoice_date=day,
            payment_date=day + dt.timedelta(days=rng.randrange(30)),
            description=f"{category} {rng.choice(('huur', 'catering', 'tickets', 'loon', 'drukwerk'))}",
            excl=excl,
            incl=declared,
            declared=declared,
        )


def _be(value: Decimal) -> str:
    return f"{value:,.2f}".replace(",", " ").replace(".", ",")  # 1 234,56


def csv_file(count: int, seed: int, start: dt.date, prefix: str) -> bytes:
    from amis.reporting.imports.parse import COLUMNS

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for r in rows(count, seed, start, prefix):
        values = {
            "category": r.category,
            "cost_type": "",
            "supplier_name": r.supplier_name,
            "supplier_number": r.supplier_number,
            "invoice_number": r.invoice_number,
            "invoice_date": r.invoice_date.strftime("%d/%m/%Y"),
            "payment_date": r.payment_date.isoformat(),
            "description": r.description,
            "amount_excl_vat": _be(r.excl),
            "amount_incl_vat": _be(r.incl),
            "vat_recoverable": "nee",
            "amount_declared": _be(r.declared),
        }
        writer.writerow([values.get(c, "") for c in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_file(count: int, seed: int, start: dt.date, prefix: str) -> bytes:
    from openpyxl import Workbook

    from amis.reporting.imports.parse import COLUMNS

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Expenditure")
    sheet.append(list(COLUMNS))
    for r in rows(count, seed, start, prefix):
        sheet.append(
            [
                r.category,
                "real cost",
                r.supplier_name,
                r.supplier_number,
                r.invoice_number,
                r.invoice_date,
                r.payment_date,
                r.description,
                float(r.excl),
                float(r.incl),
                "no",
                float(r.declared),
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def project(code: str) -> Any:
    """A project of Caritas with a signed agreement (the selection and agreement services)."""
    from amis.projects.tests.builders import selected_project, signed_agreement

    made = selected_project(code=code, staff="300000.00", travel="50000.00", other="50000.00")
    signed_agreement(made)
    return made


def run_import(report: Any, name: str, data: bytes, memory: bool = False) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from amis.projects.tests.builders import CARITAS, user
    from amis.reporting.imports import services

    imp = services.import_start(actor=user(CARITAS), report=report, upload=SimpleUploadedFile(name, data))
    if memory:
        tracemalloc.start()
    started = time.perf_counter()
    done = services.import_run(imp.pk, "", "en")
    elapsed = time.perf_counter() - started
    peak = 0
    if memory:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    if done is None or done.status != "done":
        raise SystemExit(
            f"{name}: the import did not succeed: {done and done.status} {done and done.errors[:3]}"
        )
    return {
        "file": name,
        "bytes": len(data),
        "lines": done.lines_created,
        "ms": round(elapsed * 1000, 1),
        "peak_mib": round(peak / 1024 / 1024, 2) if memory else None,
    }


def timed(job: Callable[[], object], repetitions: int) -> dict[str, Any]:
    from django.db import connection

    from bench.measure import QueryCounter

    job()  # warm-up
    times, queries = [], []
    for _ in range(repetitions):
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            started = time.perf_counter()
            job()
            times.append(round((time.perf_counter() - started) * 1000, 1))
        queries.append(counter.count)
    return {"median_ms": statistics.median(times), "max_ms": max(times), "queries": max(queries)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.expenditure", description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument("--repetitions", type=int, default=10, help="timed runs of the two reads")
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc runs")
    parser.add_argument("--no-report", action="store_true", help="write no report file (the smoke test)")
    args = parser.parse_args(argv)
    environment.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if args.lines >= 10_000:
        environment.refuse_sqlite("full")
    result = measure(args.lines, args.seed, args.repetitions, memory=not args.no_memory, log=print)
    missed = [
        f"{k}: {v['ms'] if 'ms' in v else v['max_ms']} ms > {TARGETS_MS[k]} ms"
        for k, v in result["measures"].items()
        if k in TARGETS_MS and (v.get("ms") or v.get("max_ms") or 0) > TARGETS_MS[k]
    ]
    result["missed"] = missed
    if not args.no_report:
        md, js = write(result)
        print(f"Report: {md} and {js}")
    if missed and args.lines >= 100_000:
        print("Targets missed:\n  " + "\n  ".join(missed), file=sys.stderr)
        return 1
    return 0


def measure(
    lines: int, seed: int, repetitions: int, *, memory: bool, log: Callable[[str], None]
) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client

    from amis.projects.tests.builders import CARITAS, user
    from amis.reporting.models import ExpenditureLine, Report
    from amis.reporting.selectors import financial_picture

    # invoice numbers differ from one run to the next: a second run in the same database must not
    # find every invoice of the first one again (that is the duplicate check's worst case, not this one)
    stamp = dt.datetime.now(dt.UTC).strftime("%m%d%H%M%S")
    log("Making the project (selection and agreement services)...")
    main_project = project(f"BENCH-EXP-{stamp}")
    first, second = Report.objects.filter(project=main_project).order_by("number")[:2]
    version = main_project.agreement.versions.get(number=1)
    start = version.eligible_start
    log(f"Generating {lines:,} lines as CSV and XLSX...")
    t0 = time.perf_counter()
    csv_data = csv_file(lines, seed, start, f"C{stamp}")
    t1 = time.perf_counter()
    xlsx_data = xlsx_file(lines, seed + 1, start, f"X{stamp}")
    t2 = time.perf_counter()
    log(
        f"  CSV {len(csv_data) / 1e6:.1f} MB in {t1 - t0:.1f} s, "
        f"XLSX {len(xlsx_data) / 1e6:.1f} MB in {t2 - t1:.1f} s"
    )
    measures: dict[str, Any] = {}
    measures["import_csv"] = run_import(first, "bench.csv", csv_data)
    log(f"import_csv: {measures['import_csv']}")
    measures["import_xlsx"] = run_import(second, "bench.xlsx", xlsx_data)
    log(f"import_xlsx: {measures['import_xlsx']}")
    Report.objects.filter(pk=first.pk).update(status=Report.Status.SUBMITTED)  # its lines count as declared
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE reporting_expenditureline")
    measures["financial_picture"] = timed(lambda: financial_picture(main_project), repetitions)
    log(f"financial_picture: {measures['financial_picture']}")

    def first_page() -> object:
        qs = ExpenditureLine.objects.filter(report=first).order_by("position")
        return qs.count(), list(qs.select_related("document")[:50])

    measures["lines_first_page"] = timed(first_page, repetitions)
    log(f"lines_first_page: {measures['lines_first_page']}")
    client = Client()
    client.force_login(user(CARITAS))

    def import_page() -> object:
        response = client.get(f"/reports/{first.pk}/expenditure/import/")
        if response.status_code != 200:
            raise SystemExit(f"the import page answered {response.status_code}")
        return response

    measures["import_page"] = timed(import_page, repetitions)
    log(f"import_page: {measures['import_page']}")
    if memory:
        log("Peak memory (tracemalloc) on a tenth of the files and on the whole files...")
        other = project(f"BENCH-EXM-{stamp}")
        small_report, big_report = Report.objects.filter(project=other).order_by("number")[:2]
        tenth = max(1, lines // 10)
        memory_runs = [
            run_import(
                small_report, "tenth.csv", csv_file(tenth, seed + 2, start, f"MC{stamp}"), memory=True
            ),
            run_import(big_report, "whole.csv", csv_file(lines, seed + 3, start, f"MD{stamp}"), memory=True),
            run_import(
                small_report, "tenth.xlsx", xlsx_file(tenth, seed + 4, start, f"MX{stamp}"), memory=True
            ),
            run_import(
                big_report, "whole.xlsx", xlsx_file(lines, seed + 5, start, f"MY{stamp}"), memory=True
            ),
        ]
        measures["memory"] = memory_runs
        for m in memory_runs:
            log(
                f"  {m['file']}: {m['lines']:,} lines, peak {m['peak_mib']} MiB "
                f"(with tracemalloc: {m['ms']:,} ms)"
            )
    return {
        "timestamp": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": environment.vendor_version(),
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "max_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "lines": lines,
        "seed": seed,
        "measures": measures,
    }


def write(result: dict[str, Any]) -> tuple[Path, Path]:
    from bench import report

    result["commit"] = report.git_commit()
    folder = Path(__file__).resolve().parent / "results"
    folder.mkdir(exist_ok=True)
    name = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ") + "-expenditure"
    js = folder / f"{name}.json"
    js.write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")
    m = result["measures"]
    lines = [
        f"# Expenditure import bench, {result['timestamp']}",
        "",
        f"Commit `{result['commit']}`, {result['database']}, {result['cpus']} CPUs, load average "
        f"{result['load_average']}, {result['lines']:,} lines a file (seed {result['seed']}).",
        "",
        "| measure | time | target | queries |",
        "|---|---:|---:|---:|",
        f"| import CSV ({m['import_csv']['bytes'] / 1e6:.1f} MB) | {m['import_csv']['ms']:,.0f} ms "
        "| 10,000 ms | |",
        f"| import XLSX ({m['import_xlsx']['bytes'] / 1e6:.1f} MB) | {m['import_xlsx']['ms']:,.0f} ms "
        "| 30,000 ms | |",
        f"| financial picture (median / max) | {m['financial_picture']['median_ms']} / "
        f"{m['financial_picture']['max_ms']} ms | 200 ms | {m['financial_picture']['queries']} |",
        f"| report's lines, first page (median / max) | {m['lines_first_page']['median_ms']} / "
        f"{m['lines_first_page']['max_ms']} ms | 200 ms | {m['lines_first_page']['queries']} |",
        f"| import page (median / max) | {m['import_page']['median_ms']} / "
        f"{m['import_page']['max_ms']} ms | | "
        f"{m['import_page']['queries']} |",
        "",
    ]
    for run in m.get("memory", []):
        lines.append(
            f"- peak memory of `{run['file']}` ({run['lines']:,} lines): {run['peak_mib']} MiB (tracemalloc)"
        )
    lines += ["", "Missed: " + ("; ".join(result["missed"]) or "none"), ""]
    md = folder / f"{name}.md"
    md.write_text("\n".join(lines), encoding="utf-8")
    return md, js


if __name__ == "__main__":
    raise SystemExit(main())
