from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "amis.applications"
    label = "applications"

    def ready(self) -> None:
        from amis.applications import parts  # what this stage adds to the pages of earlier stages

        parts.register()
