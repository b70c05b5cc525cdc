"""The public website (issue 18) under /public/, and the officers' exclusion pages under
/public/exclusions/."""

from __future__ import annotations

from django.urls import path

from amis.public import views, views_data

app_name = "public"
urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", views.sitemap_xml, name="sitemap"),
    path("public/operations/", views.operation_list, name="operations"),
    path("public/operations.csv", views.operation_csv, name="operations_csv"),
    path("public/operations.xlsx", views_data.operation_xlsx, name="operations_xlsx"),
    path("public/operations.json", views_data.operation_json, name="operations_json"),
    path("public/operations.xml", views_data.operation_xml, name="operations_xml"),
    path("public/operations-kohesio.csv", views_data.operation_kohesio, name="operations_kohesio"),
    path("public/operations.schema.json", views_data.schema_json, name="operations_schema"),
    path("public/operations.xsd", views_data.schema_xsd, name="operations_xsd"),
    path("public/dcat.jsonld", views_data.dcat_jsonld, name="dcat"),
    path("public/publications/", views_data.publication_list, name="publications"),
    path("public/publications/<int:pk>/<str:filename>", views_data.publication_file, name="publication_file"),
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
