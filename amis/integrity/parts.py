"""What the double-funding check adds to the call page (`amis.core.pages`): the way to it, for the
officers who run it, once the call is out of draft."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from amis.accounts.permissions import check
from amis.calls.models import Call
from amis.core import pages


def double_funding_part(request: HttpRequest, call: Call) -> dict[str, Any] | None:
    if call.status == Call.Status.DRAFT or not check(request.user, "integrity.view").allowed:
        return None
    return {"can_check_double_funding": True}


def register() -> None:
    pages.register("call", "main", 20, "integrity/_call_double_funding.html", double_funding_part)
