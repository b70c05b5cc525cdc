"""The open-data list of operations as JSON, without login (CPR Art. 49(3): "open, machine-readable"):
/api/v1/public/operations, 100 a page, with the list page's filters, and one operation by its code.
Only what `selectors` publishes: withheld operations never, natural persons never named. Amounts are
decimal strings in euro, rates fractions as strings, dates ISO 8601."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema

from amis.accounts.api_auth import PUBLIC
from amis.accounts.permissions import roles_text
from amis.public import selectors

router = Router(tags=["public"])
PAGE_SIZE = 100


class OperationOut(Schema):
    code: str
    name: str
    purpose: str
    beneficiary: str
    start_date: str
    end_date: str
    total_cost: str
    eu_contribution: str
    eu_cofinancing_rate: str | None
    currency: str
    fund: str
    programming_period: str
    programme_cci: str
    specific_objective: str
    type_of_intervention: str
    postcode: str
    municipality: str
    nuts_code: str
    country_wide: bool
    location_note: str


class OperationPage(Schema):
    count: int
    page: int
    pages: int
    results: list[OperationOut]


class OperationFilters(Schema):
    q: str = ""
    period: str = ""
    specific_objective: str = ""
    beneficiary: str = ""
    municipality: str = ""
    starts_from: dt.date | None = None
    ends_by: dt.date | None = None
    page: int = 1


def _out(o: selectors.Operation) -> dict[str, Any]:
    return {
        "code": o.code,
        "name": o.name,
        "purpose": o.purpose,
        "beneficiary": o.beneficiary,
        "start_date": o.start_date.isoformat(),
        "end_date": o.end_date.isoformat(),
        "total_cost": str(o.total_cost),
        "eu_contribution": str(o.eu_contribution),
        "eu_cofinancing_rate": None if o.eu_rate is None else str(o.eu_rate),
        "currency": "EUR",
        "fund": o.fund,
        "programming_period": o.period,
        "programme_cci": o.programme,
        "specific_objective": o.specific_objective,
        "type_of_intervention": o.type_of_intervention,
        "postcode": o.postcode,
        "municipality": o.municipality,
        "nuts_code": o.nuts_code,
        "country_wide": o.country_wide,
        "location_note": o.location_note,
    }


def _text(value: str) -> str:
    return value.replace("\x00", "").strip()[:100]


@router.get(
    "/operations",
    auth=PUBLIC,
    response=OperationPage,
    summary="The public list of operations",
    description=roles_text("public.view"),
)
def list_operations(request: HttpRequest, filters: Query[OperationFilters]) -> dict[str, Any]:
    found = selectors.Filters(
        text=_text(filters.q),
        period=_text(filters.period),
        specific_objective=_text(filters.specific_objective),
        beneficiary=_text(filters.beneficiary),
        municipality=_text(filters.municipality),
        starts_from=filters.starts_from,
        ends_by=filters.ends_by,
    )
    page = Paginator(selectors.public_operations_query(found), PAGE_SIZE).get_page(max(filters.page, 1))
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "results": [_out(o) for o in selectors.operation_rows(page.object_list)],
    }


@router.get(
    "/operations/{code}",
    auth=PUBLIC,
    response=OperationOut,
    summary="One operation of the public list",
    description=roles_text("public.view"),
)
def get_operation(request: HttpRequest, code: str) -> dict[str, Any]:
    operation = selectors.public_operation(code)
    if operation is None:
        raise Http404("No such operation.")
    return _out(operation)
