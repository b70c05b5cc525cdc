"""A confirmation step before an irreversible step, without JavaScript (the CSP forbids inline
scripts): the first POST shows a page saying what will happen and whether it can be undone, with the
same fields and `confirm=yes`; only that second POST does it."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def confirmed(request: HttpRequest) -> bool:
    return request.POST.get("confirm") == "yes"


def confirm_page(
    request: HttpRequest,
    *,
    title: str,
    what: Iterable[str],
    undo: str,
    yes: str,
    back: str,
    fields: Iterable[str] = (),
    action: str = "",
    values: dict[str, str] | None = None,
) -> HttpResponse:
    """The page that asks; `fields` are the names of the posted fields sent again with the answer
    (`values` adds others), to `action` (by default the address that was posted to)."""
    return render(
        request,
        "core/confirm.html",
        {
            "title": title,
            "what": list(what),
            "undo": undo,
            "yes": yes,
            "back": back,
            "action": action or request.path,
            "fields": [(name, value) for name in fields for value in request.POST.getlist(name)]
            + list((values or {}).items()),
        },
    )
