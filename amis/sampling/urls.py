"""Pages of the audits of operations (issue 19), under /sampling/."""

from __future__ import annotations

from django.urls import path

from amis.sampling import views

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
]
