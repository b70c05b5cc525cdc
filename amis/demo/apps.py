from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "amis.demo"
    label = "demo"
