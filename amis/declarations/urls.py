"""Pages of the declarations to the Commission (issue 17, section 3), under /declarations/."""

from __future__ import annotations

from django.urls import path

from amis.declarations import views

app_name = "declarations"
urlpatterns = [
    path("declarations/", views.overview, name="overview"),
    path("declarations/applications/<int:pk>/", views.application_detail, name="application"),
    path("declarations/applications/<int:pk>/submit/", views.application_submit, name="submit"),
    path("declarations/applications/<int:pk>/reintroduce/", views.reintroduce, name="reintroduce"),
    path("declarations/items/<int:pk>/hold/", views.hold_back, name="hold"),
    path("declarations/<str:cci>/", views.programme_page, name="programme"),
    path("declarations/<str:cci>/applications/", views.application_create, name="create"),
    path("declarations/<str:cci>/receipts/", views.receipt_create, name="receipt"),
    path("declarations/<str:cci>/accounts/<int:year>/", views.accounts_page, name="accounts"),
    path("declarations/<str:cci>/accounts/<int:year>/submit/", views.accounts_submit, name="accounts_submit"),
]
