from django.urls import path

from amis.calls import views, views_application, views_calls, views_selection

app_name = "calls"

urlpatterns = [
    path("calls/", views.call_list, name="list"),
    path("calls/new/", views_calls.call_new, name="new"),
    path("calls/new/objectives/", views_calls.call_objectives, name="objectives"),
    path("calls/<str:code>/", views.call_detail, name="detail"),
    path("calls/<str:code>/edit/", views_calls.call_edit, name="edit"),
    path("calls/<str:code>/documents/", views_calls.call_document_add, name="document_add"),
    path("calls/<str:code>/documents/<int:pk>/", views_calls.call_document_download, name="document"),
    path(
        "calls/<str:code>/documents/<int:pk>/remove/",
        views_calls.call_document_remove,
        name="document_remove",
    ),
    path("calls/<str:code>/apply/", views.call_apply, name="apply"),
    path("calls/<str:code>/transition/", views.call_transition, name="transition"),
    path("calls/<str:code>/ranking/", views.call_rank, name="rank"),
    path("calls/<str:code>/meetings/", views.call_meeting_plan, name="meeting_plan"),
    path("calls/<str:code>/double-funding/", views_selection.double_funding, name="double_funding"),
    path("applications/", views.application_list, name="applications"),
    path("applications/<str:reference>/", views.application_detail, name="application"),
    path("applications/<str:reference>/edit/", views_application.application_edit, name="application_edit"),
    path(
        "applications/<str:reference>/edit/rows/<str:kind>/",
        views_application.application_row,
        name="application_row",
    ),
    path(
        "applications/<str:reference>/edit/preview/",
        views_application.application_preview,
        name="application_preview",
    ),
    path("applications/<str:reference>/withdraw/", views.application_withdraw, name="application_withdraw"),
    path(
        "applications/<str:reference>/eligibility/",
        views.application_eligibility,
        name="application_eligibility",
    ),
    path("applications/<str:reference>/assess/", views.application_assess, name="application_assess"),
    path("applications/<str:reference>/attachments/", views.application_attach, name="application_attach"),
    path(
        "applications/<str:reference>/attachments/<str:sha256>/",
        views.application_attachment,
        name="application_attachment",
    ),
    path(
        "applications/<str:reference>/consolidation/",
        views.application_consolidate,
        name="application_consolidate",
    ),
    path("meetings/<int:pk>/", views_selection.meeting, name="meeting"),
]
