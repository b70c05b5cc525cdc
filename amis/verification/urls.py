"""Pages of the desk verification of a submitted report (the verifier's)."""

from __future__ import annotations

from django.urls import path

from amis.verification import views, views_findings

app_name = "verification"
urlpatterns = [
    path("verifications/", views.verification_list, name="list"),
    path("reports/<int:pk>/verification/", views.verification_page, name="page"),
    path("reports/<int:pk>/verification/checklist/", views.checklist_save, name="checklist"),
    path("reports/<int:pk>/verification/decisions/", views.decisions_save, name="decisions"),
    path("reports/<int:pk>/verification/complete/", views.verification_finish, name="complete"),
    path("reports/<int:pk>/verification/findings/", views_findings.verification_finding, name="finding"),
]
