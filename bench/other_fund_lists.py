"""`python -m bench.other_fund_lists`: another fund's project list read at scale, on PostgreSQL.

Generates (deterministically, from `--seed`) a list of `--rows` ESF projects as a Belgian Excel
export would give it — CSV with semicolons and a BOM, amounts as `812.016,00`, dates as
`1/01/2027`, a third of the rows without an enterprise number (beneficiary name only) — and the
same rows as an XLSX, and measures the worker's read of each (`integrity.reading.list_read`: read
and check every row, group the warnings, store the projects). Targets (issue 16): 200,000 rows in
under 20 s from CSV and under 60 s from XLSX. Each read runs in a process of its own, which reports
its peak memory (resident set): the read streams the file, so that peak hardly moves with the size
of the list (target: under 300 MB for the whole worker process). The lists are discarded afterwards.

Writes `bench/results/<UTC time>-other-fund-lists.md` and `.json`; exit status 1 when a target is
missed at full size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import environment

TARGETS_MS = {"read_csv": 20_000, "read_xlsx": 60_000}
TARGET_PEAK_MB = 300
HEADER = ["Projectnummer", "Titel", "Begunstigde", "Ondernemingsnummer", "Begindatum", "Einddatum",
          "Totale kost", "ESF-bijdrage"]  # fmt: skip
WORDS = "taal werk opleiding begeleiding jongeren nieuwkomers traject coaching vorming digitale".split()


def _kbo(n: int) -> str:
    """A valid enterprise number (its last two digits are 97 - the first eight mod 97)."""
    body = 4_000_000 + n
    return f"{body:08d}{97 - body % 97:02d}"


def rows(count: int, seed: int) -> list[list[Any]]:
    rnd = random.Random(seed)
    out = []
    for n in range(count):
        start = dt.date(2021 + rnd.randrange(6), rnd.randrange(1, 13), 1)
        end = start + dt.timedelta(days=rnd.randrange(180, 1100))
        total = rnd.randrange(5_000_000, 200_000_000)  # cents
        eu = total * rnd.randrange(30, 60) // 100
        number = _kbo(n % 50_000) if n % 3 else ""
        out.append(
            [
                f"ESF-{2021 + n % 6}-{n:07d}",
                " ".join(rnd.choice(WORDS) for _ in range(4)).capitalize(),
                f"Organisatie {n % 50_000} vzw",
                number,
                start,
                end,
                total,
                eu,
            ]
        )
    return out


def _belgian(cents: int) -> str:
    whole, part = divmod(cents, 100)
    return f"{whole:,}".replace(",", ".") + f",{part:02d}"


def csv_file(data: list[list[Any]]) -> bytes:
    lines = [";".join(HEADER)]
    for r in data:
        lines.append(
            ";".join(
                [
                    r[0],
                    r[1],
                    r[2],
                    r[3],
                    f"{r[4].day}/{r[4].month:02d}/{r[4].year}",
                    f"{r[5].day}/{r[5].month:02d}/{r[5].year}",
                    _belgian(r[6]),
                    _belgian(r[7]),
                ]  # fmt: skip
            )
        )
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()


def xlsx_file(data: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("ESF")
    sheet.append(HEADER)
    for r in data:
        sheet.append([r[0], r[1], r[2], r[3], r[4], r[5], r[6] / 100, r[7] / 100])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _people() -> None:
    """The demo's people (the officer who uploads), on a database that has none yet."""
    from amis.accounts.models import User

    if not User.objects.filter(email="ra.officer@amis.example").exists():
        from amis.demo.people import load_people
        from amis.demo.programme import load_belgian_programme

        load_belgian_programme(log=lambda message: None)
        load_people(log=lambda message: None)


def _peak_mb() -> int:
    """This process's peak resident set (VmHWM: of this program only; getrusage's maxrss would
    include the parent's, kept across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def read_in_this_process(path: Path) -> dict[str, Any]:
    """Upload the file (as a file, in chunks) and time the worker's read; the process's peak memory."""
    from amis.accounts.models import User
    from amis.integrity import lists, reading

    officer = User.objects.get(email="ra.officer@amis.example")
    with path.open("rb") as handle:
        upload = lists.list_upload(
            actor=officer, fund="ESF", name=path.name, data=handle, number_format="comma", queue=False
        )
    started = time.perf_counter()
    read = reading.list_read(upload.pk)
    ms = round((time.perf_counter() - started) * 1000)
    assert read is not None
    peak_mb = _peak_mb()
    result = {
        "ms": ms,
        "status": read.status,
        "projects": read.projects_count,
        "errors": len(read.errors),
        "peak_mb": peak_mb,
        "file_mb": round(path.stat().st_size / 2**20, 1),
    }
    read.projects.all().delete()
    read.delete()
    return result


def run_read(path: Path) -> dict[str, Any]:
    """The read in a fresh process, so that its peak memory is the read's, not the generator's."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.other_fund_lists", "--read", str(path)],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent.parent,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.other_fund_lists", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--no-report", action="store_true", help="write no report file (the smoke test)")
    parser.add_argument("--read", type=Path, help=argparse.SUPPRESS)  # the child process: one read
    args = parser.parse_args(argv)
    environment.setup()
    if args.read:
        print(json.dumps(read_in_this_process(args.read)))
        return 0
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if args.rows >= 10_000:
        environment.refuse_sqlite("full")
    _people()
    data = rows(args.rows, args.seed)
    with tempfile.TemporaryDirectory() as folder:
        csv_path, xlsx_path = Path(folder) / "esf.csv", Path(folder) / "esf.xlsx"
        csv_path.write_bytes(csv_file(data))
        xlsx_path.write_bytes(xlsx_file(data))
        del data
        measures = {"read_csv": run_read(csv_path), "read_xlsx": run_read(xlsx_path)}
    for key, value in measures.items():
        print(f"{key}: {value}")
    missed = [
        f"{k}: {v['ms']} ms > {TARGETS_MS[k]} ms" for k, v in measures.items() if v["ms"] > TARGETS_MS[k]
    ] + [
        f"{k}: peak {v['peak_mb']} MB > {TARGET_PEAK_MB} MB"
        for k, v in measures.items()
        if v["peak_mb"] > TARGET_PEAK_MB
    ]
    if not args.no_report:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        base = Path(__file__).parent / "results" / f"{stamp}-other-fund-lists"
        result = {
            "rows": args.rows,
            "database": environment.vendor_version(),
            "measures": measures,
            "missed": missed,
        }
        base.with_suffix(".json").write_text(json.dumps(result, indent=2))
        table = "\n".join(
            f"| {k} | {v['ms']:,} | {TARGETS_MS[k]:,} | {v['status']} | {v['projects']:,} | {v['file_mb']} "
            f"| {v['peak_mb']} |"
            for k, v in measures.items()
        )
        base.with_suffix(".md").write_text(
            f"# Other funds' lists, {args.rows:,} rows ({result['database']})\n\n"
            f"Peak memory: the reading process's resident set (target under {TARGET_PEAK_MB} MB).\n\n"
            "| measure | ms | target ms | status | projects | file MB | peak MB |\n"
            "| --- | ---: | ---: | --- | ---: | ---: | ---: |\n" + table + "\n"
        )
        print(f"Report: {base}.md")
    if missed and args.rows >= 200_000:
        print("Targets missed:\n  " + "\n  ".join(missed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
