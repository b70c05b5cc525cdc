"""Pages of the expenditure import (`amis.reporting.views_import`)."""

from __future__ import annotations

from django.urls import path

from amis.reporting import views_import as views

app_name = "expenditure_import"
REPORT = "reports/<int:report_id>/expenditure/"
IMPORT = REPORT + "import/<int:import_id>/"
urlpatterns = [
    path(REPORT + "template.xlsx", views.template_download, {"extension": "xlsx"}, name="template_xlsx"),
    path(REPORT + "template.csv", views.template_download, {"extension": "csv"}, name="template_csv"),
    path(REPORT + "import/", views.import_page, name="upload"),
    path(IMPORT, views.import_progress, name="progress"),
    path(IMPORT + "cancel/", views.import_cancel, name="cancel"),
    path(IMPORT + "errors.csv", views.import_errors, {"extension": "csv"}, name="errors_csv"),
    path(IMPORT + "errors.xlsx", views.import_errors, {"extension": "xlsx"}, name="errors_xlsx"),
]
