from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "amis.home"
    label = "home"
