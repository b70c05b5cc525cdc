from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "amis.audit"
    label = "audit"
    verbose_name = "Audit authority"
