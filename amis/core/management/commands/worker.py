"""`amis worker`: run the background tasks (receipts, decision notifications) from the database queue.

This is django-tasks-db's `db_worker` under the `amis` name, with all its options: `--batch` runs
what is queued and exits, `--interval` sets the polling pause, `--max-tasks` restarts a worker
after that many tasks. Run one or more next to the web server in production; `amis demo` starts
one itself.
"""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand


class Command(DatabaseWorkerCommand):
    help = "Run the background tasks queued in the database (e-mails with receipts and decisions)."
