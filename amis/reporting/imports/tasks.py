"""The worker's task: one expenditure import (`amis worker` runs it from the database queue)."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django_tasks import task

from amis.reporting.imports import run


@task()
def run_expenditure_import(import_id: int, number_format: str = "", language: str = "en") -> dict[str, Any]:
    """Read, check and (if the whole file is valid) insert the lines of one import, in the language
    of the person who uploaded it (for the messages of its errors)."""
    with translation.override(language or "en"):
        imp = run.import_run(import_id, number_format, language)
    if imp is None:
        return {"import": import_id, "status": "missing"}
    return {"import": imp.pk, "status": imp.status, "lines": imp.lines_created, "errors": len(imp.errors)}
