"""`amis demo`: prepare the demo database and serve AMIS on http://127.0.0.1:8000, with a background
worker (`amis worker`) beside the web server that sends the queued e-mails into var/mail.

Safe to run again: migrations are idempotent, the Belgian programme and the demo draft are loaded
only when missing, and the admin's demo password is set again and printed.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from amis.demo.annual_reports import load_annual_reports
from amis.demo.audit import load_audit
from amis.demo.calls import (
    load_2021_call,
    load_call_in_assessment,
    load_calls,
    load_decided_call,
    load_draft_call,
)
from amis.demo.declarations import load_declarations
from amis.demo.evaluations import load_evaluations
from amis.demo.history import load_history
from amis.demo.money import load_money
from amis.demo.people import REGISTRANT, DemoPerson, load_people
from amis.demo.programme import load_belgian_programme
from amis.demo.projects import load_projects
from amis.demo.public import load_public
from amis.demo.sampling import load_sampling

DEMO_ADMIN = ("admin", "admin@amis.example", "amis-demo-2014")
# The admin needs a second factor like every authority role (RequireTwoFactorMiddleware).
DEMO_ADMIN_TOTP = "JBSWY3DPEHPK3PXPADMINAMISDEMO234"


class Command(BaseCommand):
    help = "Prepare the demo database (migrate, load the Belgian AMIF programme) and serve AMIS."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--prepare-only", action="store_true", help="Prepare the database, do not serve.")
        parser.add_argument("--addr", default="127.0.0.1:8000", help="Address and port to serve on.")

    def handle(self, *args: Any, **options: Any) -> None:
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        self.stdout.write(f"Preparing the database ({engine}): migrations ...")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        self.stdout.write("Loading the Belgian AMIF programme, the demo people and calls ...")
        load_belgian_programme(log=self.stdout.write)
        # where to log in: the address served, or (preparing only) the one `amis demo` serves on
        base = f"http://{options['addr']}"
        self.create_admin(base)
        self.print_people(load_people(log=self.stdout.write), base, options["prepare_only"])
        load_calls(log=self.stdout.write)
        load_decided_call(log=self.stdout.write)
        load_call_in_assessment(log=self.stdout.write)
        load_draft_call(log=self.stdout.write)
        load_2021_call(log=self.stdout.write)
        load_projects(log=self.stdout.write)
        load_money(log=self.stdout.write)
        load_history(log=self.stdout.write)
        load_declarations(log=self.stdout.write)
        load_evaluations(log=self.stdout.write)
        load_annual_reports(log=self.stdout.write)
        load_audit(log=self.stdout.write)
        load_sampling(log=self.stdout.write)
        load_public(log=self.stdout.write)
        if options["prepare_only"]:
            self.stdout.write("Demo database ready.")
            return
        worker = self.start_worker()
        # Ctrl+C reaches runserver as KeyboardInterrupt; make a plain `kill` (SIGTERM) leave through
        # the same `finally`, so the worker never outlives the server.
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        try:
            self.stdout.write(f"Serving AMIS on http://{options['addr']}/ (Ctrl+C stops it).")
            call_command("runserver", options["addr"], use_reloader=False, insecure_serving=True)
        finally:
            self.stop_worker(worker)

    def start_worker(self) -> subprocess.Popen[bytes]:
        """`amis worker` in a child process: same settings and database, stopped with the server."""
        log = settings.DATA_DIR / "worker.log"
        with log.open("ab") as handle:  # the worker's lines go to their own log, not among the requests
            worker = subprocess.Popen(
                [sys.executable, "-m", "amis.cli", "worker", "--no-reload", "--verbosity", "1"],
                stdout=handle,
                stderr=subprocess.STDOUT,
            )
        where = (
            f"written to {settings.EMAIL_FILE_PATH}"
            if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend")
            else f"sent by {settings.EMAIL_BACKEND}"
        )
        self.stdout.write(
            f"Background worker started (pid {worker.pid}); its e-mails are {where}; its log is {log}."
        )
        return worker

    def stop_worker(self, worker: subprocess.Popen[bytes]) -> None:
        if worker.poll() is None:
            worker.terminate()  # the worker finishes the task it is running, then exits
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        self.stdout.write("Background worker stopped.")

    def create_admin(self, base: str) -> None:
        _, email, password = DEMO_ADMIN
        user, _ = get_user_model().objects.get_or_create(email=email)
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, DEMO_ADMIN_TOTP)
        self.stdout.write(
            f"Admin login: {email} / {password}  TOTP secret {DEMO_ADMIN_TOTP}  ({base}/admin/)"
        )

    def print_people(self, people: list[DemoPerson], base: str, prepare_only: bool) -> None:
        where = "once `amis demo` serves" if prepare_only else "at"
        self.stdout.write(f"Demo people (log in {where} {base}/accounts/login/):")
        for p in people:
            line = f"  {p.role.value:<19} {p.email:<32} password {p.password}"
            if p.role.value != "beneficiary":
                line += f"  TOTP secret {p.totp_secret}"
            self.stdout.write(line)
        self.stdout.write(
            f"  {'registrant':<19} {REGISTRANT.email:<32} password {REGISTRANT.password}"
            "  (registered 'Integration Network Ghent'; awaiting approval)"
        )
        self.stdout.write(
            "Authority roles need the TOTP code: add the secret to an authenticator app, or run "
            "`oathtool --totp -b SECRET`."
        )
