from django.urls import path

from amis.applications import views

app_name = "applications"

urlpatterns = [
    path("calls/<str:code>/apply/", views.call_apply, name="apply"),
    path("applications/", views.application_list, name="list"),
    path("applications/<str:reference>/", views.application_detail, name="detail"),
    path("applications/<str:reference>/edit/", views.application_edit, name="edit"),
    path("applications/<str:reference>/edit/rows/<str:kind>/", views.application_row, name="row"),
    path("applications/<str:reference>/edit/preview/", views.application_preview, name="preview"),
    path("applications/<str:reference>/submit/", views.application_submit, name="submit"),
    path("applications/<str:reference>/withdraw/", views.application_withdraw, name="withdraw"),
    path("applications/<str:reference>/attachments/", views.application_attach, name="attach"),
    path(
        "applications/<str:reference>/attachments/<str:sha256>/",
        views.application_attachment,
        name="attachment",
    ),
]
