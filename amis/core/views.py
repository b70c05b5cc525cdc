"""Audit trail pages: history of an object, of a person, and a period search with exports."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from amis.accounts.models import User
from amis.accounts.permissions import check, require
from amis.core import export
from amis.core.audit import record_security_event
from amis.core.selectors import audit_entries

# Object types whose history may be read by whoever may see the object, not only by auditors.
OBJECT_VIEW_ACTION = {"organisations.Organisation": "organisation.view"}


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _page(request: HttpRequest, entries: object) -> object:
    return Paginator(entries, 50).get_page(request.GET.get("page"))  # type: ignore[arg-type]


def object_history(request: HttpRequest, object_type: str, object_id: str) -> HttpResponse:
    """An object's history follows the object's own access rules; personal data needs audit rights."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError) as exc:
        raise Http404(_("No such kind of object.")) from exc
    obj = model.objects.filter(pk=object_id).first()
    if obj is None:
        raise Http404(_("No such object."))
    action = OBJECT_VIEW_ACTION.get(object_type)
    if action is None or not check(request.user, "audit.view").allowed:
        require(request.user, action or "audit.view", obj)
    entries = audit_entries(object_type=object_type, object_id=str(object_id))
    return render(
        request,
        "audit/history.html",
        {
            "title": _("History of %(object)s") % {"object": obj},
            "page_obj": _page(request, entries),
            "export_query": f"object_type={object_type}&object_id={object_id}",
            "can_export": check(request.user, "audit.export").allowed,
        },
    )


def person_history(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "audit.view")
    person = User.objects.filter(pk=pk).first()
    if person is None:
        raise Http404(_("No such person."))
    return render(
        request,
        "audit/history.html",
        {
            "title": _("Everything %(person)s did") % {"person": person},
            "page_obj": _page(request, audit_entries(actor_id=person.pk)),
            "export_query": f"actor={person.pk}",
            "can_export": check(request.user, "audit.export").allowed,
        },
    )


def _filters(request: HttpRequest) -> dict:
    actor = request.GET.get("actor", "")
    return {
        "object_type": request.GET.get("object_type", "").strip(),
        "object_id": request.GET.get("object_id", "").strip(),
        "actor_id": int(actor) if actor.isdigit() else None,
        "since": _date(request.GET.get("since")),
        "until": _date(request.GET.get("until")),
        "action": request.GET.get("action", "").strip(),
    }


def search(request: HttpRequest) -> HttpResponse:
    require(request.user, "audit.view")
    entries = audit_entries(**_filters(request))
    return render(
        request,
        "audit/search.html",
        {
            "page_obj": _page(request, entries),
            "params": request.GET,
            "export_query": request.GET.urlencode(),
            "can_export": check(request.user, "audit.export").allowed,
        },
    )


def export_trail(request: HttpRequest, fmt: str) -> HttpResponse:
    require(request.user, "audit.export")
    filters = _filters(request)
    entries = audit_entries(**filters).order_by("sequence").iterator(chunk_size=2000)
    record_security_event(
        user=request.user,
        event="export",
        detail={"what": "audit trail", "format": fmt, **{k: str(v) for k, v in filters.items() if v}},
    )
    if fmt == "csv":
        response = HttpResponse(export.to_csv(entries), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            export.to_xlsx(entries),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404(_("Unknown format."))
    response["Content-Disposition"] = f'attachment; filename="audit-trail.{fmt}"'
    return response
