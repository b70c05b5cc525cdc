from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "amis.verification"
    label = "verification"
