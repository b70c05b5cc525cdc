from django.urls import path

from amis.integrity import views, views_lists

app_name = "integrity"

urlpatterns = [
    path("calls/<str:code>/double-funding/", views.double_funding, name="double_funding"),
    path("double-funding/lists/", views_lists.list_index, name="lists"),
    path("double-funding/lists/<int:pk>/", views_lists.list_detail, name="list"),
    path("double-funding/lists/<int:pk>/problems.csv", views_lists.list_problems, name="problems"),
    path("double-funding/lists/<int:pk>/<str:action>/", views_lists.list_action, name="list_action"),
]
