from django.apps import AppConfig


class IntegrityConfig(AppConfig):
    name = "amis.integrity"
    label = "integrity"

    def ready(self) -> None:
        from amis.integrity import parts  # what this stage adds to the pages of earlier stages

        parts.register()
