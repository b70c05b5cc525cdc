"""Pages of the audits of operations (issue 19), under /sampling/."""

from __future__ import annotations

from django.urls import path

from amis.sampling import views, views_plans, views_subsamples

app_name = "sampling"
urlpatterns = [
    path("sampling/", views.overview, name="overview"),
    path("sampling/populations/", views.population_create, name="population_create"),
    path("sampling/populations/<int:pk>/", views.population_page, name="population"),
    path("sampling/populations/<int:pk>/samples/", views.sample_create, name="sample_create"),
    path("sampling/samples/<int:pk>/", views.sample_page, name="sample"),
    path("sampling/samples/<int:pk>/project/", views.sample_project, name="project"),
    path("sampling/items/<int:pk>/", views.item_page, name="item"),
    path("sampling/items/<int:pk>/documents/", views.item_document, name="item_document"),
    path("sampling/documents/<int:pk>/", views.document_download, name="document"),
    path("sampling/plans/", views_plans.plan_create, name="plan_create"),
    path("sampling/plans/<int:pk>/", views_plans.plan_page, name="plan"),
    path("sampling/plans/<int:pk>/period-2/", views_plans.plan_second, name="plan_second"),
    path("sampling/plans/<int:pk>/project/", views_plans.plan_project, name="plan_project"),
    path("sampling/items/<int:pk>/subsample/", views_subsamples.subsample_create, name="subsample_create"),
    path("sampling/subsamples/<int:pk>/", views_subsamples.subsample_page, name="subsample"),
    path(
        "sampling/subsamples/<int:pk>/project/", views_subsamples.subsample_project, name="subsample_project"
    ),
    path("sampling/subsample-lines/<int:pk>/", views_subsamples.line_page, name="subsampled_line"),
]
