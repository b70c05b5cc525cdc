from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "amis.core"
    label = "core"
    verbose_name = "AMIS core"
