"""The worker's run of an expenditure import (see `imports.services` for the whole story): read the
file streaming, check every row with `rules.check_line`, keep every error, spool the valid rows in
COPY format on disk, and insert them in one transaction only if the whole file is valid."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import tempfile
import time
from collections.abc import Iterator
from decimal import Decimal
from itertools import chain
from typing import IO, Any

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from amis.core import audit
from amis.core.errors import ApplicationError
from amis.core.transactions import lock_for_update
from amis.reporting import rules
from amis.reporting.imports import parse
from amis.reporting.imports.template import cost_type_aliases, header_aliases, label
from amis.reporting.models import ExpenditureImport, ExpenditureLine, Report
from amis.reporting.selectors import line_context

logger = logging.getLogger(__name__)

EDITABLE = (Report.Status.OPEN, Report.Status.RETURNED)
MAX_SIZE = 100 * 1024 * 1024
PROGRESS_EVERY = 2_000
BATCH = 5_000
NUMBER_FORMATS = ("", parse.COMMA, parse.POINT)
# the columns written by COPY, after `position` (see `_spool_line`)
COPY_FIELDS = (
    "report_id",
    "category",
    "cost_type",
    "supplier_name",
    "supplier_number",
    "supplier_key",
    "invoice_number",
    "invoice_date",
    "payment_date",
    "description",
    "amount_excl_vat",
    "amount_incl_vat",
    "vat_recoverable",
    "amount_declared",
    "units",
    "unit_cost",
    "simplified_cost",
    "credit_note_for",
    "document_name",
    "source_import_id",
    "duplicate_justification",
    "created_at",
)


def _editable(report: Report) -> None:
    if report.status not in EDITABLE:
        raise ApplicationError(
            _("Report %(number)s is %(status)s: expenditure can be imported only before it is submitted.")
            % {"number": report.number, "status": report.get_status_display()},
            code="not_editable",
        )


class _Cancelled(Exception):
    pass


def _escape(value: str) -> str:
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return value


def _unescape(value: str) -> str | None:
    if value == "\\N":
        return None
    if "\\" not in value:
        return value
    out, chars = [], iter(value)
    for c in chars:
        if c == "\\":
            nxt = next(chars, "")
            out.append({"t": "\t", "n": "\n", "r": "\r"}.get(nxt, nxt))
        else:
            out.append(c)
    return "".join(out)


def _opt(value: Any) -> str:
    return "\\N" if value is None else str(value)


def _spool_line(
    line: rules.LineInput,
    declared: Decimal,
    unit_cost: Decimal | None,
    report_id: int,
    import_id: int,
    now: str,
) -> str:
    """The line in COPY text format, in COPY_FIELDS order (`position` is put in front at insert)."""
    return "\t".join(
        (
            str(report_id),
            _escape(line.category),
            line.cost_type,
            _escape(line.supplier_name),
            _escape(line.supplier_number),
            _escape(rules.supplier_key(line.supplier_number, line.supplier_name)),
            _escape(line.invoice_number),
            _opt(line.invoice_date),
            _opt(line.payment_date),
            _escape(line.description),
            _opt(line.amount_excl_vat),
            _opt(line.amount_incl_vat),
            "t" if line.vat_recoverable else "f",
            str(declared),
            _opt(line.units),
            _opt(unit_cost),
            _escape(line.simplified_cost),
            _escape(line.credit_note_for),
            _escape(line.document_name),
            str(import_id),
            "",
            now,
        )
    )


def _progress(imp: ExpenditureImport, done: int, total: int | None = None) -> None:
    """Write progress in its own statement (autocommit: the page sees it) and honour a cancel."""
    values: dict[str, Any] = {"rows_done": done}
    if total is not None:
        values["rows_total"] = total
    ExpenditureImport.objects.filter(pk=imp.pk).update(**values)
    if ExpenditureImport.objects.filter(pk=imp.pk, cancel_requested=True).exists():
        raise _Cancelled


def import_run(import_id: int, number_format: str = "", language: str = "en") -> ExpenditureImport | None:
    """The worker's job (the caller activates `language` for the messages). Runs once: an import not
    waiting any more (done, cancelled, taken by another worker) is left alone."""
    claimed = ExpenditureImport.objects.filter(pk=import_id, status=ExpenditureImport.Status.QUEUED).update(
        status=ExpenditureImport.Status.RUNNING
    )
    imp = (
        ExpenditureImport.objects.select_related("report__project", "created_by").filter(pk=import_id).first()
    )
    if imp is None or not claimed:
        return imp
    started = time.perf_counter()
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8", newline="\n") as spool:
        try:
            errors, warnings, count = _read(imp, number_format, language, spool)
            logger.info(
                "Expenditure import %s: %s rows read in %.1f s",
                import_id,
                count,
                time.perf_counter() - started,
            )
        except _Cancelled:
            return _finish(imp, ExpenditureImport.Status.CANCELLED, "cancel", rows_done=None)
        except (parse.FileError, ApplicationError) as error:
            errors, warnings, count = [{"row": None, "column": "", "field": "", "message": str(error)}], [], 0
        except Exception:
            logger.exception("Expenditure import %s failed", import_id)
            message = _(
                "AMIS could not finish reading this file; nothing was saved. Try again or tell the authority."
            )
            errors, warnings, count = [{"row": None, "column": "", "field": "", "message": message}], [], 0
        if errors:
            return _finish(
                imp,
                ExpenditureImport.Status.FAILED,
                "import",
                errors=errors,
                warnings=warnings,
                rows_done=count,
            )
        if ExpenditureImport.objects.filter(pk=imp.pk, cancel_requested=True).exists():
            return _finish(imp, ExpenditureImport.Status.CANCELLED, "cancel", rows_done=count)
        try:
            inserting = time.perf_counter()
            done = _insert(imp, spool, count, warnings)
            logger.info(
                "Expenditure import %s: %s lines inserted in %.1f s",
                import_id,
                count,
                time.perf_counter() - inserting,
            )
            return done
        except _CancelledLate:
            return _finish(imp, ExpenditureImport.Status.CANCELLED, "cancel", rows_done=count)
        except ApplicationError as error:
            problem = [{"row": None, "column": "", "field": "", "message": str(error)}]
            return _finish(imp, ExpenditureImport.Status.FAILED, "import", errors=problem, rows_done=count)
        except Exception:
            logger.exception("Expenditure import %s: the insert failed", import_id)
            message = _("AMIS could not save the lines of this file; nothing was saved. Tell the authority.")
            problem = [{"row": None, "column": "", "field": "", "message": message}]
            return _finish(imp, ExpenditureImport.Status.FAILED, "import", errors=problem, rows_done=count)


def _rows(
    imp: ExpenditureImport, handle: IO[bytes]
) -> tuple[int | None, Iterator[tuple[int, list[Any]]], dict[str, str]]:
    head = handle.read(8)
    handle.seek(0)
    if parse.sniff_kind(imp.name, head) == "xlsx":
        return parse.xlsx_rows(handle)
    total = parse.count_csv_rows(handle)
    handle.seek(0)
    meta: dict[str, str] = {}
    return total, parse.csv_rows(handle, meta), meta


def _read(
    imp: ExpenditureImport, number_format: str, language: str, spool: IO[str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], int]:
    report = imp.report
    if report.status not in EDITABLE:
        _editable(report)
    context = line_context(report)
    remaining = dict(context.remaining)
    context = dataclasses.replace(context, remaining=remaining)
    cost_types = cost_type_aliases()
    errors: list[dict[str, Any]] = []
    warnings: list[dict[str, Any]] = []
    now = timezone.now().isoformat()
    count = 0
    with imp.file.open("rb") as handle:
        total, rows, meta = _rows(imp, handle)
        header, pending = parse.read_header(rows, header_aliases())
        chosen = (
            number_format
            or (meta.get("number_format") if meta.get("number_format") in (parse.COMMA, parse.POINT) else "")
            or (parse.format_for(header.language) if header.language else "")
            or (parse.COMMA if meta.get("separator") == ";" else "")
            or parse.format_for(language)
        )
        if total is not None:
            total = max(0, total - header.data_starts + 1) if header.data_starts else 0
        _progress(imp, 0, total)

        def column(field: str) -> str:
            return header.names.get(field) or label(field)

        for number, cells in chain([pending] if pending else [], rows):
            result = parse.read_row(number, cells, header, chosen, cost_types)
            if result is None:
                continue
            count += 1
            if count % PROGRESS_EVERY == 0:
                _progress(imp, count)
            if result.line is None:
                errors.extend(
                    {"row": number, "column": column(f), "field": f, "message": m}
                    for f, m in result.problems.items()
                )
                continue
            line = result.line
            check = rules.check_line(line, context)
            if check.problems:
                errors.extend(
                    {"row": number, "column": column(f), "field": f, "message": m}
                    for f, m in check.problems.items()
                )
                continue
            for f, m in check.warnings.items():
                warnings.append({"row": number, "column": column(f), "field": f, "message": m})
            declared = check.amount_declared
            assert declared is not None
            if line.category in remaining:
                remaining[line.category] -= declared
            if not errors:
                option = context.simplified_costs.get(line.simplified_cost)
                unit_cost = option.amount if option is not None and line.cost_type == rules.UNIT else None
                spool.write(_spool_line(line, declared, unit_cost, report.pk, imp.pk, now))
                spool.write("\n")
    if count == 0 and not errors:
        errors.append(
            {"row": None, "column": "", "field": "", "message": _("The file has no expenditure line.")}
        )
    return errors, warnings, count


def _finish(
    imp: ExpenditureImport,
    status: str,
    action: str,
    *,
    errors: list[dict[str, Any]] | None = None,
    warnings: list[dict[str, Any]] | None = None,
    rows_done: int | None,
) -> ExpenditureImport:
    with transaction.atomic():
        imp = lock_for_update(ExpenditureImport.objects.select_related("report__project", "created_by")).get(
            pk=imp.pk
        )
        imp.status = status
        imp.finished_at = timezone.now()
        imp.errors = errors or []
        imp.warnings = warnings or []
        if rows_done is not None:
            imp.rows_done = rows_done
        imp.save()
        audit.record(
            actor=imp.created_by,
            action=action,
            obj=imp,
            after={"status": status, "rows": imp.rows_done, "errors": len(imp.errors), "sha256": imp.sha256},
        )
    return imp


def _spooled(spool: IO[str]) -> Iterator[str]:
    spool.seek(0)
    yield from spool


def _insert(
    imp: ExpenditureImport, spool: IO[str], count: int, warnings: list[dict[str, Any]]
) -> ExpenditureImport:
    with transaction.atomic():
        report = lock_for_update(Report.objects.select_related("project")).get(pk=imp.report_id)
        _editable(report)
        imp = lock_for_update(ExpenditureImport.objects.select_related("created_by")).get(pk=imp.pk)
        if imp.cancel_requested:
            raise _CancelledLate
        start = (ExpenditureLine.objects.filter(report=report).aggregate(m=Max("position"))["m"] or 0) + 1
        began = time.perf_counter()
        if connection.vendor == "postgresql":
            created = _copy(spool, start)
        else:
            created = _bulk(spool, start)
        logger.info(
            "Expenditure import %s: %s lines written in %.1f s", imp.pk, created, time.perf_counter() - began
        )
        imp.status = ExpenditureImport.Status.DONE
        imp.finished_at = timezone.now()
        imp.rows_done = count
        imp.lines_created = created
        imp.errors = []
        imp.warnings = warnings
        imp.save()
        report.lock_version += 1
        report.save(update_fields=["lock_version"])
        began = time.perf_counter()
        flagged = flag_duplicates(report)
        logger.info(
            "Expenditure import %s: duplicates flagged in %.1f s", imp.pk, time.perf_counter() - began
        )
        audit.record(
            actor=imp.created_by,
            action="import",
            obj=imp,
            after={
                "status": imp.status,
                "report": report.pk,
                "lines_created": created,
                "positions": [start, start + created - 1],
                "warnings": len(warnings),
                "duplicates_flagged": flagged,
                "sha256": imp.sha256,
            },
        )
    return imp


class _CancelledLate(ApplicationError):
    def __init__(self) -> None:
        super().__init__(_("The import was cancelled; nothing was saved."), code="cancelled")


def flag_duplicates(report: Report) -> int:
    """The same invoice declared twice, flagged in the import's transaction (one rule for typed and
    imported lines: `reporting.services.flag_duplicates`)."""
    from amis.reporting import services as reporting_services

    return int(reporting_services.flag_duplicates(report))


def _copy(spool: IO[str], start: int) -> int:
    table = connection.ops.quote_name(ExpenditureLine._meta.db_table)
    fields = {f.attname: str(f.column) for f in ExpenditureLine._meta.concrete_fields}
    columns = ", ".join(connection.ops.quote_name(fields[f]) for f in ("position", *COPY_FIELDS))
    created = 0
    buffer: list[str] = []
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for line in _spooled(spool):
            buffer.append(f"{start + created}\t{line}")
            created += 1
            if len(buffer) == BATCH:
                copy.write("".join(buffer))
                buffer.clear()
        if buffer:
            copy.write("".join(buffer))
    return created


def _bulk(spool: IO[str], start: int) -> int:
    created = 0
    batch: list[ExpenditureLine] = []
    for text in _spooled(spool):
        values = dict(zip(COPY_FIELDS, (_unescape(v) for v in text.rstrip("\n").split("\t")), strict=True))
        values["vat_recoverable"] = values["vat_recoverable"] == "t"  # type: ignore[assignment]
        values["created_at"] = dt.datetime.fromisoformat(str(values["created_at"]))  # type: ignore[assignment]
        for key in ("invoice_date", "payment_date"):
            if values[key] is not None:
                values[key] = dt.date.fromisoformat(str(values[key]))  # type: ignore[assignment]
        batch.append(ExpenditureLine(position=start + created, **values))  # type: ignore[misc]
        created += 1
        if len(batch) == BATCH:
            ExpenditureLine.objects.bulk_create(batch)
            batch.clear()
    if batch:
        ExpenditureLine.objects.bulk_create(batch)
    return created


__all__ = ["EDITABLE", "PROGRESS_EVERY", "import_run"]
