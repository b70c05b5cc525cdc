from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "amis.payments"
    label = "payments"

    def ready(self) -> None:
        from amis.core import pages
        from amis.payments import parts, picture
        from amis.projects.selectors import register_picture_source

        # the financial picture's paid and recovered columns, shared over the cost categories
        register_picture_source("payments", picture.picture_columns)
        # the project page (projects) lists the project's payments and recoveries, with the totals
        pages.register("project", "main", 70, "payments/_project_payments.html", parts.project_payments)
