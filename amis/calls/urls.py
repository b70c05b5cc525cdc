from django.urls import path

from amis.calls import views

app_name = "calls"

urlpatterns = [
    path("calls/", views.call_list, name="list"),
    path("calls/new/", views.call_new, name="new"),
    path("calls/new/objectives/", views.call_objectives, name="objectives"),
    path("calls/<str:code>/", views.call_detail, name="detail"),
    path("calls/<str:code>/edit/", views.call_edit, name="edit"),
    path("calls/<str:code>/transition/", views.call_transition, name="transition"),
    path("calls/<str:code>/documents/", views.call_document_add, name="document_add"),
    path("calls/<str:code>/documents/<int:pk>/", views.call_document_download, name="document"),
    path("calls/<str:code>/documents/<int:pk>/remove/", views.call_document_remove, name="document_remove"),
]
