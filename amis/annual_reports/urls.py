"""Pages of the annual report to the Commission (issue 17, section 2), under /annual-reports/."""

from __future__ import annotations

from django.urls import path

from amis.annual_reports import views

app_name = "annual_reports"
urlpatterns = [
    path("annual-reports/", views.overview, name="overview"),
    path("annual-reports/new/", views.report_create, name="create"),
    path("annual-reports/<str:cci>/<int:year>/", views.report_detail, name="report"),
    path("annual-reports/<str:cci>/<int:year>/parts/", views.narrative_update, name="narrative"),
    path("annual-reports/<str:cci>/<int:year>/submit/", views.report_submit, name="submit"),
    path("annual-reports/<str:cci>/<int:year>/decision/", views.report_decision, name="decision"),
    path("annual-reports/<str:cci>/<int:year>/freeze/", views.report_freeze, name="freeze"),
    path("annual-reports/<str:cci>/<int:year>/export.xlsx", views.export_xlsx, name="xlsx"),
    path("annual-reports/<str:cci>/<int:year>/export.pdf", views.export_pdf, name="pdf"),
]
