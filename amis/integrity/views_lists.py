"""The other funds' project lists: upload one, follow the worker's read, read every error and
warning before confirming, replace, discard or delete (officers who manage selection)."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amis.accounts.permissions import check, require
from amis.core.errors import ApplicationError
from amis.core.http import error_message, error_status
from amis.core.spreadsheet import csv_row
from amis.integrity import lists, selectors
from amis.integrity.models import OtherFundList

SHOWN_ERRORS = 50
L = OtherFundList.Status
RUNNING = (L.QUEUED, L.READING)
FORMATS = [
    ("", gettext_lazy("as written (amounts that can be read two ways are refused)")),
    ("comma", gettext_lazy("decimal comma, e.g. 1.234,56 or 1 234,56")),
    ("point", gettext_lazy("decimal point, e.g. 1,234.56")),
]


def ranges(rows: list[int]) -> str:
    """2, 3, 4, 7 -> '2–4, 7': the rows of a warning, short."""
    parts: list[str] = []
    start = prev = None
    for row in rows:
        if prev is not None and row == prev + 1:
            prev = row
            continue
        if start is not None:
            parts.append(str(start) if start == prev else f"{start}–{prev}")
        start = prev = row
    if start is not None:
        parts.append(str(start) if start == prev else f"{start}–{prev}")
    return ", ".join(parts)


def _list_or_404(pk: int) -> OtherFundList:
    upload = OtherFundList.objects.select_related(
        "uploaded_by", "confirmed_by", "ended_by", "replaces"
    ).filter(pk=pk)
    found = upload.first()
    if found is None:
        raise Http404(_("No such list."))
    return found


@login_required
def list_index(request: HttpRequest) -> HttpResponse:
    # reading is `integrity.view` (the audit authority too); importing a list `selection.manage`
    require(request.user, "selection.manage" if request.method == "POST" else "integrity.view")
    error, status = None, 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise ApplicationError(_("Choose the project list to import."))
            created = lists.list_upload(
                actor=request.user,
                fund=request.POST.get("fund", ""),
                name=upload.name or "",
                data=upload,
                number_format=request.POST.get("number_format", ""),
                language=get_language() or "en",
            )
            return redirect("integrity:list", created.pk)
        except (ApplicationError, PermissionDenied) as exc:
            error, status = error_message(exc), error_status(exc)
    return render(
        request,
        "integrity/lists.html",
        {
            "lists": selectors.lists()[:100],
            "formats": FORMATS,
            "funds": lists.FUNDS,
            "error": error,
            "chosen": request.POST if request.method == "POST" else {},
            "may_manage": check(request.user, "selection.manage").allowed,
        },
        status=status,
    )


def _context(upload: OtherFundList, **extra: Any) -> dict[str, Any]:
    warnings = [dict(w, shown_rows=ranges(w["rows"])) for w in upload.warnings]
    done = upload.rows_done or 0
    total = upload.rows_total or 0
    return {
        "upload": upload,
        "running": upload.status in RUNNING,
        # a CSV's lines are counted before the read: a quoted line break makes the total one too many
        "percent": 100 if upload.status not in RUNNING else (min(99, done * 100 // total) if total else 0),
        "errors": upload.errors[:SHOWN_ERRORS],
        "more_errors": max(0, len(upload.errors) - SHOWN_ERRORS),
        "warnings": warnings,
        "active": selectors.active_lists().filter(fund=upload.fund).exclude(pk=upload.pk).first(),
        **extra,
    }


@login_required
def list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "integrity.view")
    upload = _list_or_404(pk)
    context = _context(upload, may_manage=check(request.user, "selection.manage").allowed)
    if request.headers.get("HX-Request") == "true":
        return render(request, "integrity/_list_status.html", context)
    return render(request, "integrity/list.html", context)


@login_required
@require_POST
def list_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    require(request.user, "selection.manage")
    upload = _list_or_404(pk)
    try:
        lock = int(request.POST.get("lock_version", ""))
    except ValueError:
        lock = -1
    try:
        if action == "confirm":
            lists.list_confirm(actor=request.user, upload=upload, expected_lock_version=lock)
        elif action == "discard":
            lists.list_discard(actor=request.user, upload=upload, expected_lock_version=lock)
        elif action == "delete":
            lists.list_delete(
                actor=request.user,
                upload=upload,
                expected_lock_version=lock,
                reason=request.POST.get("reason", ""),
            )
        else:
            raise Http404(_("No such action."))
    except (ApplicationError, PermissionDenied) as exc:
        context = _context(_list_or_404(pk), error=error_message(exc), may_manage=True)
        return render(request, "integrity/list.html", context, status=error_status(exc))
    return redirect("integrity:list", pk)


@login_required
def list_problems(request: HttpRequest, pk: int) -> HttpResponse:
    """Every error, and every warning with its rows, as CSV (the page shows the first 50 errors)."""
    require(request.user, "integrity.view")
    upload = _list_or_404(pk)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_("Kind"), _("Row"), _("Column"), _("Message")])
    for e in upload.errors:
        writer.writerow(csv_row([_("error"), e["row"], e["column"], e["message"]]))
    for w in upload.warnings:
        for row in w["rows"]:
            writer.writerow(csv_row([_("warning"), row, w["column"], w["message"]]))
        if w["count"] > len(w["rows"]):
            more = _("and %(n)s more rows") % {"n": w["count"] - len(w["rows"])}
            writer.writerow(csv_row([_("warning"), more, w["column"], w["message"]]))
    response = HttpResponse(("\ufeff" + out.getvalue()).encode(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="list-{upload.pk}-problems.csv"'
    return response
