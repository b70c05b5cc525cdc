"""The audit authority's pages and API: an auditor plans, audits, records a finding and drafts the
report on the pages; bad input answers 400 and saves nothing; a stale form 409; the auditee replies;
a second auditor approves; the PDF and XLSX are downloaded; the API gives the assurance level."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client
from openpyxl import load_workbook

from amis.audit import services
from amis.audit.models import AuditedBody, AuditFinding, ControlReport, RequirementAssessment
from amis.audit.tests.helpers import (
    AUDITOR,
    AUDITOR2,
    CCI_2021,
    DA,
    RA_OFFICER,
    base,
    completed_year,
    plan,
    user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def people(db: None) -> None:
    base()


def _client(email: str) -> Client:
    client = Client()
    client.force_login(user(email))
    return client


def test_an_auditor_plans_and_audits_a_body_on_the_pages() -> None:
    client = _client(AUDITOR)
    assert client.get("/audit-authority/").status_code == 200
    response = client.post(
        "/audit-authority/strategies/new/", {"strategy-programme": CCI_2021, "strategy-text": "Risk-based."}
    )
    assert response.status_code == 302
    response = client.post("/audit-authority/plans/new/", {"plan-programme": CCI_2021, "plan-year": "2024"})
    assert response["Location"] == f"/audit-authority/plans/{CCI_2021}/2024/"
    factors = {
        f"risk_{k}": "3" for k in ("size", "complexity", "changes", "previous_results", "time_since_audit")
    }
    response = client.post(
        f"/audit-authority/plans/{CCI_2021}/2024/bodies/",
        {
            "kind": "delegated",
            "name": "Flemish DA",
            "risk_justification": "Delegated part.",
            "key_requirements": ["KR4"],
            **factors,
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    body = AuditedBody.objects.get(name="Flemish DA")
    assert (body.risk_score, body.key_requirements) == (15, ["KR4"])
    page = client.get(f"/audit-authority/plans/{CCI_2021}/2024/").content.decode()
    assert "Flemish DA" in page and "KR4" in page and "Annex XI" in page
    assert "label paraphrased" not in page  # the labels are the Regulation's own words
    assert (
        client.post(f"/audit-authority/bodies/{body.pk}/start/", {"started_on": "2024-03-01"}).status_code
        == 302
    )
    body.refresh_from_db()
    response = client.post(
        f"/audit-authority/bodies/{body.pk}/assess/",
        {
            "requirement": "KR4",
            "KR4-code": "KR4",
            "KR4-category": "2",
            "KR4-justification": "20 files.",
            "KR4-lock_version": str(body.system_audit.lock_version),
        },
    )
    assert response.status_code == 302
    assert RequirementAssessment.objects.get(code="KR4").category == 2
    response = client.post(
        f"/audit-authority/bodies/{body.pk}/findings/",
        {
            "key_requirement": "KR4",
            "text": "Unsigned checklists",
            "recommendation": "Sign them",
            "priority": "high",
            "deadline": "2024-09-30",
        },
    )
    assert response.status_code == 302
    body.system_audit.refresh_from_db()
    response = client.post(
        f"/audit-authority/bodies/{body.pk}/complete/",
        {"conclusion": "Works, improvements needed.", "lock_version": str(body.system_audit.lock_version)},
    )
    assert response.status_code == 302
    page = client.get(f"/audit-authority/bodies/{body.pk}/").content.decode()
    assert 'id="overall">Category 2' in page


def test_bad_input_answers_400_and_saves_nothing() -> None:
    the_plan = plan()
    client = _client(AUDITOR)
    url = f"/audit-authority/plans/{CCI_2021}/2024/bodies/"
    factors = {
        f"risk_{k}": "9" for k in ("size", "complexity", "changes", "previous_results", "time_since_audit")
    }
    response = client.post(url, {"kind": "delegated", "name": "X", "risk_justification": "y", **factors})
    assert response.status_code == 400
    response = client.post(url, {"kind": "nonsense", "name": "X"})
    assert response.status_code == 400
    assert not the_plan.bodies.exists()
    response = client.post("/audit-authority/plans/new/", {"plan-programme": CCI_2021, "plan-year": "abc"})
    assert response.status_code == 400
    response = client.post(
        f"/api/v1/audit/plans/{CCI_2021}/2024/bodies", data="{not json", content_type="application/json"
    )
    assert response.status_code == 400
    response = client.post(
        f"/api/v1/audit/plans/{CCI_2021}/2024/bodies",
        data=json.dumps(
            {"kind": "delegated", "name": "X", "risk_factors": {"size": 1}, "risk_justification": "y"}
        ),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not the_plan.bodies.exists()


def test_a_stale_assessment_answers_409() -> None:
    the_plan = completed_year()
    body = the_plan.bodies.get(kind="managing")
    client = _client(AUDITOR)
    # a completed audit refuses (400); an old lock_version is refused first (409)
    response = client.post(
        f"/audit-authority/bodies/{body.pk}/assess/",
        {
            "requirement": "KR4",
            "KR4-code": "KR4",
            "KR4-category": "1",
            "KR4-justification": "x",
            "KR4-lock_version": "1",
        },
    )
    assert response.status_code == 409


def test_the_auditee_replies_and_the_auditor_closes_on_the_pages() -> None:
    the_plan = completed_year()
    audit = the_plan.bodies.get(kind="managing").system_audit
    finding = services.finding_add(
        actor=user(AUDITOR),
        system_audit=audit,
        key_requirement="KR4",
        text="t",
        recommendation="r",
        priority="medium",
        deadline=audit.started_on,
    )
    ra = _client(RA_OFFICER)
    page = ra.get(f"/audit-authority/findings/{finding.pk}/").content.decode()
    assert "Reply to the finding" in page and "Close the finding" not in page
    assert ra.post(f"/audit-authority/findings/{finding.pk}/reply/", {"text": "Fixed."}).status_code == 302
    assert (
        ra.post(
            f"/audit-authority/findings/{finding.pk}/close/", {"closure_note": "x", "lock_version": "1"}
        ).status_code
        == 403
    )
    auditor = _client(AUDITOR)
    assert auditor.post(f"/audit-authority/findings/{finding.pk}/reply/", {"text": "x"}).status_code == 403
    response = auditor.post(
        f"/api/v1/audit/findings/{finding.pk}/close",
        data=json.dumps({"lock_version": finding.lock_version, "closure_note": "Checked 10 files."}),
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "closed"
    assert response.json()["replies"][0]["text"] == "Fixed."
    assert AuditFinding.objects.get(pk=finding.pk).closed_by == user(AUDITOR)


def test_the_report_is_drafted_approved_by_another_auditor_and_exported() -> None:
    completed_year()
    client = _client(AUDITOR)
    response = client.post(
        "/audit-authority/reports/new/", {"report-programme": CCI_2021, "report-year": "2024"}
    )
    assert response["Location"] == f"/audit-authority/reports/{CCI_2021}/2024/"
    page = client.get(response["Location"]).content.decode()
    assert "The sampling results are not available yet" in page
    report = ControlReport.objects.get()
    client.post(
        f"/audit-authority/reports/{CCI_2021}/2024/opinion/",
        {
            "opinion": "unqualified",
            "opinion_basis": "System audits in category 1-2.",
            "lock_version": str(report.lock_version),
        },
    )
    report.refresh_from_db()
    assert report.opinion == "unqualified"
    # four eyes: the drafter's approval is refused (400)
    response = client.post(
        f"/audit-authority/reports/{CCI_2021}/2024/approve/", {"lock_version": str(report.lock_version)}
    )
    assert response.status_code == 400
    second = _client(AUDITOR2)
    response = second.post(
        f"/audit-authority/reports/{CCI_2021}/2024/approve/", {"lock_version": str(report.lock_version)}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "approved"
    pdf = client.get(f"/audit-authority/reports/{CCI_2021}/2024/export.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    again = client.get(f"/audit-authority/reports/{CCI_2021}/2024/export.pdf")
    assert again.content == pdf.content  # a frozen report gives the same bytes
    xlsx = client.get(f"/audit-authority/reports/{CCI_2021}/2024/export.xlsx")
    book = load_workbook(io.BytesIO(xlsx.content))
    rows = list(book["System audits"].iter_rows(values_only=True))
    assert rows[1][:5] == ("FPS Home Affairs - Unit European Funds", "Managing authority", 19, "KR2", 1)
    api = client.get(f"/api/v1/audit/reports/{CCI_2021}/2024").json()
    assert api["status"] == "approved" and api["content"]["assurance"]["category"] == 2


def test_the_api_gives_the_assurance_level() -> None:
    completed_year()
    response = _client(RA_OFFICER).get(f"/api/v1/audit/assurance/{CCI_2021}/2024")
    assert response.status_code == 200
    assert response.json()["category"] == 2
    # every body's categories: not for a delegated authority officer (test_scope.py)
    assert _client(DA).get(f"/api/v1/audit/assurance/{CCI_2021}/2024").status_code == 403
    assert (
        _client("beneficiary@caritas.example").get(f"/api/v1/audit/assurance/{CCI_2021}/2024").status_code
        == 403
    )
