"""`amis restore FILE`: fill an empty database and file storage from an `amis backup` archive, then
check that the figures are those backed up and that the audit trail is intact."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amis.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore an `amis backup` archive into an empty database and storage, and check the result."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="the archive written by `amis backup`")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["archive"].is_file():
            raise CommandError(f"{options['archive']} does not exist.")
        try:
            restore(options["archive"], log=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
