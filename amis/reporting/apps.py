from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "amis.reporting"
    label = "reporting"

    def ready(self) -> None:
        from amis.projects.signals import agreement_version_signed
        from amis.reporting import services

        # the reports are made in the transaction that brings the agreement version into force
        agreement_version_signed.connect(services.reports_for_signed_version, dispatch_uid="reporting")
