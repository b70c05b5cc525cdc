from django.apps import AppConfig


class CallsConfig(AppConfig):
    name = "amis.calls"
    label = "calls"
    verbose_name = "Calls"
