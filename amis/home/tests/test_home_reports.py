"""Home pages after selection: a beneficiary's projects with the next report; the officers' reports
received and overdue and the agreement versions waiting for them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from amis.core import pages
from amis.projects import services as projects
from amis.projects.tests.builders import CARITAS, DA, RA_OFFICER, selected_project, signed_agreement, user
from amis.reporting.models import Report

pytestmark = pytest.mark.django_db


def _client(email: str) -> Client:
    client = Client()
    client.force_login(user(email))
    return client


def test_the_beneficiary_sees_its_project_and_the_next_report(belgian: Any) -> None:
    project = selected_project()
    signed_agreement(project)
    report = Report.objects.get(project=project, number=1)
    Report.objects.filter(pk=report.pk).update(status="returned")
    html = _client(CARITAS).get("/").content.decode()
    assert project.reference in html and f"/reports/{report.pk}/" in html


def test_officers_see_reports_received_overdue_and_drafts_to_issue(belgian: Any) -> None:
    project = selected_project()
    signed_agreement(project)
    Report.objects.filter(project=project, number=1).update(status="submitted")
    Report.objects.filter(project=project, number=2).update(due_date="2020-01-31")
    projects.amendment_prepare(actor=user(DA), project=project, reason="More coaching.")
    html = _client(RA_OFFICER).get("/").content.decode()
    assert "Reports received" in html and "Reports overdue" in html
    assert "Agreements and amendments to decide" in html and f"{project.reference} · v2" in html
    # the one who prepared the amendment does not decide it (four eyes)
    assert f"{project.reference} · v2" not in _client(DA).get("/").content.decode()


def test_the_project_page_part_lists_the_reports(belgian: Any) -> None:
    project = selected_project()
    signed_agreement(project)

    class Request:
        pass

    request = Request()
    request.user = user(CARITAS)  # type: ignore[attr-defined]
    context = pages.page_context("project", request, project)  # type: ignore[arg-type]
    assert "reporting/_project_reports.html" in context["parts"]["main"]
    assert [r.number for r in context["project_reports"]] == [1, 2]
    request.user = user("beneficiary@redcross.example")  # type: ignore[attr-defined]
    other = pages.page_context("project", request, project)  # type: ignore[arg-type]
    assert "reporting/_project_reports.html" not in other["parts"].get("main", [])
