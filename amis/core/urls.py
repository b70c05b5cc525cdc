from django.urls import path

from amis.core import views

app_name = "audit"

urlpatterns = [
    path("", views.search, name="search"),
    path("export.<str:fmt>", views.export_trail, name="export"),
    path("person/<int:pk>/", views.person_history, name="person"),
    path("object/<str:object_type>/<str:object_id>/", views.object_history, name="object"),
]
