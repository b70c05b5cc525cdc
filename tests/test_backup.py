"""`amis backup` / `amis restore` (issue 13, §2): the demo is backed up, restored into an empty
database and an empty file storage, and the copy has the same figures and an intact audit trail.

Runs on the engine of DATABASE_URL: PostgreSQL (pg_dump / pg_restore, in new databases beside the
test database) or SQLite (the file). Every step is the `amis` command a operator types, in its own
process, with the demo's settings.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import dj_database_url
import psycopg
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
FIGURES = "import json; from amis.core.backup import figures; print(json.dumps(figures(), sort_keys=True))"


def _amis(*args: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "amis.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check:
        assert done.returncode == 0, f"amis {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture
def databases(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """DATABASE_URLs of two new, empty databases: the one backed up and the one restored into."""
    if not ON_POSTGRESQL:
        yield f"sqlite:///{tmp_path / 'source.sqlite3'}", f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    config = dj_database_url.parse(os.environ["DATABASE_URL"])
    suffix = uuid.uuid4().hex[:8]
    names = [f"{config['NAME']}_bk_{suffix}_src", f"{config['NAME']}_bk_{suffix}_dst"]
    server = {
        "host": config["HOST"] or "localhost",
        "port": config["PORT"] or 5432,
        "user": config["USER"],
        "password": config["PASSWORD"],
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        base = f"postgres://{server['user']}:{server['password']}@{server['host']}:{server['port']}"
        yield f"{base}/{names[0]}", f"{base}/{names[1]}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _environment(tmp_path: Path, database_url: str, media: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AMIS_", "DJANGO_", "DATABASE_URL"))}
    return env | {
        "DJANGO_SETTINGS_MODULE": "amis.settings_demo",
        "AMIS_DEMO": "1",
        "AMIS_DATA_DIR": str(tmp_path / "data"),  # the same secret key for both
        "AMIS_MEDIA_ROOT": str(tmp_path / media),
        "DATABASE_URL": database_url,
    }


def test_the_demo_backed_up_and_restored_into_an_empty_database_is_identical(
    tmp_path: Path, databases: tuple[str, str]
) -> None:
    source_url, restored_url = databases
    source = _environment(tmp_path, source_url, "media-source")
    restored = _environment(tmp_path, restored_url, "media-restored")
    _amis("demo", "--prepare-only", env=source)
    uploaded = sorted(
        p.relative_to(tmp_path / "media-source") for p in (tmp_path / "media-source").rglob("*.pdf")
    )
    assert uploaded, "the demo has uploaded documents to back up"

    archive = tmp_path / "amis.tar"
    done = _amis("backup", "--output", str(archive), env=source)
    assert "Backup written" in done.stdout and archive.is_file()
    assert archive.stat().st_mode & 0o077 == 0  # readable by its owner only

    done = _amis("restore", str(archive), env=restored)
    assert "figures identical, audit trail intact" in done.stdout

    verify = _amis("audit", "verify", env=restored)
    assert "Audit trail intact" in verify.stdout
    before = json.loads(_amis("shell", "-v", "0", "-c", FIGURES, env=source).stdout)
    after = json.loads(_amis("shell", "-v", "0", "-c", FIGURES, env=restored).stdout)
    assert after == before
    assert before["applications.Application"]["rows"] > 0 and before["core.AuditEntry"]["rows"] > 0
    for name in uploaded:
        assert (tmp_path / "media-restored" / name).read_bytes() == (
            tmp_path / "media-source" / name
        ).read_bytes()

    # a second restore into the now full database is refused, and changes nothing
    again = _amis("restore", str(archive), env=restored, check=False)
    assert again.returncode != 0 and "not empty" in again.stderr
    assert json.loads(_amis("shell", "-v", "0", "-c", FIGURES, env=restored).stdout) == before
