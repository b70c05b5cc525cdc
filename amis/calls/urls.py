from django.urls import path

from amis.calls import views

app_name = "calls"

urlpatterns = [
    path("calls/", views.call_list, name="list"),
    path("calls/<str:code>/", views.call_detail, name="detail"),
    path("applications/", views.application_list, name="applications"),
    path("applications/<str:reference>/", views.application_detail, name="application"),
]
