from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "amis.payments"
    label = "payments"
