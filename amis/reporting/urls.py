"""Pages of the beneficiaries' reports (the expenditure import has its own module, urls_import)."""

from __future__ import annotations

from django.urls import path

from amis.reporting import views

app_name = "reporting"
urlpatterns = [
    path("reports/overdue/", views.reports_overdue, name="overdue"),
    path("reports/received/", views.reports_received, name="received"),
    path("reports/<int:pk>/", views.report_page, name="report"),
    path("reports/<int:pk>/summary/", views.report_summary, name="summary"),
    path("reports/<int:pk>/lines/", views.line_add, name="line_add"),
    path("reports/<int:pk>/lines/<int:line_id>/", views.line_edit, name="line_edit"),
    path("reports/<int:pk>/lines/<int:line_id>/delete/", views.line_delete, name="line_delete"),
    path("reports/<int:pk>/lines/<int:line_id>/justify/", views.line_justify, name="line_justify"),
    path("reports/<int:pk>/documents/<int:document_id>/", views.line_document, name="document"),
    path("reports/<int:pk>/submit/", views.report_submit, name="submit"),
    path("reports/<int:pk>/return/", views.report_return, name="return"),
    path("reports/<int:pk>/rounds/<int:number>/", views.report_round, name="round"),
    path("reports/<int:pk>/rounds/<int:number>/receipt.pdf", views.report_receipt, name="receipt"),
]
