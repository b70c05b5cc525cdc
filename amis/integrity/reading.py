"""The worker's read of an uploaded list (see `integrity.lists` for the whole story): every row
checked by `rules.read_list`, every error kept, warnings grouped; a list with an error is refused
and nothing of it stored, else its projects are stored, unused until it is confirmed.

Constant memory and all or nothing (issue 16, 200,000 rows): the file is read streaming and each
valid project is spooled to a temporary file on disk as it is read, with no transaction open, so the
progress written every 2,000 rows (autocommit) shows on the list's page. Only when the whole file is
read without error are the spooled projects stored, in one transaction with the list's new status:
by COPY on PostgreSQL, in batches of 5,000 elsewhere. A failure stores nothing.
"""

from __future__ import annotations

import logging
import pickle
import tempfile
import time
from collections.abc import Iterator
from typing import IO, Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amis.core import audit
from amis.core.transactions import lock_for_update
from amis.integrity.models import OtherFundList, OtherFundProject
from amis.integrity.rules import names, records
from amis.integrity.rules.parse import read_list
from amis.integrity.rules.records import ProblemGroups, RowError

logger = logging.getLogger(__name__)
L = OtherFundList.Status
BATCH = 5_000
PROGRESS_EVERY = 2_000


def _progress(pk: int, done: int, total: int | None) -> None:
    """Progress in its own statement (autocommit: the page sees it at once)."""
    values: dict[str, Any] = {"rows_done": done}
    if total is not None:
        values["rows_total"] = total
    OtherFundList.objects.filter(pk=pk).update(**values)


def list_read(pk: int) -> OtherFundList | None:
    """The worker's read of one uploaded list: refused with all its errors, or read and waiting for
    the officer with its projects stored (unused until confirmed) and its warnings grouped."""
    with transaction.atomic():
        upload = lock_for_update(OtherFundList.objects).filter(pk=pk, status=L.QUEUED).first()
        if upload is None:
            return None
        upload.status = L.READING
        upload.save(update_fields=["status"])
    started = time.perf_counter()
    warnings = ProblemGroups()
    with tempfile.TemporaryFile() as spool:

        def keep(project: records.OtherFundProject) -> None:
            pickle.dump(_values(upload, project), spool, protocol=pickle.HIGHEST_PROTOCOL)

        try:
            with upload.file.open("rb") as handle:
                found = read_list(
                    handle,
                    upload.name,
                    upload.fund,
                    upload.number_format,
                    on_project=keep,
                    on_warning=warnings.add,
                    on_progress=lambda done, total: _progress(pk, done, total),
                    progress_every=PROGRESS_EVERY,
                )
        except Exception:
            logger.exception("Other fund list %s: the read failed", pk)
            message = _("AMIS could not finish reading this file; nothing was saved. Try again.")
            return _finish(pk, [RowError(0, "", message)], [], 0, 0, 0, None)
        logger.info(
            "Other fund list %s: %s projects read in %.1f s",
            pk,
            found.projects,
            time.perf_counter() - started,
        )
        groups = warnings.groups()
        if found.notice is not None:
            groups.insert(0, records.ProblemGroup(found.notice.column, found.notice.message, (0,), 1))
        if found.whole_file_refused:
            groups = []
        return _finish(pk, found.errors, groups, found.rows, found.projects, found.matchable, spool)


def _finish(
    pk: int,
    errors: list[RowError],
    warnings: list[records.ProblemGroup],
    rows: int,
    projects: int,
    matchable: int,
    spool: IO[bytes] | None,
) -> OtherFundList:
    """The list refused with its errors, or read with its projects stored: one transaction."""
    with transaction.atomic():
        upload = lock_for_update(OtherFundList.objects).get(pk=pk)
        upload.errors = [{"row": e.row, "column": e.column, "message": e.message} for e in errors]
        upload.warnings = [
            {"column": g.column, "message": g.message, "rows": list(g.rows), "count": g.count}
            for g in warnings
        ]
        upload.rows_done = upload.rows_total = rows
        upload.finished_at = timezone.now()
        if errors or spool is None:
            upload.status = L.REFUSED
        else:
            upload.status = L.READ
            upload.projects_count = projects
            upload.matchable_count = matchable
            _store(spool)
        upload.save()
        audit.record(
            actor=upload.uploaded_by,
            action="transition",
            obj=upload,
            before={"status": L.QUEUED},
            after={
                "status": upload.status,
                "projects": upload.projects_count,
                "errors": len(upload.errors),
                "warnings": sum(w["count"] for w in upload.warnings),
            },
        )
    return upload


_COLUMNS = (
    "source_list_id", "source_row", "fund", "beneficiary_name", "name_key", "enterprise_number",
    "identifier", "title", "description", "start", "end", "total_cost", "eu_amount", "imported_by_id",
    "imported_at",
)  # fmt: skip


def _values(upload: OtherFundList, p: records.OtherFundProject) -> tuple[Any, ...]:
    return (
        upload.pk, p.source_row, upload.fund, p.beneficiary_name, names.name_key(p.beneficiary_name),
        p.enterprise_number or "", p.identifier, p.title, p.description, p.start, p.end, p.total_cost,
        p.eu_amount, upload.uploaded_by_id, None,
    )  # fmt: skip


def _spooled(spool: IO[bytes]) -> Iterator[tuple[Any, ...]]:
    spool.seek(0)
    while True:
        try:
            yield pickle.load(spool)  # noqa: S301 - the worker's own spool, written just above
        except EOFError:
            return


def _store(spool: IO[bytes]) -> None:
    """The list's projects in one go: COPY on PostgreSQL (200,000 rows in a few seconds), bulk
    inserts of 5,000 elsewhere; inside the caller's transaction, so a failure stores nothing."""
    now = timezone.now()
    rows = (values[:-1] + (now,) for values in _spooled(spool))
    if connection.vendor == "postgresql":
        fields = {f.attname: str(f.column) for f in OtherFundProject._meta.concrete_fields}
        columns = ", ".join(connection.ops.quote_name(fields[c]) for c in _COLUMNS)
        table = connection.ops.quote_name(OtherFundProject._meta.db_table)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for values in rows:
                copy.write_row(values)
        return
    batch: list[OtherFundProject] = []
    for values in rows:
        batch.append(OtherFundProject(**dict(zip(_COLUMNS, values, strict=True))))
        if len(batch) == BATCH:
            OtherFundProject.objects.bulk_create(batch)
            batch = []
    if batch:
        OtherFundProject.objects.bulk_create(batch)
