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
