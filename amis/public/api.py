"""The open-data list of operations as JSON, without login (CPR Art. 49(3): "open, machine-readable"):
/api/v1/public/operations, 100 a page (`page_size` up to 1,000), with the list page's filters, the
programme, and `updated_since` for harvesters; one operation by its code. Only what `selectors`
publishes: withheld operations never, natural persons never named. Amounts are decimal strings in
euro, rates fractions as strings, dates ISO 8601, `updated_at` the time anything published about the
operation last changed (docs/public-face.md: harvesting).

Anonymous callers are rate limited (`http.rate_limited`: 429 with Retry-After); every answer carries
an ETag and Last-Modified, and a conditional GET whose copy is current answers 304."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import Field, Query, Router, Schema
from pydantic import field_validator

from amis.accounts.api_auth import PUBLIC
from amis.accounts.permissions import roles_text
from amis.public import http, selectors

router = Router(tags=["public"])
PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


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
    updated_at: str | None


class OperationPage(Schema):
    count: int
    page: int
    pages: int
    results: list[OperationOut]


class OperationFilters(Schema):
    q: str = ""
    period: str = Field("", description="programming period, e.g. 2021-2027")
    programme: str = Field("", description="the programme's CCI")
    specific_objective: str = ""
    beneficiary: str = ""
    municipality: str = Field("", description="municipality (part of its name) or postcode")
    starts_from: dt.date | None = Field(None, description="operations starting on or after")
    ends_by: dt.date | None = Field(None, description="operations ending on or before")
    updated_since: dt.datetime | None = Field(
        None,
        description="harvesters: only operations whose published data changed after this time "
        "(ISO 8601 with a time zone; UTC when it has none)",
    )
    page: int = 1
    page_size: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)

    @field_validator("updated_since")
    @classmethod
    def _in_utc(cls, value: dt.datetime | None) -> dt.datetime | None:
        """In UTC before it reaches the database: PostgreSQL refuses a time zone offset beyond ±15:59
        (a 500 the fuzzing found); a time without a zone is UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        try:
            return value.astimezone(dt.UTC)
        except (OverflowError, ValueError):
            raise ValueError("updated_since is out of range") from None


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
        "updated_at": o.updated_at.isoformat() if o.updated_at else None,
    }


def _text(value: str) -> str:
    return value.replace("\x00", "").strip()[:100]


@router.get(
    "/operations",
    auth=PUBLIC,
    response=OperationPage,
    summary="The public list of operations",
    description=roles_text("public.view")
    + " Harvesters: ask `updated_since` the time of your previous harvest (less a minute) for the "
    "operations whose published data changed since. An operation withdrawn from publication simply "
    "disappears from every answer (no tombstone): compare the codes of a full harvest with yours to "
    "drop it. Anonymous callers are rate limited (429 with Retry-After); send If-None-Match with the "
    "ETag of your last answer to get 304 when nothing changed.",
)
def list_operations(request: HttpRequest, filters: Query[OperationFilters]) -> Any:
    refused = http.rate_limited(request)
    if refused is not None:
        return refused
    latest, count = selectors.list_validator()
    tag = http.etag(request, latest, count)
    answer = http.not_modified(request, tag, latest)
    if answer is not None:
        return answer
    since = filters.updated_since
    found = selectors.Filters(
        text=_text(filters.q),
        period=_text(filters.period),
        programme=_text(filters.programme),
        specific_objective=_text(filters.specific_objective),
        beneficiary=_text(filters.beneficiary),
        municipality=_text(filters.municipality),
        starts_from=filters.starts_from,
        ends_by=filters.ends_by,
        updated_since=since,
    )
    page = selectors.operations_page(found, filters.page, filters.page_size)
    body = {
        "count": page.paginator.count,
        "page": page.page.number,
        "pages": page.paginator.num_pages,
        "results": [_out(o) for o in page.rows],
    }
    # written as it is: the rows are already the schema's plain strings, and ninja's validation of
    # 1,000 rows against `OperationPage` took half of a harvest's time (bench/results)
    return http.validated(JsonResponse(body), tag, latest)


@router.get(
    "/operations/{code}",
    auth=PUBLIC,
    response=OperationOut,
    summary="One operation of the public list",
    description=roles_text("public.view"),
)
def get_operation(request: HttpRequest, response: HttpResponse, code: str) -> Any:
    refused = http.rate_limited(request)
    if refused is not None:
        return refused
    changed = selectors.operation_validator(code)
    tag = http.etag(request, changed) if changed is not None else None
    answer = http.not_modified(request, tag, changed)
    if answer is not None:
        return answer
    operation = selectors.public_operation(code)
    if operation is None:
        raise Http404("No such operation.")
    http.validated(response, tag, changed)
    return _out(operation)
