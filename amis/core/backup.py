"""`amis backup` and `amis restore`: the database and the uploaded files in one archive.

The archive is a tar file holding:

- `manifest.json`: when and from which engine it was made, the figures of the data (rows of every
  table and the sum of every amount column, `figures`) and the list of files;
- `database.dump`: PostgreSQL's own dump (`pg_dump --format=custom`), or `database.sqlite3`, a copy
  of the SQLite file made with SQLite's online backup;
- `media/...`: every uploaded file, read through Django's default storage (the local folder or an
  S3-compatible store alike).

On PostgreSQL the figures and the dump read the same snapshot (`pg_export_snapshot`), so they agree
even while people keep working. `amis restore` fills an *empty* database (and storage) from an
archive, then compares the figures of what it restored with those in the manifest and verifies the
audit trail's hash chain; it stops with an error when either differs.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, connections, models, transaction
from django.db.models import Sum
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA = "media/"


class BackupError(Exception):
    """What went wrong, in a sentence for the operator."""


def engine() -> str:
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"AMIS backs up PostgreSQL and SQLite databases, not {vendor}.")
    return vendor


def figures() -> dict[str, dict[str, Any]]:
    """Rows of every table, and the sum of every amount (Decimal) column: equal figures before and
    after a restore mean the same data came back."""
    result: dict[str, dict[str, Any]] = {}
    for model in sorted(apps.get_models(), key=lambda m: m._meta.label):
        if not model._meta.managed or model._meta.proxy:
            continue
        decimals = [f.name for f in model._meta.concrete_fields if isinstance(f, models.DecimalField)]
        manager = model._base_manager
        entry: dict[str, Any] = {"rows": manager.count()}
        if decimals:
            sums = manager.aggregate(**{name: Sum(name) for name in decimals})
            entry["sums"] = {
                name: str(value if value is not None else Decimal(0)) for name, value in sums.items()
            }
        result[model._meta.label] = entry
    return result


def _walk(storage: Any, folder: str = "") -> Iterator[str]:
    directories, files = storage.listdir(folder)
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for name in sorted(directories):
        yield from _walk(storage, f"{folder}/{name}" if folder else name)


def _media_names() -> list[str]:
    try:
        return list(_walk(default_storage))
    except FileNotFoundError:  # the local folder was never created: no upload yet
        return []


def _pg_environment(alias: str = "default") -> dict[str, str]:
    """libpq's variables for the database Django uses (no password on a command line)."""
    settings_dict = connections[alias].settings_dict
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"{command[0]} is not installed: install PostgreSQL's client programs "
            f"(Debian: apt install postgresql-client), of the server's version or newer."
        )
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-2000:]}")


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o600
    archive.addfile(info, io.BytesIO(data))


def backup(output: Path, log: Callable[[str], None] = lambda message: None) -> dict[str, Any]:
    """Write the archive to `output`; returns its manifest."""
    kind = engine()
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="amis-backup-") as scratch:
        dump = Path(scratch) / (PG_DUMP if kind == "postgresql" else SQLITE_COPY)
        with transaction.atomic():
            if kind == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    cursor.execute("SELECT pg_export_snapshot()")
                    snapshot = cursor.fetchone()[0]
                log("Counting the data ...")
                counted = figures()
                log("Dumping the PostgreSQL database (pg_dump) ...")
                _run(
                    [
                        "pg_dump",
                        "--format=custom",
                        "--no-owner",
                        "--no-privileges",
                        f"--snapshot={snapshot}",
                        f"--file={dump}",
                    ],
                    _pg_environment(),
                )
            else:
                log("Counting the data ...")
                counted = figures()
                log("Copying the SQLite database ...")
                connection.ensure_connection()
                target = sqlite3.connect(dump)
                try:
                    connection.connection.backup(target)
                finally:
                    target.close()
        names = _media_names()
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "engine": kind,
            "figures": counted,
            "media": names,
        }
        log(f"Writing {output} ({len(names)} uploaded file(s)) ...")
        partial = output.with_name(output.name + ".partial")
        partial.touch(mode=0o600)  # personal data and bank accounts: readable by the owner only
        partial.chmod(0o600)
        with tarfile.open(partial, "w") as archive:
            _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode())
            archive.add(dump, arcname=dump.name)
            for name in names:
                with default_storage.open(name, "rb") as handle:
                    _add_bytes(archive, MEDIA + name, handle.read())
        partial.replace(output)  # a crash midway never leaves a file that looks like a backup
    return manifest


def _database_is_empty() -> bool:
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def restore(archive_path: Path, log: Callable[[str], None] = lambda message: None) -> dict[str, Any]:
    """Fill the empty database and storage from the archive, then check figures and audit trail."""
    from amis.core.audit import verify_chain

    kind = engine()
    with tarfile.open(archive_path, "r") as archive:
        member = archive.extractfile(MANIFEST)
        if member is None:
            raise BackupError(f"{archive_path} is not an AMIS backup (it has no {MANIFEST}).")
        manifest = json.load(member)
        if manifest.get("format") != FORMAT:
            raise BackupError(
                f"{archive_path} has backup format {manifest.get('format')}; this AMIS reads {FORMAT}."
            )
        if manifest["engine"] != kind:
            raise BackupError(
                f"The backup is of a {manifest['engine']} database; this AMIS is configured for {kind}. "
                "Move data between engines with `amis dumpdata` / `amis loaddata`."
            )
        if not _database_is_empty():
            raise BackupError("The database is not empty: restore into a new, empty database (DATABASE_URL).")
        taken = [name for name in manifest["media"] if default_storage.exists(name)]
        if taken:
            raise BackupError(
                f"The file storage already holds {len(taken)} of the files (first: {taken[0]})."
            )
        with tempfile.TemporaryDirectory(prefix="amis-restore-") as scratch:
            dump_name = PG_DUMP if kind == "postgresql" else SQLITE_COPY
            archive.extract(dump_name, scratch, filter="data")
            dump = Path(scratch) / dump_name
            connections.close_all()
            if kind == "postgresql":
                log("Restoring the PostgreSQL database (pg_restore) ...")
                env = _pg_environment()
                _run(
                    [
                        "pg_restore",
                        "--no-owner",
                        "--no-privileges",
                        "--exit-on-error",
                        "--single-transaction",
                        f"--dbname={env['PGDATABASE']}",
                        str(dump),
                    ],
                    env,
                )
            else:
                log("Restoring the SQLite database ...")
                source, target = sqlite3.connect(dump), sqlite3.connect(connection.settings_dict["NAME"])
                try:
                    source.backup(target)
                finally:
                    source.close()
                    target.close()
        log(f"Restoring {len(manifest['media'])} uploaded file(s) ...")
        for name in manifest["media"]:
            data = archive.extractfile(MEDIA + name)
            if data is None:
                raise BackupError(f"The archive lacks the file {name}.")
            saved = default_storage.save(name, ContentFile(data.read()))
            if saved != name:
                raise BackupError(f"The storage saved {name} as {saved}.")
    connections.close_all()
    log("Checking the restored figures and the audit trail ...")
    restored = figures()
    differing = sorted(
        label
        for label in set(restored) | set(manifest["figures"])
        if restored.get(label) != manifest["figures"].get(label)
    )
    if differing:
        raise BackupError(f"The restored data differs from the backup in {', '.join(differing[:5])}.")
    report = verify_chain()
    if not report.ok:
        raise BackupError(
            f"The restored audit trail is broken at entry #{report.first_broken}: {report.problem}"
        )
    log(f"Restored: figures identical, audit trail intact ({report.checked} entries).")
    return manifest
