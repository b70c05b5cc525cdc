"""Pages of grants (`projects:`): the call's grant terms, projects, agreement versions, their PDF and
diff, and the forms that act on them. The reports' pages are `amis.reporting.urls`."""

from __future__ import annotations

from django.urls import path

from amis.projects import views

app_name = "projects"
V = "projects/<str:reference>/agreement/v<int:number>"
urlpatterns = [
    path("calls/<str:code>/grant-terms/", views.grant_terms, name="grant_terms"),
    path("projects/", views.project_list, name="list"),
    path("projects/<str:reference>/", views.project_detail, name="detail"),
    path("projects/<str:reference>/agreement/prepare/", views.agreement_prepare, name="prepare"),
    path("projects/<str:reference>/amendment/", views.amendment_prepare, name="amend"),
    path("projects/<str:reference>/amendment/request/", views.amendment_request, name="amend_request"),
    path("projects/<str:reference>/transfers/", views.budget_transfer, name="transfer"),
    path(V + ".pdf", views.version_pdf, name="version_pdf"),
    path(V + "/", views.version_detail, name="version"),
    path(V + "/diff/", views.version_diff, name="diff"),
    path(V + "/edit/", views.version_edit, name="edit"),
    path(V + "/issue/", views.version_issue, name="issue"),
    path(V + "/withdraw/", views.version_withdraw, name="withdraw"),
    path(V + "/sign/authority/", views.sign_authority, name="sign_authority"),
    path(V + "/sign/beneficiary/", views.sign_beneficiary, name="sign_beneficiary"),
]
