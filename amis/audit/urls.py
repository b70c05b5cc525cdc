"""Pages of the audit authority (issue 19), under /audit-authority/ (namespace `audit_authority`:
`audit` is the audit trail's)."""

from __future__ import annotations

from django.urls import path

from amis.audit import views

app_name = "audit_authority"
P = "audit-authority/"
urlpatterns = [
    path(P, views.overview, name="overview"),
    path(P + "strategies/new/", views.strategy_create, name="strategy_create"),
    path(P + "plans/new/", views.plan_create, name="plan_create"),
    path(P + "plans/<str:cci>/<int:year>/", views.plan_detail, name="plan"),
    path(P + "plans/<str:cci>/<int:year>/bodies/", views.body_add, name="body_add"),
    path(P + "bodies/<int:pk>/", views.body_detail, name="body"),
    path(P + "bodies/<int:pk>/start/", views.audit_start, name="start"),
    path(P + "bodies/<int:pk>/assess/", views.requirement_assess, name="assess"),
    path(P + "bodies/<int:pk>/complete/", views.audit_complete, name="complete"),
    path(P + "bodies/<int:pk>/findings/", views.finding_add, name="finding_add"),
    path(P + "findings/<int:pk>/", views.finding_detail, name="finding"),
    path(P + "findings/<int:pk>/reply/", views.finding_reply, name="reply"),
    path(P + "findings/<int:pk>/close/", views.finding_close, name="close"),
    path(P + "reports/new/", views.report_create, name="report_create"),
    path(P + "reports/<str:cci>/<int:year>/", views.report_detail, name="report"),
    path(P + "reports/<str:cci>/<int:year>/opinion/", views.report_opinion, name="opinion"),
    path(P + "reports/<str:cci>/<int:year>/approve/", views.report_approve, name="approve"),
    path(P + "reports/<str:cci>/<int:year>/export.xlsx", views.export_xlsx, name="xlsx"),
    path(P + "reports/<str:cci>/<int:year>/export.pdf", views.export_pdf, name="pdf"),
]
