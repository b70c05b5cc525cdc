"""The REST API root: /api/v1/, with its OpenAPI document at /api/v1/openapi.json and docs at /api/v1/docs."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError

from amis.core.errors import ApplicationError, ForbiddenError, StaleObjectError
from amis.core.transactions import BusyError
from amis.programme.api import router as programme_router

ERROR = {
    "type": "object",
    "required": ["message"],
    "properties": {
        "message": {"type": "string"},
        "code": {"type": "string"},
        "extra": {"type": "object"},
        "detail": {"type": "array", "description": "a parameter or body of the wrong type: each problem"},
    },
}
NINJA_DETAIL = {"type": "object", "properties": {"detail": {}}}  # ninja's own 401 body
ERROR_MEANING = {
    "400": "Refused: what was sent is malformed, of the wrong type or breaks a rule (every problem named;"
    " a parameter or body of the wrong type also in `detail`, one entry a problem with its `loc`)",
    "401": "The token or session is missing, expired, or not allowed to write",
    "403": "Refused for who is asking: role, delegated part of the programme, segregation of duties",
    "404": "No such object (or not visible to this caller)",
    "409": "Changed by someone else meanwhile (lock_version), or busy: nothing saved, try again",
}


class AmisAPI(NinjaAPI):
    """The API whose document lists, for each operation, the refusals it can really answer, so that
    clients (and the fuzz test, tests/test_api_fuzz.py) can rely on it."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
        for path, methods in schema.get("paths", {}).items():
            for method, operation in methods.items():
                _document_refusals(path, method, operation)
        return schema


def _document_refusals(path: str, method: str, operation: dict[str, Any]) -> None:
    codes = {"400"}  # any request: e.g. a NUL character or an oversized body is refused first
    if operation.get("security"):
        codes |= {"401", "403"}
    if "{" in path or method.lower() != "get":
        codes.add("404")  # the object in the path, or one the body names
    if method.lower() != "get":
        codes.add("409")
    responses = operation.setdefault("responses", {})
    for code in sorted(codes):
        body = NINJA_DETAIL if code == "401" else {"$ref": "#/components/schemas/Error"}
        responses.setdefault(
            code, {"description": ERROR_MEANING[code], "content": {"application/json": {"schema": body}}}
        )


api = AmisAPI(
    title="AMIS API",
    version="1",
    description="Programmes, organisations, calls, applications, double-funding checks and selection.",
    urls_namespace="api-v1",
)
api.add_router("/programmes", programme_router)
api.add_router("/organisations", "amis.organisations.api.router")
api.add_router("/", "amis.calls.api.router")
api.add_router("/", "amis.applications.api.router")
api.add_router("/", "amis.integrity.api.router")
api.add_router("/", "amis.selection.api.router")
api.add_router("/", "amis.projects.api.router")
api.add_router("/", "amis.reporting.api.router")
api.add_router("/", "amis.reporting.api_import.router")
api.add_router("/", "amis.verification.api.router")
api.add_router("/", "amis.payments.api.router")
api.add_router("/", "amis.dashboard.api.router")
api.add_router("/", "amis.verification.api_checks.router")
api.add_router("/", "amis.verification.api_irregularities.router")
api.add_router("/", "amis.evaluation.api.router")
api.add_router("/public", "amis.public.api.router")
api.add_router("/declarations", "amis.declarations.api.router")
api.add_router("/", "amis.annual_reports.api.router")
api.add_router("/", "amis.audit.api.router")
api.add_router("/", "amis.sampling.api.router")


@api.exception_handler(ApplicationError)
def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    status = 400
    if isinstance(exc, StaleObjectError | BusyError):
        status = 409
    elif isinstance(exc, ForbiddenError):
        status = 403
    return api.create_response(
        request, {"message": exc.message, "code": exc.code, "extra": exc.extra}, status=status
    )


@api.exception_handler(ValidationError)
def invalid_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """A parameter or body of the wrong type: 400 like every other refusal of what was sent (ninja
    would answer 422), with ninja's `detail` (each problem and where) and one line to show
    (docs/decisions/0010-bad-input-answers-400.md)."""
    problems = "; ".join(
        f"{'.'.join(str(part) for part in error.get('loc', ()))}: {error.get('msg', '')}"
        for error in exc.errors
    )
    return api.create_response(
        request,
        {"message": f"Not valid: {problems}", "code": "bad_request", "detail": exc.errors},
        status=400,
    )


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(
        request, {"message": str(exc) or "Permission denied.", "code": "forbidden"}, status=403
    )


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(
        request, {"message": str(exc) or "Not found.", "code": "not_found"}, status=404
    )
