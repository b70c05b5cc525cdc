from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "amis.payments"
    label = "payments"

    def ready(self) -> None:
        from amis.core import pages
        from amis.payments import parts

        # the project page (projects) lists the project's payments and recoveries, with the totals
        pages.register("project", "main", 70, "payments/_project_payments.html", parts.project_payments)
