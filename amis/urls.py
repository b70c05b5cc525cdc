from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from amis.accounts.urls import audit_urlpatterns
from amis.api import api

# The admin's own login form would take a password and nothing else: people log in through allauth's
# login (password, then the TOTP code), and RequireTwoFactorMiddleware lets only a session verified
# with a second factor into /admin/.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", include("amis.home.urls")),  # each person's home page; the footer's pages
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("programmes/", include("amis.programme.urls")),
    path("accounts/", include("allauth.urls")),
    path("people/", include("amis.accounts.urls")),
    path("organisations/", include("amis.organisations.urls")),
    path("audit/", include((audit_urlpatterns, "audit"))),
    # one app per stage of the life cycle; the paths are those users have bookmarked
    path("", include("amis.calls.urls")),
    path("", include("amis.applications.urls")),
    path("", include("amis.selection.urls")),
    path("", include("amis.integrity.urls")),
    path("", include("amis.projects.urls")),
    path("", include("amis.reporting.urls")),
    path("", include("amis.reporting.urls_import")),
    path("", include("amis.verification.urls")),
    path("", include("amis.payments.urls")),
    path("", include("amis.dashboard.urls")),
    path("", include("amis.verification.urls_checks")),
    path("", include("amis.evaluation.urls")),
    path("", include("amis.declarations.urls")),
    path("", include("amis.annual_reports.urls")),
    path("", include("amis.audit.urls")),
    path("", include("amis.sampling.urls")),
    path("", include("amis.public.urls")),
]
