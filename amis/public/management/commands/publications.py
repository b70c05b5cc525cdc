"""`amis publications`: queue the publication of the lists of operations that are due (CPR Art. 49(3):
at least every four months for 2021-2027; yearly for 2014-2020; intervals in
`settings.AMIS_PUBLICATION_INTERVAL_DAYS`) for the worker (`amis worker` publishes them).

Run once a day by cron, e.g. `30 5 * * * amis publications`; running it again publishes nothing twice:
a list is due only when the last publication covering its programme is older than the interval.
`--list` only says which programmes are due."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from amis.public import publications
from amis.public.tasks import publish_due_lists


class Command(BaseCommand):
    help = "Queue the publication of the lists of operations that are due (run daily by cron)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--list", action="store_true", help="only say which programmes are due")

    def handle(self, *args: Any, **options: Any) -> None:
        due = publications.due(timezone.now())
        self.stdout.write("Due: " + (", ".join(p.cci for p in due) or "none"))
        if options["list"] or not due:
            return
        result = publish_due_lists.enqueue()
        self.stdout.write(f"Publication queued (task {result.id}); `amis worker` publishes it.")
