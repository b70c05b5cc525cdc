"""The worker's read of an uploaded list (see `integrity.lists` for the whole story): every row
checked by `rules.read_projects`, every error kept, warnings grouped; a list with an error is
refused and nothing of it stored, else its projects are stored, unused until it is confirmed."""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from amis.core import audit
from amis.core.transactions import lock_for_update
from amis.integrity.models import OtherFundList, OtherFundProject
from amis.integrity.rules import names, read_projects, records
from amis.integrity.rules.records import grouped

L = OtherFundList.Status
BATCH = 5_000


def list_read(pk: int) -> OtherFundList | None:
    """The worker's read of one uploaded list: refused with all its errors, or read and waiting for
    the officer with its projects stored (unused until confirmed) and its warnings grouped."""
    with transaction.atomic():
        upload = lock_for_update(OtherFundList.objects).filter(pk=pk, status=L.QUEUED).first()
        if upload is None:
            return None
        upload.status = L.READING
        upload.save(update_fields=["status"])
    with upload.file.open("rb") as handle:
        data = handle.read()
    result = read_projects(data, upload.name, upload.fund, upload.number_format)
    with transaction.atomic():
        upload = lock_for_update(OtherFundList.objects).get(pk=pk)
        upload.errors = [{"row": e.row, "column": e.column, "message": e.message} for e in result.errors]
        upload.warnings = [
            {"column": g.column, "message": g.message, "rows": list(g.rows), "count": g.count}
            for g in grouped(result.warnings)
        ]
        upload.rows_total = upload.rows_done = len(result.projects) + len(result.errors)
        upload.finished_at = timezone.now()
        if result.errors:
            upload.status = L.REFUSED
        else:
            upload.status = L.READ
            upload.projects_count = len(result.projects)
            upload.matchable_count = sum(
                1 for p in result.projects if p.enterprise_number or p.beneficiary_name
            )
            _store(upload, result.projects)
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


def _values(upload: OtherFundList, p: records.OtherFundProject, now: Any) -> tuple[Any, ...]:
    return (
        upload.pk, p.source_row, upload.fund, p.beneficiary_name, names.name_key(p.beneficiary_name),
        p.enterprise_number or "", p.identifier, p.title, p.description, p.start, p.end, p.total_cost,
        p.eu_amount, upload.uploaded_by_id, now,
    )  # fmt: skip


def _store(upload: OtherFundList, projects: list[records.OtherFundProject]) -> None:
    """The list's projects in one go: COPY on PostgreSQL (200,000 rows in a few seconds), bulk
    inserts of 5,000 elsewhere; inside the caller's transaction, so a failure stores nothing."""
    now = timezone.now()
    if connection.vendor == "postgresql":
        fields = {f.attname: str(f.column) for f in OtherFundProject._meta.concrete_fields}
        columns = ", ".join(connection.ops.quote_name(fields[c]) for c in _COLUMNS)
        table = connection.ops.quote_name(OtherFundProject._meta.db_table)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for p in projects:
                copy.write_row(_values(upload, p, now))
        return
    OtherFundProject.objects.bulk_create(
        (OtherFundProject(**dict(zip(_COLUMNS, _values(upload, p, now), strict=True))) for p in projects),
        batch_size=BATCH,
    )
