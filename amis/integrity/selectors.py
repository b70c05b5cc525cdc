"""Reads for double funding: a call's flags, and which of its applications still have one open."""

from __future__ import annotations

from django.db.models import QuerySet

from amis.calls.models import Call
from amis.integrity.models import DoubleFundingFlag


def flags_of(call: Call) -> QuerySet[DoubleFundingFlag]:
    return (
        DoubleFundingFlag.objects.filter(application__call=call)
        .select_related("application", "other", "cleared_by")
        .order_by("application__reference", "other__fund", "other__identifier")
    )


def references_with_open_flags(call: Call) -> list[str]:
    """The references of the call's applications with a flag nobody has cleared yet (ranking waits)."""
    return sorted(
        set(
            DoubleFundingFlag.objects.filter(application__call=call, cleared_at__isnull=True).values_list(
                "application__reference", flat=True
            )
        )
    )
