"""What the footer of every page shows: the contact address and the running version."""

from __future__ import annotations

from functools import cache
from importlib import metadata
from typing import Any

from django.conf import settings
from django.http import HttpRequest


@cache
def _version() -> str:
    try:
        return metadata.version("amis")
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "dev"


def site(request: HttpRequest) -> dict[str, Any]:
    return {"amis_site": {"version": _version(), "contact_email": settings.AMIS_CONTACT_EMAIL}}
