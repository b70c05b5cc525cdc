"""Reads for double funding: a call's flags, and which of its applications still have one open."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from amis.accounts.roles import Role
from amis.calls.models import Call
from amis.integrity.models import DoubleFundingFlag, NameMatchDecision, OtherFundList

# who reads the double-funding flags of every call (`integrity.view`); a delegated authority officer
# only those of the calls of their part
WHOLE_PROGRAMME_READERS = (Role.AUDITOR, Role.RA_MANAGER, Role.RA_OFFICER)


def flags_of(call: Call, *, state: str = "", reference: str = "") -> QuerySet[DoubleFundingFlag]:
    """The call's flags; `state` "open", "cleared" or "closed" (by AMIS, when the list changed);
    `reference` a part of the application's."""
    flags = DoubleFundingFlag.objects.filter(application__call=call)
    if state == "open":
        flags = flags.filter(DoubleFundingFlag.OPEN)
    elif state == "cleared":
        flags = flags.filter(cleared_at__isnull=False)
    elif state == "closed":
        flags = flags.filter(closed_at__isnull=False)
    if reference:
        flags = flags.filter(application__reference__icontains=reference)
    decision = NameMatchDecision.objects.filter(
        organisation=OuterRef("application__organisation"), name_key=OuterRef("other__name_key")
    ).values("decision")[:1]
    return (
        flags.select_related("application", "other", "cleared_by")
        .annotate(name_decision=Subquery(decision))
        .order_by("application__reference", "other__fund", "other__identifier")
    )


def open_flag_count(call: Call) -> int:
    return DoubleFundingFlag.objects.filter(DoubleFundingFlag.OPEN, application__call=call).count()


def references_with_open_flags(call: Call) -> list[str]:
    """The references of the call's applications with a flag nobody has cleared yet (ranking waits)."""
    return sorted(
        set(
            DoubleFundingFlag.objects.filter(DoubleFundingFlag.OPEN, application__call=call).values_list(
                "application__reference", flat=True
            )
        )
    )


def lists() -> QuerySet[OtherFundList]:
    """The other funds' lists, newest first, with who uploaded, confirmed and ended them."""
    return OtherFundList.objects.select_related("uploaded_by", "confirmed_by", "ended_by").order_by(
        "-uploaded_at", "-pk"
    )


def active_lists() -> QuerySet[OtherFundList]:
    return OtherFundList.objects.filter(status=OtherFundList.Status.ACTIVE).order_by("fund")
