from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "amis.organisations"
    label = "organisations"
    verbose_name = "Organisations"
