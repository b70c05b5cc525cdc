"""The grant agreement from the selected application: terms from the snapshot, four eyes, signatures,
the reports of its calendar; amendments as new versions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from amis.accounts.services import SegregationOfDutiesError
from amis.core.errors import ApplicationError
from amis.projects import services
from amis.projects.models import AgreementVersion
from amis.projects.tests.builders import DA, RA_OFFICER, selected_project, signed_agreement, user
from amis.reporting.models import Report

pytestmark = pytest.mark.django_db


def test_the_agreement_takes_the_snapshot_and_comes_into_force_with_its_reports(belgian: object) -> None:
    project = selected_project()
    version = signed_agreement(project)
    assert version.status == AgreementVersion.Status.SIGNED
    terms = version.terms
    assert terms["beneficiary"]["name"] == project.organisation.name
    assert Decimal(terms["total_cost"]) == Decimal("321000.00")  # 300,000 + 7 %
    assert Decimal(terms["max_grant"]) == Decimal("240750.00")
    assert sum(Decimal(b["amount"]) for b in terms["budget"]) == Decimal("300000.00")
    assert sum(line.amount for line in version.budget_lines.all()) == Decimal("300000.00")
    assert [e["kind"] for e in terms["calendar"]] == ["interim", "final"]
    reports = list(Report.objects.filter(project=project).order_by("number"))
    assert [(r.number, r.kind) for r in reports] == [(1, "interim"), (2, "final")]
    assert version.signed_scan_sha256 and version.in_force_from is not None


def test_the_preparer_cannot_issue(belgian: object) -> None:
    project = selected_project()
    version = services.agreement_prepare(actor=user(DA), project=project)
    with pytest.raises(SegregationOfDutiesError):
        services.version_issue(actor=user(DA), version=version, expected_lock_version=version.lock_version)
    version.refresh_from_db()
    assert version.status == AgreementVersion.Status.DRAFT


def test_an_amendment_is_a_new_version_from_the_one_in_force(belgian: object) -> None:
    project = selected_project()
    signed_agreement(project)
    with pytest.raises(ApplicationError):
        services.amendment_prepare(actor=user(RA_OFFICER), project=project, reason=" ")
    amendment = services.amendment_prepare(actor=user(RA_OFFICER), project=project, reason="Longer coaching.")
    assert amendment.number == 2 and amendment.status == AgreementVersion.Status.DRAFT
    assert amendment.terms["budget"] == AgreementVersion.objects.get(number=1).terms["budget"]


def test_the_financial_picture_starts_from_the_version_in_force(belgian: object) -> None:
    from amis.reporting.selectors import financial_picture

    project = selected_project()
    signed_agreement(project)
    picture = financial_picture(project)
    assert picture.totals["budget"] == Decimal("321000.00")  # direct 300,000 + 7 % indirect
    assert [row.category for row in picture.rows] == ["other", "staff", "travel", "indirect"]
    assert picture.totals["declared"] == Decimal("0.00")
    assert picture.totals["remaining"] == picture.totals["budget"]
