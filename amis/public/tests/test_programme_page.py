"""The programme page's financing plan chart (with its table), its links to the evaluations and
annual reports once published — never before —, and the calls' documents on the timetable."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.test import Client

from amis.annual_reports import services as annual_services
from amis.annual_reports.models import AnnualReport
from amis.calls.services import document_add
from amis.core import uploads
from amis.evaluation.models import Evaluation, EvaluationPlan, EvaluationReport
from amis.programme.models import Programme
from amis.public.tests.helpers import CCI, RA_OFFICER, base, call, user

pytestmark = pytest.mark.django_db
PAGE = f"/public/programmes/{CCI}/"


@pytest.fixture
def world() -> dict[str, int]:
    base()
    officer = user(RA_OFFICER)
    programme = Programme.objects.get(cci=CCI)
    plan = EvaluationPlan.objects.create(programme=programme, title="Plan", created_by=officer)
    found = {}
    for status, title in (("published", "Impact on reception"), ("delivered", "Not yet public")):
        evaluation = Evaluation.objects.create(
            plan=plan,
            kind="thematic",
            title=title,
            evaluator_type="external",
            evaluator="Firm",
            planned_start=dt.date(2017, 1, 1),
            planned_end=dt.date(2017, 6, 30),
            status=status,
            published_on=dt.date(2017, 9, 1) if status == "published" else None,
            created_by=officer,
        )
        report = EvaluationReport(evaluation=evaluation, uploaded_by=officer)
        uploads.store(report, f"{status}.pdf", b"%PDF-1.4 " + status.encode())
        report.save()
        found[status] = report.pk
    approved = annual_services.report_create(actor=officer, programme=programme, year=2018)
    AnnualReport.objects.filter(pk=approved.pk).update(status="approved")
    annual_services.report_create(actor=officer, programme=programme, year=2019)  # a draft
    return found


def test_the_financing_plan_has_a_chart_and_its_table(world: dict[str, int]) -> None:
    body = Client().get(PAGE).content.decode()
    assert 'data-figures="plan-chart"' in body and 'id="financing-plan"' in body
    found = re.search(r'<script id="plan-chart" type="application/json">(.*?)</script>', body)
    assert found is not None
    chart = json.loads(found.group(1))
    assert chart["labels"][:2] == ["SO1", "SO2"] and chart["format"] == "money"
    assert chart["series"][0]["values"][:3] == [30010132.27, 32718973.19, 37534358.38]
    assert "chart.umd.min.js" in body and "figures.js" in body


def test_published_evaluations_and_approved_annual_reports_only(world: dict[str, int]) -> None:
    client = Client()
    body = client.get(PAGE).content.decode()
    assert "Impact on reception" in body and "Not yet public" not in body
    assert f"/public/evaluation-reports/{world['published']}/" in body
    assert f"/public/evaluation-reports/{world['delivered']}/" not in body
    assert f"/public/programmes/{CCI}/annual-reports/2018.pdf" in body
    assert "annual-reports/2019.pdf" not in body
    download = client.get(f"/public/evaluation-reports/{world['published']}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 published"  # type: ignore[attr-defined]
    assert client.get(f"/public/evaluation-reports/{world['delivered']}/").status_code == 404
    assert client.get(f"/public/programmes/{CCI}/annual-reports/2019.pdf").status_code == 404
    pdf = client.get(f"/public/programmes/{CCI}/annual-reports/2018.pdf", HTTP_ACCEPT_LANGUAGE="fr")
    assert (
        pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and "-fr.pdf" in pdf["Content-Disposition"]
    )


def test_nothing_published_says_so(db: None) -> None:
    base()
    body = Client().get(PAGE).content.decode()
    assert "No evaluation is published yet." in body and "No annual report is approved yet." in body


def test_the_timetable_lists_the_calls_documents(db: None) -> None:
    base()
    the_call = call("PUB-DOCS")
    document = document_add(
        actor=user(RA_OFFICER), call=the_call, title="Guide for applicants", language="nl",
        name="guide.pdf", data=b"%PDF-1.4 guide",
    )  # fmt: skip
    body = Client().get("/public/calls/").content.decode()
    assert f'href="/calls/PUB-DOCS/documents/{document.pk}/">Guide for applicants</a> (NL)' in body
    assert ">Documents</th>" in body
