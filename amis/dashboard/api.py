"""The programme dashboard in the REST API (issue 17 §1), for the authorities' own systems: the same
rows as the pages — specific objectives, their groups, the calls under each, a call's projects —
with every amount as a decimal string in euro, exact to the cent. Same scope and filters as the
pages (`call`, `authority`, `beneficiary_kind`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from amis.accounts.api_auth import AUTHENTICATED
from amis.accounts.permissions import require, roles_text
from amis.core.errors import ApplicationError
from amis.dashboard import freshness, rules, selectors
from amis.dashboard.rules import Figures
from amis.dashboard.selectors import Filters, Row
from amis.dashboard.views import BENEFICIARY_KINDS
from amis.programme.models import Programme

router = Router(tags=["dashboard"], auth=AUTHENTICATED)


def _figures(figures: Figures) -> dict[str, Any]:
    return {
        **{key: str(getattr(figures, key)) for key in rules.MONEY},
        "calls": figures.calls,
        "projects": figures.projects,
    }


def _row(row: Row, children: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {
        "key": row.key,
        "name": row.label,
        "planned": None if row.planned is None else str(row.planned),
        "absorption": None if row.absorption is None else str(row.absorption),
        **_figures(row.figures),
    }
    if children:
        out[children] = [_row(c, "calls" if children == "groups" else "") for c in row.children]
    return out


def _filters(call: str, authority: int | None, beneficiary_kind: str) -> Filters:
    kinds = {k.value for k in BENEFICIARY_KINDS}
    if authority is not None and not 0 < authority < 2**31:  # an id, never a number the database refuses
        raise ApplicationError(_("No such managing authority."))
    return Filters(
        call=call[:40],
        authority=authority,
        beneficiary_kind=beneficiary_kind if beneficiary_kind in kinds else "",
    )


@router.get(
    "/dashboard/{cci}",
    summary="A programme's money per specific objective, group and call",
    description=roles_text("dashboard.view")
    + " Amounts in euro as decimal strings; `absorption` is paid / planned as a fraction.",
)
def programme_dashboard(
    request: HttpRequest, cci: str, call: str = "", authority: int | None = None, beneficiary_kind: str = ""
) -> dict[str, Any]:
    require(request.user, "dashboard.view")
    programme = Programme.objects.filter(cci=cci).first()
    if programme is None:
        raise Http404(_("No such programme."))
    if not selectors.may_read(request.user, programme):
        raise PermissionDenied(_("This programme is not in your part of the programme."))
    board = selectors.programme_dashboard(
        request.user, programme, _filters(call, authority, beneficiary_kind), freshness.current(programme)
    )
    return {
        "programme": programme.cci,
        "version": board.version.number if board.version else None,
        "as_of": board.as_of.isoformat(),
        "behind": board.behind,
        "specific_objectives": [_row(o, "groups") for o in board.objectives],
        "total": _row(board.total),
        "indicators": [
            {
                key: (
                    str(value)
                    if isinstance(value, Decimal)
                    else {k: str(v) for k, v in value.items()}
                    if key == "breakdown"
                    else value
                )
                for key, value in i.items()
            }
            for i in board.indicators
        ],
        "decommitment": [
            {
                key: (
                    str(value)
                    if isinstance(value, Decimal)
                    else value.isoformat()
                    if key == "deadline" and value
                    else value
                )
                for key, value in y.items()
            }
            for y in board.decommitment
        ],
        "per_year": [
            {key: (str(value) if value is not None and key != "year" else value) for key, value in y.items()}
            for y in board.years
        ],
    }


@router.get(
    "/dashboard/calls/{code}",
    summary="A call's projects with their money",
    description=roles_text("dashboard.view"),
)
def call_dashboard(request: HttpRequest, code: str, beneficiary_kind: str = "") -> dict[str, Any]:
    require(request.user, "dashboard.view")
    found = selectors.call_in_scope(request.user, code)
    if found is None:
        raise Http404(_("No such call."))
    rows, figures = selectors.call_projects(request.user, found, _filters("", None, beneficiary_kind))
    return {
        "call": found.code,
        "total": _figures(figures),
        "projects": [{"reference": r.key, "beneficiary": r.label, **_figures(r.figures)} for r in rows],
    }
