"""GIN indexes for the application search (`selectors.search`), one per text-search dictionary, on
PostgreSQL only: SQLite (the demo) has no GIN and searches with a plain substring match.

Each index expression is exactly the one Django writes for `SearchVector("title", "summary",
config=...)`, so the planner uses it; `test_search.py` checks that on PostgreSQL.
"""

from django.db import migrations

CONFIGS = ("dutch", "french", "german", "english")


def _expression(config: str) -> str:
    return f"to_tsvector('{config}'::regconfig, COALESCE(title, '') || ' ' || COALESCE(summary, ''))"


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for config in CONFIGS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS application_text_{config} "
            f"ON applications_application USING gin ({_expression(config)})"
        )


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for config in CONFIGS:
        schema_editor.execute(f"DROP INDEX IF EXISTS application_text_{config}")


class Migration(migrations.Migration):
    dependencies = [("applications", "0002_status_eligible_being_assessed")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
