"""The public website (issue 18) under /public/, and the officers' exclusion pages under
/public/exclusions/."""

from __future__ import annotations

from django.urls import path

from amis.public import views

app_name = "public"
urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", views.sitemap_xml, name="sitemap"),
    path("public/operations/", views.operation_list, name="operations"),
    path("public/operations.csv", views.operation_csv, name="operations_csv"),
    path("public/operations/<str:code>/", views.operation_detail, name="operation"),
    path("public/programmes/<str:cci>/", views.programme, name="programme"),
    path(
        "public/programmes/<str:cci>/annual-reports/<int:year>.pdf",
        views.annual_report_pdf,
        name="annual_report",
    ),
    path("public/evaluation-reports/<int:pk>/", views.evaluation_report, name="evaluation_report"),
    path("public/calls/", views.calls, name="calls"),
    path("public/locations/<str:code>/", views.location, name="location"),
    path("public/exclusions/", views.exclusions, name="exclusions"),
    path("public/exclusions/<str:code>/approve/", views.exclusion_approve, name="exclusion_approve"),
    path("public/exclusions/<str:code>/withdraw/", views.exclusion_withdraw, name="exclusion_withdraw"),
]
