"""The project's URLs, plus the organisations API if `amis/api.py` does not mount it yet.

Until the router is registered in the project API, the API tests run against a stand-in API with
the project's own exception handlers; once it is registered, they exercise the real one.
"""

from django.urls import path
from ninja import NinjaAPI

from amis.api import api as project_api
from amis.organisations.api import router
from amis.urls import urlpatterns as project_urlpatterns

urlpatterns = list(project_urlpatterns)
if all(mounted is not router for _, mounted in project_api._routers):
    standin = NinjaAPI(title="AMIS API (organisations tests)", urls_namespace="api-v1-organisations-tests")
    for exc_class, handler in project_api._exception_handlers.items():
        standin.add_exception_handler(exc_class, handler)
    standin.add_router("/organisations", router)
    urlpatterns.append(path("api/v1/", standin.urls))
