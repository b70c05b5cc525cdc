"""`amis backup [--output FILE]`: the database and the uploaded files in one archive (`amis.core.backup`)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from amis.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump, or the SQLite file) and the uploaded files into one tar archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="the archive to write (default: AMIS_DATA_DIR/backups/amis-backup-<UTC time>.tar)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        output = options["output"] or Path(settings.DATA_DIR) / "backups" / f"amis-backup-{stamp}.tar"
        try:
            manifest = backup(output, log=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(entry["rows"] for entry in manifest["figures"].values())
        self.stdout.write(f"Backup written: {output} ({rows} rows, {len(manifest['media'])} files).")
