from django.apps import AppConfig


class SelectionConfig(AppConfig):
    name = "amis.selection"
    label = "selection"

    def ready(self) -> None:
        from amis.selection import parts  # what this stage adds to the pages of earlier stages

        parts.register()
