"""A database of the old layout (everything in `calls`) migrates to the life-cycle apps with nothing lost.

The fixture is the demo database of main at 72cfac8, the last commit before the split (with one row in
every model that moved; see `about` in the file). The test takes this test database back to that
commit's schema, loads the rows as they were, migrates forward, and checks that every row, every
submission snapshot, the audit chain, the segregation-of-duties memory and each object's history
survived; then that the migration also runs backwards and forwards again.
"""

from __future__ import annotations

import gzip
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps as current_apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from amis.accounts.models import DutyRecord, User
from amis.accounts.services import SegregationOfDutiesError, ensure_duty_allowed
from amis.accounts.sod import Duty
from amis.applications.models import Application, BudgetLine
from amis.core.audit import verify_chain
from amis.core.selectors import audit_entries

FIXTURE = Path(__file__).parent / "data" / "demo-72cfac8.json.gz"
MOVED_TO = {  # the old label of each moved model -> its label now
    "calls.application": "applications.Application",
    "calls.budgetline": "applications.BudgetLine",
    "calls.attachment": "applications.Attachment",
    "calls.eligibilitycheck": "selection.EligibilityCheck",
    "calls.assessment": "selection.Assessment",
    "calls.consolidation": "selection.Consolidation",
    "calls.ranking": "selection.Ranking",
    "calls.committeemeeting": "selection.CommitteeMeeting",
    "calls.committeedecision": "selection.CommitteeDecision",
    "calls.otherfundproject": "integrity.OtherFundProject",
    "calls.doublefundingflag": "integrity.DoubleFundingFlag",
    "calls.project": "projects.Project",
}


def _migrate(targets: list[tuple[str, str]] | None = None) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


def _load(old: dict[str, Any]) -> None:
    """Insert the rows with the models as they were at 72cfac8 (Django's historical models)."""
    executor = MigrationExecutor(connection)
    state_apps = executor.loader.project_state(list(old["migrations"].items()), at_end=True).apps
    by_model: dict[str, list[dict[str, Any]]] = {}
    for row in old["objects"]:
        by_model.setdefault(row["model"], []).append(row)
    models = []
    with transaction.atomic():  # foreign keys are checked at commit: rows go in whatever their order
        for label, rows in by_model.items():
            model = state_apps.get_model(label)
            models.append(model)
            existing = set(model._default_manager.values_list("pk", flat=True))  # reference data
            fresh = []
            for row in rows:
                if row["pk"] in existing:
                    continue
                values = {"pk": row["pk"]}
                for field in model._meta.get_fields():
                    if field.name not in row["fields"]:
                        continue
                    if field.many_to_many:
                        assert row["fields"][field.name] == [], (label, field.name)
                    elif field.is_relation:
                        values[field.attname] = row["fields"][field.name]
                    else:
                        values[field.name] = row["fields"][field.name]
                fresh.append(model(**values))
            model._default_manager.bulk_create(fresh)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)


def _rows(old: dict[str, Any], label: str) -> list[dict[str, Any]]:
    return [row for row in old["objects"] if row["model"] == label]


@pytest.mark.django_db(transaction=True)
def test_the_72cfac8_demo_database_migrates_with_nothing_lost() -> None:
    with gzip.open(FIXTURE, "rt", encoding="utf-8") as handle:
        old = json.load(handle)
    try:
        _migrate(list(old["migrations"].items()))
        _load(old)
        _migrate()
        ContentType.objects.clear_cache()
        _check_everything_survived(old)

        _migrate(list(old["migrations"].items()))  # backwards: the tables go back to their old names
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM calls_application")
            assert cursor.fetchone()[0] == len(_rows(old, "calls.application"))
        _migrate()
        assert Application.objects.count() == len(_rows(old, "calls.application"))
    finally:
        _migrate()  # whatever happened, leave the schema of today for the next test


def _check_everything_survived(old: dict[str, Any]) -> None:
    for old_label, new_label in MOVED_TO.items():
        model = current_apps.get_model(new_label)
        rows = _rows(old, old_label)
        assert rows, f"the fixture has no {old_label}: the test would prove nothing for it"
        assert sorted(model._default_manager.values_list("pk", flat=True)) == sorted(r["pk"] for r in rows)

    for row in _rows(old, "calls.application"):
        app = Application.objects.get(pk=row["pk"])
        assert (app.reference, app.status, app.lock_version) == (
            row["fields"]["reference"],
            row["fields"]["status"],
            row["fields"]["lock_version"],
        )
        assert app.snapshot == row["fields"]["snapshot"], app.reference
    for row in _rows(old, "calls.budgetline"):
        assert BudgetLine.objects.get(pk=row["pk"]).amount == Decimal(row["fields"]["amount"])

    report = verify_chain()
    assert report.ok, report.problem
    assert report.checked == len(_rows(old, "core.auditentry"))

    # the history of an application holds the entries written before the move, under the old label
    submitted = next(r for r in _rows(old, "calls.application") if r["fields"]["submitted_at"])
    before = [
        r
        for r in _rows(old, "core.auditentry")
        if r["fields"]["object_type"] == "calls.Application"
        and r["fields"]["object_id"] == str(submitted["pk"])
    ]
    assert before
    history = audit_entries(object_type="applications.Application", object_id=str(submitted["pk"]))
    assert history.count() == len(before)

    # segregation of duties still remembers who assessed what: an assessor cannot now decide on it
    assert not DutyRecord.objects.filter(object_type__startswith="calls.Application").exists()
    assessed = next(r for r in _rows(old, "accounts.dutyrecord") if r["fields"]["duty"] == Duty.ASSESS.value)
    assessor = User.objects.get(pk=assessed["fields"]["user"])
    application = Application.objects.get(pk=int(assessed["fields"]["object_id"]))
    with pytest.raises(SegregationOfDutiesError):
        ensure_duty_allowed(user=assessor, duty=Duty.DECIDE, obj=application)

    moved = set(ContentType.objects.filter(app_label="calls").values_list("model", flat=True))
    assert moved <= {"call", "calldocument"}

    # new rows get new keys after the renamed tables' own sequences
    line = BudgetLine.objects.create(
        application=application, position=99, category="staff", year=2027, amount=Decimal("1.00")
    )
    assert line.pk > max(r["pk"] for r in _rows(old, "calls.budgetline"))

    # an old bookmark of an object's history leads to the same history under the new label
    response = Client().get(f"/audit/object/calls.Application/{submitted['pk']}/")
    assert response.status_code == 301
    assert response["Location"] == f"/audit/object/applications.Application/{submitted['pk']}/"
