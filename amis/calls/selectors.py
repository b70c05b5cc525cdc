"""Reads for calls. Applications are counted through the reverse relation of their call, so this
module needs nothing from `amis.applications` (dependencies point one way)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from amis.accounts.models import RoleAssignment
from amis.accounts.permissions import active_roles
from amis.accounts.roles import Role
from amis.calls.models import Call
from amis.programme import selectors as programme_selectors
from amis.programme.models import Indicator


def call_list(*, public: bool = False) -> list[Call]:
    """Calls with their applications counted per status in one grouped query (two queries in all,
    whatever the number of applications; bench/ measures it)."""
    calls = Call.objects.select_related("programme", "managing_organisation")
    if public:
        calls = calls.exclude(status=Call.Status.DRAFT).filter(procedure=Call.Procedure.OPEN)
    found = list(calls.order_by("-opens_at", "code"))
    _attach_counts(found)
    return found


def _attach_counts(calls: list[Call]) -> None:
    counts: dict[int, dict[str, int]] = {c.pk: {} for c in calls}
    rows = (
        Call.objects.filter(pk__in=counts, applications__isnull=False)
        .values_list("pk", "applications__status")
        .annotate(n=Count("applications"))
        .order_by()
    )
    for call_id, status, n in rows:
        counts[call_id][status] = n
    for call in calls:
        call.application_counts = counts[call.pk]  # type: ignore[attr-defined]


def application_counts(call: Call) -> dict[str, int]:
    """Applications of the call per status, only the statuses it has (what the API and CLI show)."""
    counts = getattr(call, "application_counts", None)
    if counts is None:
        _attach_counts([call])
        counts = call.application_counts  # type: ignore[attr-defined]
    return {status: n for status, n in counts.items() if n}


def call_get(code: str) -> Call | None:
    return Call.objects.select_related("programme", "managing_organisation").filter(code=code).first()


def call_with_counts(code: str) -> Call | None:
    call = call_get(code)
    if call is not None:
        _attach_counts([call])
    return call


def call_fresh(pk: int) -> Call:
    """The call as saved now, with its counts (what the API answers after a change)."""
    call = Call.objects.select_related("programme", "managing_organisation").get(pk=pk)
    _attach_counts([call])
    return call


def indicator_names(call: Call) -> dict[str, dict[str, str]]:
    """The names (by language) of the indicators a call asks applicants to plan, from the
    programme's latest version (one query): pages show names, not only codes such as C2."""
    version = programme_selectors.version_get(call.programme.cci)
    if version is None or not call.indicators:
        return {}
    rows = Indicator.objects.filter(
        specific_objective__version=version,
        specific_objective__code=call.specific_objective,
        code__in=call.indicators,
    ).values_list("code", "name")
    return {code: name or {} for code, name in rows}


def managed_calls_filter(user: Any, prefix: str = "") -> Q | None:
    """A filter for the calls this person manages, for queries on calls or on what hangs from them
    (`prefix`, e.g. "application__call__"): None means every call (the responsible authority); for a
    delegated authority officer the calls of the part delegated to them — the rule of
    `amis.calls.services.call._in_scope` (organisation, programme, specific objective; a delegation of
    one national objective covers only 2014-2020 calls of exactly that national objective); an empty
    filter matches nothing."""
    roles = active_roles(user)
    if set(roles) & {Role.RA_MANAGER, Role.RA_OFFICER}:
        return None
    found = Q(pk__in=[])
    if Role.DA_OFFICER not in roles:
        return found
    for organisation_id, programme_id, so, no in RoleAssignment.objects.filter(
        user_id=int(user.pk), role=Role.DA_OFFICER, revoked_at__isnull=True
    ).values_list("organisation_id", "programme_id", "specific_objective", "national_objective"):
        one = Q(**{f"{prefix}managing_organisation_id": organisation_id})
        if programme_id is not None:
            one &= Q(**{f"{prefix}programme_id": programme_id})
        if so:
            one &= Q(**{f"{prefix}specific_objective": so})
        if no:
            one &= Q(**{f"{prefix}type_of_action": "", f"{prefix}national_objectives": [no]})
        found |= one
    return found
