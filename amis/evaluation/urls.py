"""Pages of evaluations (issue 17, section 4), under /evaluations/."""

from __future__ import annotations

from django.urls import path

from amis.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("evaluations/", views.overview, name="overview"),
    path("evaluations/plans/", views.plan_create, name="plan_create"),
    path("evaluations/plans/<str:cci>/", views.plan_detail, name="plan"),
    path("evaluations/plans/<str:cci>/status/", views.plan_status, name="plan_status"),
    path("evaluations/plans/<str:cci>/evaluations/", views.evaluation_create, name="evaluation_create"),
    path("evaluations/recommendations/", views.recommendation_list, name="recommendations"),
    path("evaluations/recommendations/<int:pk>/", views.recommendation_detail, name="recommendation"),
    path(
        "evaluations/recommendations/<int:pk>/response/",
        views.recommendation_response,
        name="recommendation_response",
    ),
    path(
        "evaluations/recommendations/<int:pk>/status/",
        views.recommendation_status,
        name="recommendation_status",
    ),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation"),
    path("evaluations/<int:pk>/edit/", views.evaluation_edit, name="evaluation_edit"),
    path("evaluations/<int:pk>/status/", views.evaluation_status, name="evaluation_status"),
    path("evaluations/<int:pk>/questions/", views.question_add, name="question_add"),
    path("evaluations/<int:pk>/report/", views.report_upload, name="report_upload"),
    path("evaluations/<int:pk>/reports/<int:report_id>/", views.report_download, name="report"),
    path("evaluations/<int:pk>/recommendations/", views.recommendation_add, name="recommendation_add"),
]
