"""`amis programme import|export|financing-plan|validate|diff|list`.

JSON goes to stdout with `--format json`; otherwise readable tables. Errors go to stderr with a
non-zero exit code, and a refused import saves nothing.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from amis.core.errors import ApplicationError
from amis.programme import selectors, services
from amis.programme.exchange.xlsx import workbook_bytes
from amis.programme.exchange.yamlio import MAX_BYTES, FileFormatError, decode, dumps_json, dumps_yaml, loads
from amis.programme.rules.findings import Severity
from amis.programme.rules.money import display
from amis.programme.rules.validate import validate_document
from amis.programme.rules.versions import diff, needs_new_decision


def _text(value: dict[str, str]) -> str:
    return value.get("en") or next(iter(value.values()), "") if value else ""


def _message_language(parser: CommandParser) -> None:
    parser.add_argument(
        "--messages",
        dest="message_language",
        choices=[code for code, _name in settings.LANGUAGES],
        help="The language of the findings and reasons (default: the project's, en).",
    )


class Command(BaseCommand):
    help = "Import, export, check and compare national programmes."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=CommandParser)

        p = sub.add_parser("import", help="Import a programme file (YAML or JSON) as a new version.")
        p.add_argument("file")

        p = sub.add_parser("export", help="Export a version as YAML, JSON or an Excel workbook.")
        p.add_argument("cci")
        p.add_argument("--version", dest="number", type=int)
        p.add_argument("--format", dest="fmt", choices=["yaml", "json", "xlsx"], default="yaml")
        p.add_argument(
            "--language",
            help="One of the programme's languages for the workbook's names (default en, else the "
            "first); YAML and JSON always keep every language.",
        )
        p.add_argument("-o", "--output")

        for name, helptext in (
            ("financing-plan", "Tables 1-3 with all totals."),
            ("validate", "Check a version as SFC and the regulation do."),
        ):
            p = sub.add_parser(name, help=helptext)
            p.add_argument("cci")
            p.add_argument("--version", dest="number", type=int)
            p.add_argument("--format", dest="fmt", choices=["table", "json"], default="table")
            if name == "validate":
                _message_language(p)

        p = sub.add_parser(
            "diff", help="What changed between two versions, and whether it needs a new decision."
        )
        p.add_argument("cci")
        p.add_argument("v1", type=int)
        p.add_argument("v2", type=int)
        p.add_argument("--format", dest="fmt", choices=["table", "json"], default="table")
        _message_language(p)

        p = sub.add_parser("list", help="Programmes and their versions.")
        p.add_argument("--format", dest="fmt", choices=["table", "json"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"].replace("-", "_")
        language = options.get("message_language") or settings.LANGUAGE_CODE
        try:
            with translation.override(language):
                getattr(self, f"do_{action}")(options)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc

    def _version(self, cci: str, number: int | None) -> Any:
        version = selectors.version_get(cci, number)
        if version is None:
            what = f"version {number} of {cci}" if number else cci
            raise CommandError(f"No programme {what} in AMIS. `amis programme list` shows what there is.")
        return version

    def _json(self, data: Any) -> None:
        self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))

    def do_import(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        try:
            if path.stat().st_size > MAX_BYTES:  # refused before it is read into memory
                raise FileFormatError(f"{path.name} is larger than 10 MB, the most a programme file has.")
            document = loads(decode(path.read_bytes(), path.name), path.name)
        except FileFormatError as exc:
            raise CommandError(str(exc)) from exc
        version = services.programme_import(
            document=document, actor_label=f"amis programme import {path.name}"
        )
        self.stdout.write(f"Imported {version.programme.cci} version {version.number} ({version.status}).")
        findings = services.document_findings(
            document, selectors.version_catalogue(version), selectors.version_intervention_catalogue(version)
        )
        if any(f.severity == Severity.ERROR for f in findings):
            self.stdout.write("The draft has validation errors; it cannot be submitted until they are fixed:")
        for f in findings:
            if f.severity != Severity.INFO:
                self._finding(f.as_dict())

    def _finding(self, f: dict[str, str]) -> None:
        self.stdout.write(
            f"{f['severity'].upper():<8} {f['code']:<14} {f['message']}\n{'':<23} ({f['reference']})"
        )

    def do_export(self, options: dict[str, Any]) -> None:
        version = self._version(options["cci"], options["number"])
        document = selectors.version_document(version)
        fmt = options["fmt"]
        languages = list(version.programme.languages or [])
        language = options.get("language") or ("en" if "en" in languages or not languages else languages[0])
        if options.get("language") and language not in languages:
            raise CommandError(
                f"{version.programme.cci} is written in {', '.join(languages)}, not in {language}."
            )
        if fmt == "xlsx":
            data: bytes = workbook_bytes(document, language)
            if not options["output"]:
                raise CommandError("An Excel export needs -o FILE.xlsx.")
            Path(options["output"]).write_bytes(data)
            self.stderr.write(f"Wrote {options['output']}.")
            return
        text = dumps_json(document) if fmt == "json" else dumps_yaml(document)
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {options['output']}.")
        else:
            self.stdout.write(text, ending="")

    def do_financing_plan(self, options: dict[str, Any]) -> None:
        version = self._version(options["cci"], options["number"])
        data = selectors.financing_plan_data(version)
        if options["fmt"] == "json":
            return self._json(data)
        rows: list[tuple[str, str]] = []
        for so in data["specific_objectives"]:
            for no in so["national_objectives"]:
                rows.append((f"  {so['code']}.{no['code']} {_text(no['name'])}", no["total"]))
            for sa in so["specific_actions"]:
                rows.append((f"  {so['code']}.{sa['code']} {_text(sa['name'])}", sa["total"]))
            rows.append((f"TOTAL {so['code']} {_text(so['name'])}", so["total"]))
        rows += [
            ("Technical assistance", data["technical_assistance"]),
            ("TOTAL Special cases", data["special_cases"]),
            ("TOTAL", data["total"]),
        ]
        self.stdout.write(f"Table 1: financing plan of {data['cci']} version {data['version']}")
        for label, amount in rows:
            self.stdout.write(f"{label:<60} {display(Decimal(amount)):>18}")
        annex = data.get("annex_v")
        if annex:
            self.stdout.write(
                "Total allocations by specific objective and type of action "
                "(EU, public, private, total, rate)"
            )
            for line in annex["allocations"]:
                amounts = " ".join(
                    f"{display(Decimal(line[k])):>16}"
                    for k in ("eu_contribution", "national_public", "national_private", "total")
                )
                self.stdout.write(
                    f"{line['specific_objective']:<4} {line['type_of_action']:<34} {amounts} "
                    f"{line['co_financing_rate']:>7} %"
                )
            totals = " ".join(
                f"{display(Decimal(annex[k])):>16}"
                for k in ("eu_contribution", "national_public", "national_private", "total")
            )
            self.stdout.write(f"{'TOTAL':<39} {totals}")
            self.stdout.write(
                f"{'Appropriations by year, total':<39} {display(Decimal(annex['appropriations_total'])):>16}"
            )

    def do_validate(self, options: dict[str, Any]) -> None:
        version = self._version(options["cci"], options["number"])
        document, catalogue = selectors.version_document(version), selectors.version_catalogue(version)
        findings = [
            f.as_dict()
            for f in validate_document(document, catalogue, selectors.version_intervention_catalogue(version))
        ]
        if options["fmt"] == "json":
            self._json(findings)
        else:
            self.stdout.write(f"Validation of {version.programme.cci} version {version.number}")
            for f in findings:
                self._finding(f)
        errors = sum(1 for f in findings if f["severity"] == Severity.ERROR)
        if errors:  # a non-zero exit, so that scripts notice; warnings and info alone exit 0
            raise CommandError(f"{version.programme.cci} version {version.number} has {errors} error(s).")

    def do_diff(self, options: dict[str, Any]) -> None:
        old = self._version(options["cci"], options["v1"])
        new = self._version(options["cci"], options["v2"])
        changes = diff(
            selectors.version_document(old),
            selectors.version_document(new),
            selectors.initial_document(old.programme, old.number),
        )
        data = {
            "cci": options["cci"],
            "from_version": old.number,
            "to_version": new.number,
            "needs_new_decision": needs_new_decision(changes),
            "changes": [c.as_dict() for c in changes],
        }
        if options["fmt"] == "json":
            return self._json(data)
        self.stdout.write(f"{options['cci']}: version {old.number} -> {new.number}, {len(changes)} change(s)")
        for c in changes:
            flag = "DECISION" if c.needs_decision else "no decision"
            self.stdout.write(f"[{flag}] {c.path}: {str(c.before)[:60]!r} -> {str(c.after)[:60]!r}")
        self.stdout.write(
            "A new Commission decision is needed."
            if data["needs_new_decision"]
            else "No new Commission decision is needed."
        )

    def do_list(self, options: dict[str, Any]) -> None:
        data = [
            {
                "cci": p.cci,
                "member_state": p.member_state.code,
                "fund": p.fund.code,
                "period": p.period.code,
                "title": p.title,
                "versions": [
                    {"number": v.number, "status": v.status}
                    for v in sorted(p.versions.all(), key=lambda v: v.number)
                ],
            }
            for p in selectors.programme_list().prefetch_related("versions")
        ]
        if options["fmt"] == "json":
            return self._json(data)
        for p in data:
            versions = ", ".join(f"v{v['number']} {v['status']}" for v in p["versions"])
            self.stdout.write(f"{p['cci']}  {p['fund']} {p['period']}  {_text(p['title'])}  [{versions}]")
