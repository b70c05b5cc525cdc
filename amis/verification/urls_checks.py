"""Pages of the on-the-spot checks (the desk verification has its own urls)."""

from __future__ import annotations

from django.urls import path

from amis.verification import views_checks as views

app_name = "spot_checks"
urlpatterns = [
    path("checks/", views.selections, name="selections"),
    path("checks/selections/<int:pk>/", views.selection_detail, name="selection"),
    path("checks/plan/", views.check_plan, name="plan"),
    path("checks/<int:pk>/", views.check_detail, name="check"),
    path("checks/<int:pk>/visit/", views.check_visit, name="visit"),
    path("checks/<int:pk>/findings/<int:finding_id>/close/", views.finding_close, name="close"),
    path("checks/<int:pk>/findings/<int:finding_id>/correction/", views.correction, name="correction"),
    path("checks/<int:pk>/documents/", views.check_document, name="document"),
]
