"""Django set-up for the bench commands, and the guard that keeps full-scale runs off SQLite."""

from __future__ import annotations

import os

import django


class WrongDatabase(SystemExit):
    """Raised (as an exit) when a full-scale run points at SQLite: its numbers would mislead."""


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amis.settings_demo")  # bench data is never production
    django.setup()


def vendor() -> str:
    from django.db import connection

    return connection.vendor


def vendor_version() -> str:
    """The server version, for the report: numbers from different databases are not comparable."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        row = cursor.fetchone()
    return f"{connection.vendor} {row[0] if row else '?'}"


def refuse_sqlite(scale_name: str) -> None:
    """Production runs on PostgreSQL; a full-scale SQLite measurement would only measure SQLite."""
    if scale_name != "small" and vendor() != "postgresql":
        raise WrongDatabase(
            f"Scale '{scale_name}' needs PostgreSQL: set DATABASE_URL=postgres://USER:PASS@HOST:5432/DB "
            "(SQLite is only for the 'small' smoke scale)."
        )
