"""The REST API root: /api/v1/, with its OpenAPI document at /api/v1/openapi.json and docs at /api/v1/docs."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI

from amis.core.errors import ApplicationError, ForbiddenError, StaleObjectError
from amis.core.transactions import BusyError
from amis.programme.api import router as programme_router

api = NinjaAPI(
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
