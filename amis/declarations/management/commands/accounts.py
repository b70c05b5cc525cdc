"""`amis accounts <CCI> <year> --format json|xlsx [-o FILE]`: the accounts of a financial
(2014-2020) or accounting (2021-2027) year, named by the calendar year in which it ends, per
specific objective with the reconciliation with the year's payment applications — the same figures
as the page and the API (a submitted year's frozen snapshot). JSON goes to stdout unless `-o`;
XLSX goes to the file, or to stdout as bytes when piped."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amis.declarations import exports, rules, selectors
from amis.programme.models import Programme


class Command(BaseCommand):
    help = "The annual accounts of a programme and year, as JSON or XLSX."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("cci")
        parser.add_argument("year", type=int)
        parser.add_argument("--format", dest="fmt", choices=["json", "xlsx"], default="json")
        parser.add_argument("-o", "--output")

    def handle(self, *args: Any, **options: Any) -> None:
        programme = Programme.objects.select_related("period").filter(cci=options["cci"]).first()
        if programme is None:
            raise CommandError(f"No programme {options['cci']}.")
        if not rules.year_in_period(programme.period.code, options["year"]):
            raise CommandError(f"No year {options['year']} in the period {programme.period.code}.")
        view = selectors.accounts_view(None, programme, options["year"])
        document = selectors.accounts_document(view)
        output = options["output"]
        if options["fmt"] == "xlsx":
            data = exports.accounts_xlsx(document)
            if output:
                Path(output).write_bytes(data)
                self.stderr.write(f"Wrote {output}.")
                return
            stream = getattr(self.stdout, "_out", sys.stdout)
            buffer = getattr(stream, "buffer", None)
            if buffer is None:
                raise CommandError("An XLSX export needs -o FILE.xlsx here.")
            buffer.write(data)
            buffer.flush()
            return
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {output}.")
        else:
            self.stdout.write(text, ending="")
