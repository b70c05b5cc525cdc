from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "amis.verification"
    label = "verification"

    def ready(self) -> None:
        from amis.core import pages
        from amis.projects.selectors import register_picture_source
        from amis.verification import parts, selectors

        # the financial picture's verified and corrected columns
        register_picture_source(
            "verification",
            lambda project: {
                "verified": selectors.verified_by_category(project),
                "corrected": selectors.corrected_by_category(project),
            },
        )
        # the project page lists the project's verifications in its main slot, after the reports
        pages.register(
            "project",
            "main",
            60,
            "verification/_project_verifications.html",
            parts.project_verifications_part,
        )
        # and its on-the-spot checks once visited, where the beneficiary replies
        pages.register("project", "main", 65, "spot_checks/_project_checks.html", parts.project_checks_part)
