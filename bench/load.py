"""`python -m bench.load`: the load test. 50 people at once against `amis serve` on PostgreSQL.

Against a database the bench generated (`python -m bench.generate --scale medium` or `full`), it:

1. prepares what the simulated people use (`plan`): sessions of a real officer login (password and
   TOTP recorded), a draft application, session and write token for each beneficiary, a read token
   for the API clients, the calls and applications to open; written to a JSON file for locust;
2. starts `amis serve` on 127.0.0.1 (loopback only: this is no tool to load someone else's server);
3. runs locust headless (`bench/locustfile.py`) for a bounded time: `--users` people (default 50)
   arriving at `--spawn-rate` per second, for `--duration` seconds (default 150);
4. stops the server and writes `bench/results/<UTC time>-load.md` and `.json`: requests per second,
   p50/p95/p99 and errors per page and in total, the machine (CPUs, load average before and after:
   other work on a shared machine slows every figure) and the verdict against `[load]` in
   `bench/targets.toml`. Exit status 1 when the target is missed.

The run adds drafts (one per beneficiary) and API tokens to the bench database, and opens its published
call for today (the generator's dates are long past); nothing else changes.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).with_name("results")
TARGETS_FILE = Path(__file__).with_name("targets.toml")


def load_target(path: Path = TARGETS_FILE) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))["load"]


def plan(beneficiaries: int, officer_sessions: int = 10) -> dict[str, Any]:
    """Sessions, tokens and addresses for the simulated people (Django must be set up)."""
    from django.db.models import Q
    from django.utils import timezone

    from amis.accounts.models import RoleAssignment, User
    from amis.accounts.services import token_create
    from amis.applications import services as applications
    from amis.applications.models import Application
    from amis.calls.models import Call
    from amis.core.errors import ApplicationError
    from bench.scenarios.fixture import API_USER, OFFICER, logged_in, prepare

    fixture = prepare()
    sessions = [logged_in(OFFICER)[0].cookies["sessionid"].value for _ in range(officer_sessions)]
    page = fixture.officer.get("/calls/").content.decode()
    calls = sorted(set(re.findall(r'href="/calls/([A-Z0-9-]+)/"', page))) or [fixture.big_call]
    references = list(
        Application.objects.filter(call__code=fixture.big_call)
        .exclude(status=Application.Status.DRAFT)
        .order_by("reference")
        .values_list("reference", flat=True)[:300]
    )
    _token, api_token = token_create(user=User.objects.get(email=API_USER), name="load test", days=1)
    now = timezone.now()
    # The generated calls have fixed dates, long past: the published one is opened for today, as a
    # call would be while beneficiaries draft (bench data only; written directly, like the generator).
    Call.objects.filter(status=Call.Status.PUBLISHED).update(
        opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=30)
    )
    open_calls = list(
        Call.objects.filter(status=Call.Status.PUBLISHED)
        .filter(
            Q(opens_at__isnull=True) | Q(opens_at__lte=now), Q(closes_at__isnull=True) | Q(closes_at__gt=now)
        )
        .order_by("code")
    )
    drafts: list[dict[str, str]] = []
    for assignment in RoleAssignment.objects.filter(role="beneficiary").select_related(
        "user", "organisation"
    ):
        if len(drafts) >= beneficiaries:
            break
        if assignment.organisation is None:
            continue
        for call in open_calls:
            try:
                draft = applications.application_create(
                    actor=assignment.user,
                    call=call,
                    organisation=assignment.organisation,
                    title="Load test draft",
                )
            except ApplicationError:
                continue
            _t, secret = token_create(user=assignment.user, name="load test", scope="write", days=1)
            client, _user = logged_in(assignment.user.email)
            drafts.append(
                {"reference": draft.reference, "token": secret, "session": client.cookies["sessionid"].value}
            )
            break
    if not drafts:
        raise SystemExit("No beneficiary could start a draft: the database has no call open today.")
    return {
        "officer_sessions": sessions,
        "calls": calls,
        "applications": references,
        "application_count": Application.objects.count(),
        "financing_plan": fixture.programme_financing,
        "api_token": api_token,
        "drafts": drafts,
        "all_drafts": list(drafts),
    }


def _wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"amis serve did not answer {url} within {seconds:.0f} s")


def warm_up(base: str, prepared: dict[str, Any], rounds: int) -> None:
    """Open every page a few times first: each server process loads its code and templates on its
    first requests, which is start-up, not load."""
    officer = {"Cookie": f"sessionid={prepared['officer_sessions'][0]}"}
    beneficiary = {"Cookie": f"sessionid={prepared['drafts'][0]['session']}"}
    api = {"Authorization": f"Bearer {prepared['api_token']}"}
    pages = [
        ("/calls/", officer),
        (f"/calls/{prepared['calls'][0]}/", officer),
        ("/applications/", officer),
        (f"/applications/{prepared['applications'][0]}/", officer),
        (prepared["financing_plan"], officer),
        (f"/applications/{prepared['drafts'][0]['reference']}/edit/", beneficiary),
        ("/api/v1/calls", api),
        ("/api/v1/applications?limit=50", api),
    ]
    for _ in range(rounds):
        for path, headers in pages:
            with urllib.request.urlopen(urllib.request.Request(base + path, headers=headers), timeout=60):
                pass


def read_stats(path: Path) -> list[dict[str, Any]]:
    """locust's `_stats.csv`: one row per request name, and the "Aggregated" row."""
    rows = []
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows.append(
                {
                    "name": row["Name"] if row["Name"] != "Aggregated" else "all requests",
                    "requests": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "rps": round(float(row["Requests/s"]), 2),
                    "p50_ms": float(row["50%"] or 0),
                    "p95_ms": float(row["95%"] or 0),
                    "p99_ms": float(row["99%"] or 0),
                    "max_ms": round(float(row["Max Response Time"] or 0)),
                }
            )
    return rows


