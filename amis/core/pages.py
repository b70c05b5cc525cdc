"""Pages that later stages add to, without the page's own app importing them.

The call page belongs to `calls`, the application page to `applications`; but the call page also
shows the applications, the ranking and the committee's meetings, and the application page its
eligibility check and assessments. Dependencies point one way down the life cycle
(docs/architecture.md), so `calls` cannot import `selection`. Instead each later app registers the
parts it adds, in its `AppConfig.ready()`:

    pages.register("call", "main", 30, "selection/_call_ranking.html", ranking_part)

A part's function gets the request and the page's object and returns the context its template needs
(merged into the page's context), or None when this reader has nothing to see. The page renders
the templates of each slot in order. Parts only read; writes stay in each app's views and services.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from amis.core.errors import ApplicationError
from amis.core.http import error_message, error_status

PartContext = Callable[[HttpRequest, Any], "dict[str, Any] | None"]


@dataclass(frozen=True)
class Part:
    page: str
    slot: str
    order: int
    template: str
    context: PartContext


_parts: dict[str, list[Part]] = defaultdict(list)


def register(page: str, slot: str, order: int, template: str, context: PartContext) -> None:
    """Add a part to a page (once: registering the same template again replaces it)."""
    parts = [p for p in _parts[page] if p.template != template]
    parts.append(Part(page, slot, order, template, context))
    _parts[page] = sorted(parts, key=lambda p: (p.slot, p.order, p.template))


def page_context(page: str, request: HttpRequest, obj: Any) -> dict[str, Any]:
    """The merged context of the page's parts, and `parts`: slot -> templates to include, in order."""
    context: dict[str, Any] = {}
    slots: dict[str, list[str]] = defaultdict(list)
    for part in _parts[page]:
        found = part.context(request, obj)
        if found is None:
            continue
        context.update(found)
        slots[part.slot].append(part.template)
    context["parts"] = dict(slots)
    return context


def render_page(
    request: HttpRequest,
    page: str,
    obj: Any,
    template: str,
    context: dict[str, Any],
    status: int = 200,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """Render a page with its own context, then its parts' context, then `extra` (what a view that
    refused a form puts back, e.g. the form with its errors), each overriding the one before."""
    return render(
        request, template, {**context, **page_context(page, request, obj), **(extra or {})}, status=status
    )


def form_problems(form: Any) -> str:
    """Every error of a bound form, in one line (shown above the refused form)."""
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def submit_form(
    form: Any, call: Callable[[dict[str, Any]], Any], page: Callable[..., HttpResponse], form_name: str
) -> tuple[Any, HttpResponse | None]:
    """A page's write: check `form`, then give its cleaned data to `call` (the service).

    Returns the service's result and None; or None and the page answered again with the form under
    `form_name` and the error: 400 with the form's problems, or the refusal's own status (400, 403,
    404, 409) and message. `page(status, **extra)` renders the page the form was on."""
    if not form.is_valid():
        return None, page(400, **{form_name: form, "error": form_problems(form)})
    try:
        return call(form.cleaned_data), None
    except (ApplicationError, PermissionDenied) as error:
        return None, page(error_status(error), **{form_name: form, "error": error_message(error)})
