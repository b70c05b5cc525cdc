from django.apps import AppConfig


class SamplingConfig(AppConfig):
    name = "amis.sampling"
    label = "sampling"
    verbose_name = "Audits of operations: sampling"
