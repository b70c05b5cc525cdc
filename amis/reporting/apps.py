from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "amis.reporting"
    label = "reporting"

    def ready(self) -> None:
        from amis.core import pages
        from amis.projects.selectors import register_picture_source
        from amis.projects.signals import agreement_version_signed
        from amis.reporting import parts, selectors, services

        # the financial picture's declared column: the lines of submitted and accepted reports
        register_picture_source(
            "reporting", lambda project: {"declared": selectors.declared_by_category(project)}
        )

        # the project page (projects) lists the project's reports in its main slot
        pages.register("project", "main", 40, "reporting/_project_reports.html", parts.project_reports)

        # the reports are made in the transaction that brings the agreement version into force
        agreement_version_signed.connect(services.reports_for_signed_version, dispatch_uid="reporting")
