"""Importing a file of expenditure lines into a report: the upload (stored with its SHA-256, the
worker's task queued), the worker's run, and cancelling.

The run reads the file once, streaming (`imports.parse`), and checks every row with the one rule
`reporting.rules.check_line` against the report's `line_context`; the remaining budget of each
category goes down with every line of the file, so a line above what the earlier lines left gets a
warning. Every error is kept (row as in the file, column, message). Valid rows go to a temporary
file on disk, already in PostgreSQL's COPY text format, so memory stays flat whatever the file's
size. Progress and the cancel flag are read and written every `PROGRESS_EVERY` rows in their own
short statements (the page polls them). Only when the whole file is valid are the lines inserted:
in ONE transaction, with `COPY` on PostgreSQL (else `bulk_create` in batches of 5,000), positions
after the report's existing lines, one audit entry for the import, the report's lock version bumped,
and the same invoices flagged. A file with one bad row saves nothing. Imports append; they never
replace the report's lines.
"""

from __future__ import annotations

import hashlib
from pathlib import PurePath
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amis.core import audit
from amis.core.errors import ApplicationError
from amis.core.transactions import atomic, lock_for_update
from amis.projects.scope import require_project
from amis.reporting.imports import parse
from amis.reporting.imports.run import EDITABLE, MAX_SIZE, NUMBER_FORMATS, _editable, import_run
from amis.reporting.models import ExpenditureImport, Report


@atomic
def import_start(
    *, actor: Any, report: Report, upload: Any, number_format: str = "", language: str = "en"
) -> ExpenditureImport:
    """Store the uploaded file with its checksum and queue its import; the worker runs it.

    `number_format`: `comma`, `point` or "" (the file's language, else `language`)."""
    require_project(actor, report.project, "report.edit")
    report = lock_for_update(Report.objects.select_related("project")).get(pk=report.pk)
    _editable(report)
    if number_format not in NUMBER_FORMATS:
        raise ApplicationError(_("Unknown number format '%(f)s'.") % {"f": number_format})
    if upload is None:
        raise ApplicationError(_("Choose a CSV or Excel file to import."))
    name = PurePath((upload.name or "").replace("\\", "/")).name.strip()[:200] or "expenditure.csv"
    if not name.lower().endswith((".csv", ".xlsx", ".txt")):
        raise ApplicationError(_("'%(name)s': import a .csv or .xlsx file.") % {"name": name})
    size = getattr(upload, "size", None) or 0
    if size > MAX_SIZE:
        raise ApplicationError(_("The file is larger than 100 MB."))
    digest = hashlib.sha256()
    head = b""
    for chunk in upload.chunks():
        if not head:
            head = chunk[:65536]
        digest.update(chunk)
    if not head:
        raise ApplicationError(_("'%(name)s' is empty.") % {"name": name})
    try:
        kind = parse.sniff_kind(name, head)
        if kind == "csv":
            parse.decode_check(head)
    except parse.FileError as error:
        raise ApplicationError(str(error)) from error
    sha256 = digest.hexdigest()
    upload.seek(0)
    imp = ExpenditureImport(report=report, name=name, sha256=sha256, created_by=actor)
    imp.file.save(f"{sha256[:16]}-{name}", File(upload), save=False)
    imp.save()
    audit.record(
        actor=actor,
        action="create",
        obj=imp,
        after={"name": name, "sha256": sha256, "size": size, "kind": kind, "number_format": number_format},
    )
    pk = imp.pk

    def enqueue() -> None:
        from amis.reporting.imports.tasks import run_expenditure_import

        run_expenditure_import.enqueue(pk, number_format, language)

    transaction.on_commit(enqueue)
    return imp


@atomic
def import_cancel(*, actor: Any, imp: ExpenditureImport) -> ExpenditureImport:
    """Ask the worker to stop (it does at its next progress point and saves nothing); an import still
    waiting is cancelled at once."""
    require_project(actor, imp.report.project, "report.edit")
    imp = lock_for_update(ExpenditureImport.objects.select_related("report__project")).get(pk=imp.pk)
    if imp.status not in (ExpenditureImport.Status.QUEUED, ExpenditureImport.Status.RUNNING):
        raise ApplicationError(
            _("This import is already finished (%(status)s).") % {"status": imp.get_status_display()},
            code="finished",
        )
    imp.cancel_requested = True
    if imp.status == ExpenditureImport.Status.QUEUED:
        imp.status = ExpenditureImport.Status.CANCELLED
        imp.finished_at = timezone.now()
    imp.save(update_fields=["cancel_requested", "status", "finished_at"])
    audit.record(actor=actor, action="cancel", obj=imp, after={"status": imp.status})
    return imp


__all__ = ["EDITABLE", "PermissionDenied", "import_cancel", "import_run", "import_start"]
