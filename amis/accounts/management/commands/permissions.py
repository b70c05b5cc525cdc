"""`amis permissions doc [-o docs/permissions.md]`: write the permission matrix document."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from amis.accounts.permissions import matrix_markdown


class Command(BaseCommand):
    help = "Write docs/permissions.md from the permission matrix."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=CommandParser)
        p = sub.add_parser("doc")
        p.add_argument("-o", "--output")

    def handle(self, *args: Any, **options: Any) -> None:
        text = matrix_markdown()
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {options['output']}.")
        else:
            self.stdout.write(text, ending="")
