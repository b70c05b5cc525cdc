from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "amis.programme"
    label = "programme"
    verbose_name = "Programme"
