from django.apps import AppConfig


class DeclarationsConfig(AppConfig):
    name = "amis.declarations"
    label = "declarations"
