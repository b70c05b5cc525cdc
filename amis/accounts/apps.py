from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "amis.accounts"
    label = "accounts"
    verbose_name = "People and roles"

    def ready(self) -> None:
        from amis.accounts import signals  # noqa: F401  (login / failed-login audit)
