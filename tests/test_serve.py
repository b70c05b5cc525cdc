"""`amis serve` and `amis worker` as production runs them, and the multi-node shape on one machine
(issue 13, §2-3): two web servers on two ports and two task workers against one database.

- a login made through one server is valid on the other (sessions live in the database);
- a document uploaded through one server downloads through the other (one shared file storage);
- each queued e-mail is sent exactly once although two workers run, and a task queued twice sends
  its e-mail once;
- a worker stopped (SIGTERM) in the middle of the queue finishes its task and loses none: the other
  worker, or the same one restarted, sends the rest.

On PostgreSQL, with two workers. On SQLite (the laptop demo), whose `SELECT ... FOR UPDATE SKIP
LOCKED` does not exist, the same test runs with one worker at a time: two servers, the stop in the
middle of the queue and a restart; docs/deploy.md says why production runs PostgreSQL.
Each process is the `amis` command an operator starts, with the demo's data.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dj_database_url
import psycopg
import pytest
import requests
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n% two servers\n"
BENEFICIARY = ("beneficiary@caritas.example", "demo-beneficiary-2014")


def _free_ports(count: int) -> list[int]:
    """Ports to listen on: from AMIS_TEST_PORT_BASE when set (a shared machine hands out ranges), else
    ports the system says are free."""
    base = os.environ.get("AMIS_TEST_PORT_BASE")
    if base:
        return [int(base) + i for i in range(count)]
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _wait(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}")


@dataclass
class Site:
    env: dict[str, str]
    query: Callable[[str], list[tuple[Any, ...]]]
    servers: list[str] = field(default_factory=list)
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    logs: Path = Path()

    def start(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "amis.cli", *args],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def stop(self, process: subprocess.Popen[bytes], timeout: float = 30) -> int:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        return process.wait(timeout=timeout)


def _database(tmp_path: Path) -> Iterator[tuple[str, Callable[[str], list[tuple[Any, ...]]]]]:
    if not ON_POSTGRESQL:
        path = tmp_path / "amis.sqlite3"

        def query_sqlite(sql: str) -> list[tuple[Any, ...]]:
            with sqlite3.connect(path, timeout=30) as db:
                return db.execute(sql).fetchall()

        yield f"sqlite:///{path}", query_sqlite
        return
    config = dj_database_url.parse(os.environ["DATABASE_URL"])
    name = f"{config['NAME']}_serve_{uuid.uuid4().hex[:8]}"
    server = {
        "host": config["HOST"] or "localhost",
        "port": config["PORT"] or 5432,
        "user": config["USER"],
        "password": config["PASSWORD"],
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def query_postgresql(sql: str) -> list[tuple[Any, ...]]:
        with psycopg.connect(dbname=name, autocommit=True, **server) as db:
            cursor = db.execute(sql)  # type: ignore[arg-type]
            return cursor.fetchall() if cursor.description else []

    try:
        yield (
            f"postgres://{server['user']}:{server['password']}@{server['host']}:{server['port']}/{name}",
            query_postgresql,
        )
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The demo's data in a new database, served by two `amis serve` processes (no worker yet)."""
    tmp_path = tmp_path_factory.mktemp("two-servers")
    database = _database(tmp_path)
    url, query = next(database)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AMIS_", "DJANGO_", "DATABASE_URL"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": "amis.settings",  # production settings, with a key of their own
        "AMIS_SECRET_KEY": "two-servers-" + uuid.uuid4().hex + uuid.uuid4().hex,
        "AMIS_DATA_DIR": str(tmp_path / "data"),  # shared: the uploaded files and the mail folder
        "DATABASE_URL": url,
        "AMIS_WEB_WORKERS": "1",
        "AMIS_WEB_THREADS": "2",
    }
    site = Site(env=env, query=query, logs=tmp_path)
    prepare = subprocess.run(
        [sys.executable, "-m", "amis.cli", "demo", "--prepare-only"],
        cwd=ROOT,
        env=env | {"AMIS_DEMO": "1"},  # the demo's data; the servers run without AMIS_DEMO
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert prepare.returncode == 0, prepare.stdout + prepare.stderr
    ports = _free_ports(2)
    try:
        for index, port in enumerate(ports):
            site.start(f"serve-{index}", "serve", "--bind", f"127.0.0.1:{port}", "--no-collectstatic")
            site.servers.append(f"http://127.0.0.1:{port}")
        for server in site.servers:
            _wait(lambda server=server: _answers(f"{server}/readyz"), 60, f"{server}/readyz")
        yield site
    finally:
        for process in site.processes:
            try:
                site.stop(process)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        try:
            next(database)
        except StopIteration:
            pass


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=5).status_code == 200
    except requests.RequestException:
        return False


