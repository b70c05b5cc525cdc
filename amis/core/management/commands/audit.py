"""`amis audit verify`: recompute the hash chain of the audit trail and report the first broken entry."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amis.core.audit import verify_chain


class Command(BaseCommand):
    help = "Check the audit trail."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=CommandParser)
        p = sub.add_parser("verify", help="Recompute the hash chain; exit 1 at the first broken entry.")
        p.add_argument("--format", dest="fmt", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if options["fmt"] == "json":
            self.stdout.write(
                json.dumps(
                    {
                        "ok": report.ok,
                        "checked": report.checked,
                        "first_broken": report.first_broken,
                        "problem": report.problem,
                    }
                )
            )
        elif report.ok:
            self.stdout.write(f"Audit trail intact: {report.checked} entries checked.")
        if not report.ok:
            raise CommandError(
                f"Audit trail broken at entry #{report.first_broken}: {report.problem} "
                f"({report.checked} entries before it are intact)."
            )
