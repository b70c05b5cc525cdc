"""What the application stage adds to the call page (`amis.core.pages`): starting an application,
and the call's applications for those who may list them (the first ones; the list page filters)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from amis.accounts.permissions import check
from amis.applications import selectors
from amis.applications.forms import ApplyForm
from amis.calls.models import Call
from amis.core import pages

SHOWN = 50


def apply_part(request: HttpRequest, call: Call) -> dict[str, Any] | None:
    if call.status != Call.Status.PUBLISHED:
        return None
    organisations = selectors.applicant_organisations(request.user)
    if not organisations:
        return None
    return {"can_apply": True, "apply_form": ApplyForm(organisations=organisations)}


def applications_part(request: HttpRequest, call: Call) -> dict[str, Any] | None:
    if not check(request.user, "application.list").allowed:
        return None
    return {
        # the first rows only: a big call has thousands; the full, filtered list is one link away
        "applications": list(
            call.applications.select_related("organisation")
            .only("reference", "title", "status", "call", "organisation__name")
            .order_by("reference")[:SHOWN]
        ),
        "shown": SHOWN,
    }


def register() -> None:
    pages.register("call", "main", 10, "applications/_call_apply.html", apply_part)
    pages.register("call", "main", 30, "applications/_call_applications.html", applications_part)