def _log_in(session: requests.Session, server: str) -> None:
    page = session.get(f"{server}/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, page.text[:500]
    response = session.post(
        f"{server}/accounts/login/",
        data={"login": BENEFICIARY[0], "password": BENEFICIARY[1], "csrfmiddlewaretoken": token.group(1)},
        headers={"Referer": f"{server}/accounts/login/"},
        timeout=30,
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:500]


def test_both_servers_are_healthy_ready_and_log_json(site: Site) -> None:
    for server in site.servers:
        assert requests.get(f"{server}/healthz", timeout=10).json() == {"status": "ok"}
        ready = requests.get(f"{server}/readyz", timeout=10).json()
        assert ready["checks"]["database"] == "ok" and ready["checks"]["migrations"] == "ok"
        response = requests.get(f"{server}/programmes/", timeout=30)
        assert response.status_code == 200 and response.headers["Server"].startswith("gunicorn")
        assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])
    time.sleep(0.5)
    log = (site.logs / "serve-0.log").read_text()
    assert '"logger": "amis.request", "message": "request", "method": "GET", "path": "/programmes/"' in log
    assert "Listening at: http://127.0.0.1:" in log


def test_a_login_on_one_server_is_valid_on_the_other(site: Site) -> None:
    first, second = site.servers
    session = requests.Session()
    _log_in(session, first)
    page = session.get(f"{second}/accounts/email/", timeout=30, allow_redirects=False)
    assert page.status_code == 200 and BENEFICIARY[0] in page.text
    logout = session.get(f"{second}/accounts/logout/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', logout.text)
    assert token
    session.post(
        f"{second}/accounts/logout/",
        data={"csrfmiddlewaretoken": token.group(1)},
        headers={"Referer": f"{second}/accounts/logout/"},
        timeout=30,
    )
    assert session.get(f"{first}/accounts/email/", timeout=30, allow_redirects=False).status_code == 302


def test_an_upload_through_one_server_downloads_through_the_other(site: Site) -> None:
    first, second = site.servers
    [(reference,)] = site.query(
        "SELECT a.reference FROM applications_application a JOIN organisations_organisation o "
        "ON o.id = a.organisation_id JOIN accounts_user u ON u.email = 'beneficiary@caritas.example' "
        "WHERE a.status = 'draft' ORDER BY a.id LIMIT 1"
    )
    session = requests.Session()
    _log_in(session, first)
    edit = session.get(f"{first}/applications/{reference}/edit/", timeout=30)
    assert edit.status_code == 200
    response = session.post(
        f"{first}/applications/{reference}/attachments/",
        data={"csrfmiddlewaretoken": session.cookies["csrftoken"]},
        files={"file": ("two-servers.pdf", PDF, "application/pdf")},
        headers={"Referer": f"{first}/applications/{reference}/edit/"},
        timeout=30,
    )
    assert response.status_code == 200 and "The document was added." in response.text
    digest = hashlib.sha256(PDF).hexdigest()
    download = session.get(f"{second}/applications/{reference}/attachments/{digest}/", timeout=30)
    assert download.status_code == 200
    assert download.content == PDF


def _tasks(site: Site) -> dict[str, int]:
    return dict(site.query("SELECT status, COUNT(*) FROM django_tasks_database_dbtaskresult GROUP BY status"))


def _mails(site: Site) -> list[Path]:
    folder = Path(site.env["AMIS_DATA_DIR"]) / "mail"
    return sorted(folder.glob("*.log")) if folder.exists() else []


def test_each_queued_email_is_sent_once_and_a_stopped_worker_loses_no_task(site: Site) -> None:
    queued = site.query(
        "SELECT task_path, args_kwargs FROM django_tasks_database_dbtaskresult WHERE status='READY'"
    )
    assert len(queued) >= 6, "the demo queues its receipts and decision letters"
    # every e-mail task queued a second time: the second run must find the e-mail sent and send nothing
    site.query(
        "INSERT INTO django_tasks_database_dbtaskresult (id, status, enqueued_at, args_kwargs, priority, "
        "task_path, worker_ids, queue_name, backend_name, run_after, return_value, exception_class_path, "
        "traceback) SELECT "
        + ("gen_random_uuid()" if ON_POSTGRESQL else "lower(hex(randomblob(16)))")
        + ", status, enqueued_at, args_kwargs, priority, task_path, worker_ids, queue_name, backend_name, "
        "run_after, return_value, exception_class_path, traceback FROM django_tasks_database_dbtaskresult "
        "WHERE status = 'READY'"
    )
    total = 2 * len(queued)
    workers = 2 if ON_POSTGRESQL else 1  # SQLite has no SKIP LOCKED: one worker at a time
    running = [site.start(f"worker-{i}", "worker", "--interval", "0.2") for i in range(workers)]
    _wait(lambda: len(_mails(site)) >= 1, 90, "the first e-mail")
    assert _tasks(site).get("READY", 0) > 0, "the worker is stopped in the middle of the queue"
    assert site.stop(running[0]) == 0  # SIGTERM: the task in hand is finished, then the worker leaves
    if not ON_POSTGRESQL:
        running.append(site.start("worker-restarted", "worker", "--interval", "0.2"))
    _wait(lambda: _tasks(site).get("SUCCESSFUL", 0) == total, 120, f"{total} tasks done")
    assert _tasks(site) == {"SUCCESSFUL": total}  # none lost, none failed, none left running
    notified = site.query(
        "SELECT object_type, object_id, COUNT(*) FROM core_auditentry WHERE action = 'notify' "
        "GROUP BY object_type, object_id, after"
    )
    # the demo's queue also holds its expenditure imports, already run by the demo: the worker finds
    # them done and leaves them alone (no e-mail); every other queued task sends one e-mail, once
    emails = [row for row in queued if ".tasks.send_" in row[0]]
    others = {row[0] for row in queued if ".tasks.send_" not in row[0]}
    assert others <= {"amis.reporting.imports.tasks.run_expenditure_import"}, others
    assert len(emails) >= 6
    assert len(notified) == len(emails) and all(count == 1 for *_, count in notified)
    # one message per e-mail sent (Django's file backend ends each message with a line of 79 dashes;
    # two connections in the same second may share a file name, so messages are counted, not files)
    sent = sum(path.read_bytes().count(b"\n" + b"-" * 79 + b"\n") for path in _mails(site))
    assert sent == len(emails)
    if ON_POSTGRESQL:
        workers_used = site.query(
            "SELECT DISTINCT jsonb_array_elements_text(worker_ids) FROM django_tasks_database_dbtaskresult"
        )
        assert len(workers_used) == 2, "both workers took tasks"
    for process in running[1:]:
        assert site.stop(process) == 0


def test_serve_takes_its_workers_threads_and_address_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from django.core.management import call_command

    monkeypatch.setenv("AMIS_BIND", "0.0.0.0:9000,unix:/run/amis.sock")
    monkeypatch.setenv("AMIS_WEB_WORKERS", "3")
    monkeypatch.setenv("AMIS_WEB_THREADS", "6")
    monkeypatch.setenv("AMIS_WEB_TIMEOUT", "20")
    monkeypatch.setenv("AMIS_WEB_MAX_REQUESTS", "0")
    call_command("serve", "--dry-run")
    command = capsys.readouterr().out.split()
    assert command[1:4] == ["-m", "gunicorn", "--config"]

    def value(option: str) -> str:
        return command[command.index(option) + 1]

    assert value("--workers") == "3" and value("--threads") == "6" and value("--timeout") == "20"
    assert "--max-requests" not in command
    assert command.count("--bind") == 2 and "unix:/run/amis.sock" in command
    assert command[-1] == "amis.wsgi:application"
    call_command("serve", "--dry-run", "--workers", "1", "--bind", "127.0.0.1:8001")
    command = capsys.readouterr().out.split()
    assert command[command.index("--workers") + 1] == "1" and "0.0.0.0:9000" not in command


def test_serve_refuses_a_wrong_number(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    monkeypatch.setenv("AMIS_WEB_WORKERS", "many")
    with pytest.raises(CommandError, match="AMIS_WEB_WORKERS must be a whole number"):
        call_command("serve", "--dry-run")


def test_serve_refuses_to_start_on_a_database_that_lacks_migrations(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from amis.core import health

    monkeypatch.setattr(health, "unapplied_migrations", lambda: ["core.9999_future"])
    with pytest.raises(CommandError, match="lacks 1 migration"):
        call_command("serve", "--no-collectstatic")
