from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "amis.core"
    label = "core"
    verbose_name = "AMIS core"

    def ready(self) -> None:
        import datetime as dt

        from django.utils import formats, timezone, translation

        from amis.core import messages

        def short_datetime(value: dt.datetime) -> str:
            if timezone.is_aware(value):
                value = timezone.localtime(value)
            return formats.date_format(value, formats.get_format("SHORT_DATE_FORMAT") + " H:i:s")

        messages.install(
            gettext=translation.gettext,
            language=lambda: translation.get_language() or "en",
            date=lambda value: formats.date_format(value, "SHORT_DATE_FORMAT"),
            datetime=short_datetime,
        )
