"""`amis reports annual <CCI> <year> --format xlsx|pdf [--language nl|fr|de|en] [-o FILE]`: the
annual report of a programme written out as the pages export it (the snapshot once approved, today's
data for a draft), to a file or to standard output. The export is written to the audit trail as the
command's."""

from __future__ import annotations

import hashlib
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amis.annual_reports import exports
from amis.annual_reports.models import AnnualReport
from amis.core import audit
from amis.core.transactions import atomic


class Command(BaseCommand):
    help = "Reports to the Commission: `annual <CCI> <year> --format xlsx|pdf` writes the annual report."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="report", required=True)
        annual = sub.add_parser("annual", help="The annual implementation or performance report of a year.")
        annual.add_argument("cci")
        annual.add_argument("year", type=int)
        annual.add_argument("--format", choices=["xlsx", "pdf"], default="xlsx")
        annual.add_argument("--language", choices=list(exports.LANGUAGES), default=None)
        annual.add_argument("-o", "--output", default="-", help="A file, or - for standard output.")

    def handle(self, *args: Any, **options: Any) -> None:
        report = (
            AnnualReport.objects.select_related("programme__period")
            .filter(programme__cci=options["cci"], year=options["year"])
            .first()
        )
        if report is None:
            raise CommandError(f"No annual report {options['cci']} {options['year']}.")
        language = options["language"] or exports.languages_for(report)[0]
        data = (
            exports.xlsx(report, language) if options["format"] == "xlsx" else exports.pdf(report, language)
        )
        self._record(report, options["format"], language, hashlib.sha256(data).hexdigest())
        if options["output"] == "-":
            stream: Any = getattr(self.stdout, "_out", sys.stdout)
            if hasattr(stream, "buffer"):
                stream.buffer.write(data)
            else:  # a binary stream (tests)
                stream.write(data)
            stream.flush()
        else:
            with open(options["output"], "wb") as handle:
                handle.write(data)
            self.stderr.write(
                f"Wrote {options['output']} ({len(data)} bytes, {options['format']}, {language})."
            )

    @staticmethod
    @atomic
    def _record(report: AnnualReport, format: str, language: str, sha256: str) -> None:
        audit.record_security_event(
            user=None,
            label="command: reports annual",
            event="export",
            obj=report,
            detail={"format": format, "language": language, "sha256": sha256, "status": report.status},
        )
