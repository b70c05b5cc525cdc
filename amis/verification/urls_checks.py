"""Pages of the on-the-spot checks (the desk verification has its own urls)."""

from __future__ import annotations

from django.urls import path

from amis.verification import views_checks as views
from amis.verification import views_findings, views_irregularities, views_reply

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
    path("checks/<int:pk>/reply/", views_reply.check_reply, name="reply"),
    path("checks/findings/<int:finding_id>/", views_findings.finding_page, name="finding"),
    path(
        "checks/findings/<int:finding_id>/irregularity/",
        views_findings.finding_irregularity,
        name="finding_irregularity",
    ),
    path(
        "checks/findings/<int:finding_id>/correction/",
        views_findings.finding_correction,
        name="finding_correction",
    ),
    path("checks/findings/<int:finding_id>/close/", views_findings.finding_close, name="finding_close"),
    path("checks/irregularities/", views_irregularities.irregularity_list, name="irregularities"),
    path("checks/irregularities/<int:pk>/", views_irregularities.irregularity_detail, name="irregularity"),
    path(
        "checks/irregularities/<int:pk>/status/",
        views_irregularities.irregularity_status,
        name="irregularity_status",
    ),
]
