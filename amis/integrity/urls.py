from django.urls import path

from amis.integrity import views

app_name = "integrity"

urlpatterns = [
    path("calls/<str:code>/double-funding/", views.double_funding, name="double_funding"),
]
