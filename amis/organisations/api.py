"""Organisation endpoints, mounted at /api/v1/organisations.

Each endpoint's description lists the roles allowed, read from the permission table so the API
documentation cannot drift from the checks. Errors are turned into JSON centrally (`amis.api`):
a broken rule 400 with per-field messages in `extra.fields`, a refusal 403, a stale lock 409, and
a body of the wrong shape 400 with ninja's `detail` (checked after the permission, so refused
callers always get 403).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

import pydantic
from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import ValidationError

from amis.accounts.api_auth import AUTHENTICATED
from amis.accounts.permissions import ANONYMOUS, BY_ACTION, require
from amis.accounts.roles import Role
from amis.core.api_input import parse_json
from amis.core.errors import ApplicationError
from amis.organisations import selectors, services
from amis.organisations.models import Organisation

router = Router(tags=["organisations"])


def allowed(action: str) -> str:
    """'Allowed: <roles>. Own organisation only: <roles>.' from the permission table."""
    permission = BY_ACTION[action]
    cells = {code: value for code, value in permission.columns().items() if code != ANONYMOUS}
    names = {code: f"{Role(code).label} ({code})" for code in cells}
    text = (
        f"{permission.description}. Allowed: {', '.join(names[c] for c, v in cells.items() if v == 'yes')}."
    )
    own = [names[c] for c, v in cells.items() if v == "own org"]
    if own:
        text += f" For their own organisation only: {', '.join(own)}."
    if permission.notes:
        text += f" Note: {permission.notes}."
    return text


class ErrorOut(Schema):
    message: str
    code: str
    extra: dict[str, Any] = {}


ERRORS: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class ContactOut(Schema):
    id: int
    name: str
    function: str
    email: str
    phone: str


class OrganisationSummaryOut(Schema):
    """What a list shows: no bank details or contacts (those need `organisation.view` on the one)."""

    id: int
    kind: str
    name: str
    short_name: str
    enterprise_number: str
    vat_number: str
    city: str
    country: str
    status: str
    lock_version: int


class OrganisationOut(OrganisationSummaryOut):
    street: str
    postcode: str
    email: str
    iban: str
    bic: str
    pending_iban: str
    pending_bic: str
    bank_change_requested_at: datetime | None
    pending_name: str
    name_change_requested_at: datetime | None
    status_reason: str
    contacts: list[ContactOut]


class OrganisationCreateIn(Schema):
    kind: str
    name: str
    short_name: str = ""
    enterprise_number: str = ""
    vat_number: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""
    country: str = "BE"
    email: str = ""
    iban: str = ""
    bic: str = ""


class OrganisationPatchIn(Schema):
    """Only the fields sent are changed; `lock_version` is the one read before the change."""

    lock_version: int
    kind: str | None = None
    name: str | None = None
    short_name: str | None = None
    enterprise_number: str | None = None
    vat_number: str | None = None
    street: str | None = None
    postcode: str | None = None
    city: str | None = None
    country: str | None = None
    email: str | None = None
    iban: str | None = None
    bic: str | None = None


class DecisionIn(Schema):
    approve: bool
    reason: str = ""
    lock_version: int


S = TypeVar("S", bound=Schema)


def _body(request: HttpRequest, schema: type[S]) -> S:
    """The JSON body, read only after the permission check.

    Declaring it as a ninja parameter would validate it first, so a refused caller would get 400
    and the schema's details instead of 403; `body_of` documents it in the OpenAPI description.
    """
    try:
        return schema.model_validate(parse_json(request.body))
    except ApplicationError as exc:  # not UTF-8, not JSON, or nested too deep
        raise ValidationError([{"loc": ["body"], "msg": exc.message, "type": "json"}]) from exc
    except pydantic.ValidationError as exc:
        errors = [
            {**e, "loc": ["body", *e["loc"]]}
            for e in exc.errors(include_url=False, include_context=False, include_input=False)
        ]
        raise ValidationError(errors) from exc


def body_of(schema: type[Schema]) -> dict[str, Any]:
    content = {"application/json": {"schema": schema.model_json_schema()}}
    return {"requestBody": {"content": content, "required": True}}


def _organisation(pk: int) -> Organisation:
    organisation = selectors.organisation_get(pk)
    if organisation is None:
        raise Http404(f"No organisation {pk}.")
    return organisation


@router.get(
    "",
    response={200: list[OrganisationSummaryOut], 403: ErrorOut},
    auth=AUTHENTICATED,
    summary="List organisations",
    description=allowed("organisation.list"),
)
def list_organisations(
    request: HttpRequest, status: str | None = None, kind: str | None = None, q: str | None = None
) -> Any:
    require(request.user, "organisation.list")
    return selectors.organisation_list(user=request.user, status=status, kind=kind, q=q)


@router.get(
    "/{pk}",
    response={200: OrganisationOut, **ERRORS},
    auth=AUTHENTICATED,
    summary="One organisation",
    description=allowed("organisation.view"),
)
def get_organisation(request: HttpRequest, pk: int) -> Any:
    organisation = _organisation(pk)
    require(request.user, "organisation.view", organisation)
    return organisation


@router.post(
    "",
    response={201: OrganisationOut, **ERRORS},
    auth=AUTHENTICATED,
    summary="Create an organisation",
    description=allowed("organisation.create") + " It is approved at once.",
    openapi_extra=body_of(OrganisationCreateIn),
)
def create_organisation(request: HttpRequest) -> Any:
    require(request.user, "organisation.create")
    payload = _body(request, OrganisationCreateIn)
    organisation = services.organisation_create(actor=request.user, data=payload.dict())
    return Status(201, _organisation(organisation.pk))


@router.patch(
    "/{pk}",
    response={200: OrganisationOut, **ERRORS},
    auth=AUTHENTICATED,
    summary="Change an organisation's details",
    description=allowed("organisation.update") + " 409 if it changed since `lock_version` was read.",
    openapi_extra=body_of(OrganisationPatchIn),
)
def update_organisation(request: HttpRequest, pk: int) -> Any:
    organisation = _organisation(pk)
    require(request.user, "organisation.update", organisation)
    payload = _body(request, OrganisationPatchIn)
    data = payload.dict(exclude_unset=True)
    expected = data.pop("lock_version")
    services.organisation_update(
        organisation=organisation, actor=request.user, data=data, expected_lock_version=expected
    )
    return _organisation(pk)


@router.post(
    "/{pk}/decision",
    response={200: OrganisationOut, **ERRORS},
    auth=AUTHENTICATED,
    summary="Approve or reject a registration",
    description=allowed("organisation.decide") + " A rejection needs a reason.",
    openapi_extra=body_of(DecisionIn),
)
def decide_registration(request: HttpRequest, pk: int) -> Any:
    return _decided(request, pk, services.organisation_decide)


@router.post(
    "/{pk}/bank-account/decision",
    response={200: OrganisationOut, **ERRORS},
    auth=AUTHENTICATED,
    summary="Confirm or refuse a new bank account",
    description=allowed("organisation.decide")
    + " Whoever asked for the change cannot confirm it; a refusal needs a reason. Until confirmed,"
    " payments keep the current `iban`; the asked-for one is `pending_iban`.",
    openapi_extra=body_of(DecisionIn),
)
def decide_bank_account(request: HttpRequest, pk: int) -> Any:
    return _decided(request, pk, services.bank_change_decide)


@router.post(
    "/{pk}/name/decision",
    response={200: OrganisationOut, **ERRORS},
    auth=AUTHENTICATED,
    summary="Confirm or refuse a new legal name",
    description=allowed("organisation.decide")
    + " Whoever asked for the change cannot confirm it; a refusal needs a reason. Until confirmed,"
    " the organisation keeps its `name`; the asked-for one is `pending_name`.",
    openapi_extra=body_of(DecisionIn),
)
def decide_name(request: HttpRequest, pk: int) -> Any:
    return _decided(request, pk, services.name_change_decide)


def _decided(request: HttpRequest, pk: int, decide: Callable[..., Organisation]) -> Organisation:
    """An approve/reject service on one organisation: permission first, then the body, then the
    organisation as saved now."""
    organisation = _organisation(pk)
    require(request.user, "organisation.decide", organisation)
    payload = _body(request, DecisionIn)
    decide(
        organisation=organisation,
        actor=request.user,
        approve=payload.approve,
        reason=payload.reason,
        expected_lock_version=payload.lock_version,
    )
    return _organisation(pk)
