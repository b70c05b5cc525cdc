"""`amis calls list [--format json]`: every call with its code, status, budget and applications per status."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from amis.calls import selectors


class Command(BaseCommand):
    help = "Calls for proposals."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=CommandParser)
        p = sub.add_parser("list", help="Every call with its status, budget and applications per status.")
        p.add_argument("--format", dest="fmt", choices=["table", "json"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = [
            {
                "code": c.code,
                "status": c.status,
                "procedure": c.procedure,
                "programme": c.programme.cci,
                "specific_objective": c.specific_objective,
                "national_objectives": c.national_objectives,
                "type_of_action": c.type_of_action,
                "budget": str(c.budget),
                "max_eu_rate": str(c.max_eu_rate),
                "opens_at": c.opens_at.isoformat(),
                "closes_at": c.closes_at.isoformat(),
                "applications": selectors.application_counts(c),
            }
            for c in selectors.call_list()
        ]
        if options["fmt"] == "json":
            self.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        for r in rows:
            counts = ", ".join(f"{k} {v}" for k, v in r["applications"].items()) or "no applications"
            self.stdout.write(f"{r['code']:<24} {r['status']:<10} EUR {r['budget']:>15}  {counts}")
