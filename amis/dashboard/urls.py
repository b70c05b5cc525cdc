from django.urls import path

from amis.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("dashboard/", views.dashboard_index, name="index"),
    path("dashboard/calls/<str:code>/", views.call_dashboard, name="call"),
    path("dashboard/<str:cci>/", views.programme_dashboard, name="programme"),
    path(
        "dashboard/<str:cci>/indicators/<str:code>/not-reporting/",
        views.not_reporting,
        name="not_reporting",
    ),
]
