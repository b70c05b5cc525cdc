from django.urls import path

from amis.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.user_list, name="list"),
    path("new/", views.user_create, name="create"),
    path("me/", views.me, name="me"),
    path("<int:pk>/", views.user_detail, name="detail"),
    path("roles/<int:pk>/revoke/", views.role_revoke, name="role-revoke"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
]

# mounted at /audit/ under the namespace "audit" (amis/urls.py)
audit_urlpatterns = [
    path("", views.search, name="search"),
    path("export.<str:fmt>", views.export_trail, name="export"),
    path("person/<int:pk>/", views.person_history, name="person"),
    path("object/<str:object_type>/<str:object_id>/", views.object_history, name="object"),
]
