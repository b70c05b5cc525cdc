"""A project with a signed agreement and its open interim report, shared by the reporting tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from amis.accounts.models import User
from amis.projects.models import Project
from amis.projects.tests.builders import CARITAS, DA, RA_OFFICER, selected_project, signed_agreement, user
from amis.reporting.models import Report


@dataclass
class World:
    project: Project
    report: Report
    caritas: User
    da: User
    ra: User

    @property
    def year(self) -> int:
        return self.report.project.start_date.year

    def day(self, month: int = 3, day: int = 15) -> dt.date:
        return dt.date(self.year, month, day)

    def line(self, **changes: Any) -> dict[str, Any]:
        values: dict[str, Any] = {
            "category": "staff",
            "supplier_name": "Sociaal Secretariaat",
            "supplier_number": "BE 0403.170.701",
            "invoice_number": "F-001",
            "invoice_date": self.day().isoformat(),
            "payment_date": self.day(4, 1).isoformat(),
            "description": "Coach March",
            "amount_excl_vat": "1000.00",
            "amount_incl_vat": "1210.00",
            "amount_declared": "1000.00",
            "vat_recoverable": True,
        }
        values.update(changes)
        return values


@pytest.fixture
def world(belgian: object) -> World:
    project = selected_project()
    signed_agreement(project)
    report = Report.objects.get(project=project, number=1)
    return World(project=project, report=report, caritas=user(CARITAS), da=user(DA), ra=user(RA_OFFICER))
