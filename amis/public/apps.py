from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "amis.public"
    label = "public"
