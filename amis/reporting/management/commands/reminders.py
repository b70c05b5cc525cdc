"""`amis reminders`: queue today's report reminders for the worker (`amis worker` sends them).

Run once a day by cron, e.g. `15 6 * * * amis reminders`; running it again the same day (or a task
retried) sends nothing twice: each reminder is sent once per report, kind and due date."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from amis.reporting.tasks import send_report_reminders


class Command(BaseCommand):
    help = "Queue today's e-mail reminders of reports due soon or overdue (run daily by cron)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--date", help="the day to remind for (YYYY-MM-DD; default today)")

    def handle(self, *args: Any, **options: Any) -> None:
        result = send_report_reminders.enqueue(options.get("date"))
        self.stdout.write(f"Reminders queued (task {result.id}); `amis worker` sends them.")
