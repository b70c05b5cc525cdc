"""The worker's read of an uploaded list (see `integrity.lists` for the whole story): every row
checked by `rules.read_projects`, every error kept, warnings grouped; a list with an error is
refused and nothing of it stored, else its projects are stored, unused until it is confirmed."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from amis.core import audit
from amis.core.transactions import lock_for_update
from amis.integrity.models import OtherFundList, OtherFundProject
from amis.integrity.rules import names, read_projects
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
                1 for p in result.projects if p.enterprise_number or names.name_key(p.beneficiary_name)
            )
            rows = (
                OtherFundProject(
                    source_list=upload,
                    source_row=p.source_row,
                    fund=upload.fund,
                    beneficiary_name=p.beneficiary_name,
                    name_key=names.name_key(p.beneficiary_name),
                    enterprise_number=p.enterprise_number or "",
                    identifier=p.identifier,
                    title=p.title,
                    description=p.description,
                    start=p.start,
                    end=p.end,
                    total_cost=p.total_cost,
                    eu_amount=p.eu_amount,
                    imported_by_id=upload.uploaded_by_id,
                )
                for p in result.projects
            )
            OtherFundProject.objects.bulk_create(rows, batch_size=BATCH)
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
