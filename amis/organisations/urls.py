"""Organisation pages, mounted at /organisations/ (namespace "organisations")."""

from django.urls import path

from amis.organisations import views

app_name = "organisations"

urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("new/", views.organisation_create, name="create"),
    path("register/", views.register, name="register"),
    path("register/<int:pk>/submitted/", views.registered, name="registered"),
    path("registrations/", views.registrations, name="registrations"),
    path("registrations/<int:pk>/decide/", views.decide, name="decide"),
    path(
        "registrations/<int:pk>/bank-account/", views.held_change_decide, {"kind": "bank"}, name="bank-decide"
    ),
    path("registrations/<int:pk>/name/", views.held_change_decide, {"kind": "name"}, name="name-decide"),
    path("mine/", views.mine, name="mine"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
    path("<int:pk>/edit/", views.organisation_edit, name="edit"),
    path("<int:pk>/contacts/add/", views.contact_add, name="contact-add"),
    path("<int:pk>/contacts/<int:contact_pk>/remove/", views.contact_remove, name="contact-remove"),
]
