"""Pages of payments and of the accounting unit's batches."""

from __future__ import annotations

from django.urls import path

from amis.payments import views, views_recoveries

app_name = "payments"
urlpatterns = [
    path("payments/", views.payment_list, name="list"),
    path("payments/<int:pk>/", views.payment_detail, name="detail"),
    path("payments/<int:pk>/approve/", views.payment_approve, name="approve"),
    path("payments/<int:pk>/reject/", views.payment_reject, name="reject"),
    path("payments/<int:pk>/paid/", views.payment_paid, name="paid"),
    path("payments/<int:pk>/cancel/", views.payment_cancel, name="cancel"),
    path("payments/recoveries/", views_recoveries.recovery_list, name="recoveries"),
    path("payments/recoveries/<int:pk>/", views_recoveries.recovery_detail, name="recovery"),
    path(
        "payments/recoveries/<int:pk>/receive/",
        views_recoveries.recovery_receive_view,
        name="recovery_receive",
    ),
    path(
        "payments/recoveries/<int:pk>/write-off/",
        views_recoveries.recovery_write_off_view,
        name="recovery_write_off",
    ),
    path(
        "projects/<str:reference>/recoveries/",
        views_recoveries.recovery_order_view,
        name="recovery_order",
    ),
    path("projects/<str:reference>/close/", views_recoveries.project_close_view, name="close"),
    path("payments/batches/", views.batch_list, name="batches"),
    path("payments/batches/<int:pk>/", views.batch_detail, name="batch"),
    path("payments/batches/<int:pk>/export/", views.batch_export, name="export"),
    path("payments/batches/<int:pk>/sepa.xml", views.batch_xml, name="sepa"),
    path("payments/batches/<int:pk>/batch.csv", views.batch_csv, name="csv"),
    path("projects/<str:reference>/payments/", views.payment_propose, name="propose"),
]
