"""`amis projects list`: each project with its agreement version in force, budget, declared and
reports per status, in a fixed number of queries per batch, filtered by call or programme."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amis.projects import services
from amis.projects.tests.builders import DA, RA_OFFICER, selected_project, signed_agreement, user
from amis.reporting.models import ExpenditureLine, Report

pytestmark = pytest.mark.django_db


def _json(*args: str) -> list[dict[str, Any]]:
    out = StringIO()
    call_command("projects", "list", "--format", "json", *args, stdout=out)
    return json.loads(out.getvalue())


def _declare(report: Report, *amounts: str) -> None:
    for position, amount in enumerate(amounts, start=1):
        ExpenditureLine.objects.create(
            report=report,
            position=position,
            category="staff",
            supplier_name="Sociaal Secretariaat Flandria vzw",
            invoice_number=f"SSF-{position}",
            invoice_date=report.period_start,
            amount_declared=Decimal(amount),
        )


def test_each_project_with_its_version_budget_declared_and_reports(belgian: object) -> None:
    signed = selected_project(code="FL-CLI-A")
    signed_agreement(signed)
    waiting = selected_project(code="FL-CLI-B", email="beneficiary@redcross.example", short="Rode Kruis")
    first = Report.objects.get(project=signed, number=1)
    _declare(first, "1000.10", "250.05")
    Report.objects.filter(pk=first.pk).update(status=Report.Status.SUBMITTED)
    _declare(Report.objects.get(project=signed, number=2), "999.00")  # open: not declared yet

    rows = {r["reference"]: r for r in _json()}
    row = rows[signed.reference]
    assert row["call"] == "FL-CLI-A" and row["programme"] == "2021BE65AMPR001"
    assert row["beneficiary"] == signed.organisation.name
    assert row["agreement"]["version"] == 1 and row["agreement"]["status"] == "signed"
    assert row["agreement"]["in_force_from"]
    assert row["budget"] == "321000.00"  # 300,000 direct + 7 % flat rate
    assert row["declared"] == "1250.15" and row["remaining"] == "319749.85"
    assert row["reports"] == {"open": 1, "submitted": 1}
    other = rows[waiting.reference]
    assert other["agreement"] is None and other["latest_version"] is None
    assert other["budget"] == "0.00" and other["reports"] == {}


def test_filters_by_call_and_programme(belgian: object) -> None:
    a = selected_project(code="FL-CLI-A")
    selected_project(code="FL-CLI-B", email="beneficiary@redcross.example", short="Rode Kruis")
    assert [r["reference"] for r in _json("--call", "FL-CLI-A")] == [a.reference]
    assert len(_json("--programme", "2021BE65AMPR001")) == 2
    assert _json("--programme", "2014BE65AMNP001") == []
    with pytest.raises(CommandError, match="No call"):
        call_command("projects", "list", "--call", "NOPE", stdout=StringIO())
    with pytest.raises(CommandError, match="No programme"):
        call_command("projects", "list", "--programme", "NOPE", stdout=StringIO())


def test_the_table_is_readable(belgian: object) -> None:
    project = selected_project(code="FL-CLI-A")
    signed_agreement(project)
    out = StringIO()
    call_command("projects", "list", stdout=out)
    header, line = out.getvalue().splitlines()
    assert header.startswith("Project") and "Declared" in header
    assert project.reference in line and "321000.00" in line and "open 2" in line
    issued = selected_project(code="FL-CLI-B", email="beneficiary@redcross.example", short="Rode Kruis")
    version = services.agreement_prepare(actor=user(DA), project=issued)
    services.version_issue(
        actor=user(RA_OFFICER), version=version, expected_lock_version=version.lock_version
    )
    out = StringIO()
    call_command("projects", "list", "--call", "FL-CLI-B", stdout=out)
    assert "v1 issued" in out.getvalue().splitlines()[1]
    call_command("projects", "list", "--programme", "2014BE65AMNP001", stdout=out)
    assert out.getvalue().endswith("No projects.\n")


def test_no_query_per_project(belgian: object) -> None:
    """The same number of queries for one project as for three."""
    signed_agreement(selected_project(code="FL-CLI-A"))
    with CaptureQueriesContext(connection) as one:
        _json()
    signed_agreement(
        selected_project(code="FL-CLI-B", email="beneficiary@redcross.example", short="Rode Kruis")
    )
    selected_project(code="FL-CLI-C")
    with CaptureQueriesContext(connection) as three:
        rows = _json()
    assert len(rows) == 3
    assert len(three.captured_queries) == len(one.captured_queries)
