"""`amis serve`: run AMIS as it runs in production, under gunicorn (docs/decisions/0006).

The settings come from the environment (`amis/settings.py`, `docs/deploy.md`); the server's own:

- AMIS_BIND: address and port, or `unix:/path` (default 127.0.0.1:8000; several, comma-separated).
- AMIS_WEB_WORKERS: worker processes (default 2 x CPU cores + 1, at most 8).
- AMIS_WEB_THREADS: threads per worker process (default 4).
- AMIS_WEB_TIMEOUT: seconds a request may take before its worker is restarted (default 60).
- AMIS_WEB_MAX_REQUESTS: requests after which a worker process is replaced (default 2000, 0: never).
- AMIS_CONN_MAX_AGE: seconds a database connection is kept open (default 60 here; health-checked).

Before starting it gathers the static files into STATIC_ROOT (served by WhiteNoise) unless
`--no-collectstatic`, and refuses to start when the database lacks migrations (`--migrate` applies
them first; with several web nodes, run `amis migrate` once instead). The process then *becomes*
gunicorn (exec), so systemd or any supervisor sees one process: SIGTERM stops it gracefully, SIGHUP
reloads the workers. The background tasks are run by `amis worker`, a process of its own.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise CommandError(f"{name} must be a whole number, not {raw!r}.") from None
    if value < 0:
        raise CommandError(f"{name} must not be negative.")
    return value


def default_workers() -> int:
    return min(2 * (os.cpu_count() or 1) + 1, 8)


def gunicorn_arguments(
    *, bind: str, workers: int, threads: int, timeout: int, max_requests: int
) -> list[str]:
    """The gunicorn command line (without the program name)."""
    arguments = ["--config", "python:amis.gunicorn_config"]
    for address in filter(None, (part.strip() for part in bind.split(","))):
        arguments += ["--bind", address]
    arguments += ["--workers", str(workers), "--threads", str(threads), "--timeout", str(timeout)]
    arguments += ["--graceful-timeout", str(min(timeout, 30))]
    if max_requests:
        arguments += ["--max-requests", str(max_requests), "--max-requests-jitter", str(max_requests // 10)]
    return [*arguments, "amis.wsgi:application"]


class Command(BaseCommand):
    help = "Run the AMIS web server (gunicorn, static files by WhiteNoise); background tasks: `amis worker`."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", help="address:port (default AMIS_BIND or 127.0.0.1:8000)")
        parser.add_argument("--workers", type=int, help="worker processes (default AMIS_WEB_WORKERS)")
        parser.add_argument("--threads", type=int, help="threads per worker (default AMIS_WEB_THREADS or 4)")
        parser.add_argument("--no-collectstatic", action="store_true", help="static files are in place")
        parser.add_argument("--migrate", action="store_true", help="apply database migrations first")
        parser.add_argument("--dry-run", action="store_true", help="print the gunicorn command and stop")

    def handle(self, *args: Any, **options: Any) -> None:
        bind = options["bind"] or os.environ.get("AMIS_BIND", "127.0.0.1:8000")
        workers = options["workers"] or _int("AMIS_WEB_WORKERS", default_workers())
        threads = options["threads"] or _int("AMIS_WEB_THREADS", 4)
        if workers < 1 or threads < 1:
            raise CommandError("AMIS needs at least one worker process and one thread.")
        arguments = gunicorn_arguments(
            bind=bind,
            workers=workers,
            threads=threads,
            timeout=_int("AMIS_WEB_TIMEOUT", 60) or 60,
            max_requests=_int("AMIS_WEB_MAX_REQUESTS", 2000),
        )
        command = [sys.executable, "-m", "gunicorn", *arguments]
        if options["dry_run"]:
            self.stdout.write(" ".join(command))
            return
        self.check(display_num_errors=False)
        if options["migrate"]:
            self.stdout.write("Applying database migrations ...")
            call_command("migrate", interactive=False, verbosity=0)
            call_command("createcachetable", verbosity=0)
        else:
            self._refuse_missing_migrations()
        if not options["no_collectstatic"]:
            self.stdout.write("Gathering static files ...")
            call_command("collectstatic", interactive=False, verbosity=0)
        os.environ.setdefault("AMIS_CONN_MAX_AGE", "60")
        self.stdout.write(f"Serving AMIS on {bind}: {workers} worker process(es) x {threads} thread(s).")
        self.stdout.flush()
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(sys.executable, command)

    def _refuse_missing_migrations(self) -> None:
        from amis.core.health import unapplied_migrations

        missing = unapplied_migrations()
        if missing:
            raise CommandError(
                f"The database lacks {len(missing)} migration(s) (first: {missing[0]}): run `amis migrate` "
                "(once, from one machine) or start with `amis serve --migrate`."
            )