def verdict(rows: list[dict[str, Any]], target: dict[str, Any]) -> list[str]:
    """Why the run misses the target; empty when it meets it."""
    misses = []
    total = next(row for row in rows if row["name"] == "all requests")
    if total["failures"] > target["max_errors"]:
        misses.append(f"{total['failures']} errors > {target['max_errors']}")
    for row in rows:
        if row["name"].startswith("page: ") and row["p95_ms"] > target["pages_p95_ms"]:
            misses.append(f"{row['name']}: p95 {row['p95_ms']:,.0f} ms > {target['pages_p95_ms']:,.0f} ms")
    return misses


def write_report(result: dict[str, Any]) -> Path:
    RESULTS.mkdir(exist_ok=True)
    stem = RESULTS / f"{result['started']}-load{'-saturated' if result['saturate'] else ''}"
    stem.with_suffix(".json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    lines = [
        f"# Load test {result['started']}",
        "",
        f"{result['users']} simulated people (officers 6 : beneficiaries 3 : API clients 1"
        + (", none pausing between requests: the server's most, for sizing" if result["saturate"] else "")
        + ") for "
        f"{result['duration_s']} s against `amis serve` ({result['serve']}) on {result['database']}, "
        f"{result['applications']:,} applications in the database; commit {result['commit']}.",
        f"Machine: {result['cpus']} CPUs, shared with other work: load average {result['load_before']} "
        f"before, "
        f"{result['load_after']} after (the locust driver itself runs on the same cores).",
        "",
        "| requests | count | errors | req/s | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in result["rows"]:
        lines.append(
            f"| {row['name']} | {row['requests']:,} | {row['failures']} | {row['rps']} | {row['p50_ms']:.0f} "
            f"| {row['p95_ms']:.0f} | {row['p99_ms']:.0f} | {row['max_ms']:,} |"
        )
    target = result["target"]
    saturated = "Saturated run, for sizing: the target is for people at work, with pauses. "
    met = "**Met.**" if not result["misses"] else "**Missed**: " + "; ".join(result["misses"]) + "."
    lines += [
        "",
        (saturated if result["saturate"] else "")
        + f"Target (`[load]` in bench/targets.toml): at most {target['max_errors']} errors, p95 of every "
        f"page under {target['pages_p95_ms']:.0f} ms. {met}",
    ]
    if result["errors"]:
        lines += ["", "Errors:", ""] + [f"- {error}" for error in result["errors"]]
    lines += ["", f"Server: {result['server_worker_starts']} worker process start(s) in all."]
    lines += [f"    {line}" for line in result["server_events"]]
    stem.with_suffix(".md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return stem.with_suffix(".md")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=5.0, help="people arriving per second")
    parser.add_argument("--duration", type=int, default=150, help="seconds (at most 600)")
    parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 for amis serve")
    parser.add_argument("--web-workers", type=int, default=0, help="amis serve workers (default: its own)")
    parser.add_argument(
        "--saturate",
        action="store_true",
        help="nobody pauses between requests: the most the server does (for sizing, no target)",
    )
    args = parser.parse_args(argv)
    if not 1 <= args.users <= 200 or not 10 <= args.duration <= 600:
        parser.error("--users between 1 and 200, --duration between 10 and 600 seconds")

    from bench import environment

    os.environ["AMIS_REQUEST_LOG"] = "0"  # this process's own requests (the preparation) are not logged
    environment.setup()
    from bench.report import git_commit

    environment.refuse_sqlite("load")
    from amis.applications.models import Application

    target = load_target()
    print("Preparing sessions, drafts and tokens ...", flush=True)
    prepared = plan(beneficiaries=max(1, args.users * 3 // 10))
    base = f"http://127.0.0.1:{args.port}"
    env = dict(os.environ) | {"AMIS_BIND": f"127.0.0.1:{args.port}", "AMIS_REQUEST_LOG": "1"}
    if args.web_workers:
        env["AMIS_WEB_WORKERS"] = str(args.web_workers)
    with tempfile.TemporaryDirectory(prefix="amis-load-") as scratch:
        plan_file = Path(scratch) / "plan.json"
        plan_file.write_text(json.dumps(prepared), encoding="utf-8")
        serve_log = (Path(scratch) / "serve.log").open("wb")
        server = subprocess.Popen(
            [sys.executable, "-m", "amis.cli", "serve"],
            cwd=ROOT,
            env=env,
            stdout=serve_log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_for(f"{base}/healthz", 120)
            serve_line = next(
                (
                    line
                    for line in (Path(scratch) / "serve.log").read_text().splitlines()
                    if "Serving AMIS" in line
                ),
                "",
            )
            warm_up(base, prepared, rounds=2 * (args.web_workers or 5))
            load_before = [round(x, 2) for x in os.getloadavg()]
            started = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            print(f"Running {args.users} people for {args.duration} s against {base} ...", flush=True)
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "locust",
                    "-f",
                    str(Path(__file__).with_name("locustfile.py")),
                    "--headless",
                    "--users",
                    str(args.users),
                    "--spawn-rate",
                    str(args.spawn_rate),
                    "--run-time",
                    f"{args.duration}s",
                    "--host",
                    base,
                    "--csv",
                    f"{scratch}/locust",
                    "--only-summary",
                    "--stop-timeout",
                    "10",
                    "--loglevel",
                    "WARNING",
                    "--exit-code-on-error",
                    "0",
                ],
                cwd=ROOT,
                env=env
                | {"AMIS_LOAD_PLAN": str(plan_file), "AMIS_LOAD_SATURATE": "1" if args.saturate else "0"},
                check=True,
                timeout=args.duration + 120,
            )
            load_after = [round(x, 2) for x in os.getloadavg()]
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
            serve_log.close()
        rows = read_stats(Path(f"{scratch}/locust_stats.csv"))
        server_log = (Path(scratch) / "serve.log").read_text(errors="replace").splitlines()
        server_events = [
            line for line in server_log if re.search(r"\[(WARNING|ERROR|CRITICAL)\]|Traceback", line)
        ]
        worker_starts = sum("Booting worker" in line for line in server_log)
        errors = []
        failures = Path(f"{scratch}/locust_failures.csv")
        if failures.exists():
            with failures.open(newline="", encoding="utf-8") as handle:
                errors = [
                    f"{r['Method']} {r['Name']}: {r['Error']} ({r['Occurrences']}x)"
                    for r in csv.DictReader(handle)
                ]
    result = {
        "started": started,
        "users": args.users,
        "saturate": args.saturate,
        "duration_s": args.duration,
        "serve": serve_line.replace("Serving AMIS on ", "").rstrip("."),
        "database": environment.vendor_version(),
        "applications": Application.objects.count(),
        "commit": git_commit(),
        "cpus": os.cpu_count(),
        "load_before": load_before,
        "load_after": load_after,
        "target": target,
        "rows": rows,
        "errors": errors,
        "misses": verdict(rows, target),
        "server_worker_starts": worker_starts,
        "server_events": server_events[:20],
    }
    report = write_report(result)
    print(report.read_text(encoding="utf-8"))
    return 1 if result["misses"] and not args.saturate else 0


if __name__ == "__main__":
    raise SystemExit(main())
