"""The on-the-spot check pages: a selection made with weights and a seed, its sample, scores,
coverage and method, re-run to the same sample; a check planned on a sampled project, the visit
recorded with a finding, the finding closed with its follow-up; refusals 400/403/409, never 500."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from amis.programme.models import Programme
from amis.projects.tests.builders import CARITAS, PDF, user
from amis.verification.models import CheckSelection, FinancialCorrection, Finding, OnTheSpotCheck
from amis.verification.tests.test_services import VERIFIER, _submitted_report

pytestmark = pytest.mark.django_db


def _client(email: str) -> Client:
    client = Client()
    client.force_login(user(email))
    client.cookies["django_language"] = "en"
    return client


def _selection_post(programme: Programme, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "programme": programme.pk,
        "year": "2027",
        "risk_count": "1",
        "random_count": "1",
        "seed": "42",
        "w_size": "3",
        "w_beneficiary_type": "1",
        "w_history": "1",
        "w_earlier_findings": "2",
        "w_ineligible_share": "2",
        "w_procurement": "1",
    }
    data.update(changes)
    return data


def test_a_selection_is_made_re_run_and_a_check_recorded(belgian: object) -> None:
    report = _submitted_report(3)
    reference = report.project.reference
    programme = Programme.objects.get(cci="2021BE65AMPR001")
    verifier = _client(VERIFIER)
    assert verifier.get(reverse("spot_checks:selections")).status_code == 200
    bad = verifier.post(
        reverse("spot_checks:selections"), _selection_post(programme, risk_count="0", random_count="0")
    )
    assert bad.status_code == 400 and not CheckSelection.objects.exists()
    made = verifier.post(reverse("spot_checks:selections"), _selection_post(programme))
    assert made.status_code == 302, made.content.decode()[:1500]
    selection = CheckSelection.objects.get()
    assert selection.seed == 42 and selection.risk_based == [reference]
    page = verifier.get(made["Location"])
    assert page.status_code == 200 and b"seed 42" in page.content and reference.encode() in page.content
    again = verifier.get(made["Location"] + "?rerun=1")
    assert again.context["same"] is True and b"The re-run gives the same sample" in again.content

    today = timezone.localdate()
    day = f"{today.day:02d}/{today.month:02d}/{today.year}"
    nowhere = verifier.post(
        reverse("spot_checks:plan"), {"project": "NOPE", "kind": "operational", "planned_on": day}
    )
    assert nowhere.status_code == 400
    planned = verifier.post(
        reverse("spot_checks:plan"),
        {"project": reference, "kind": "operational", "planned_on": day, "selection": selection.pk},
    )
    assert planned.status_code == 302
    check = OnTheSpotCheck.objects.get()
    assert check.selection == selection
    visit = {
        "lock_version": check.lock_version,
        "visited_on": day,
        "team": "Julie Lambert\n",
        "checklist": "Attendance lists\nInvoices",
        "summary": "One invoice without proof of payment.",
        "finding": "Invoice F-1 has no proof of payment.",
        "severity": "major",
        "amount_at_stake": "101.00",
        "recommendation": "Add bank statements.",
    }
    assert (
        verifier.post(reverse("spot_checks:visit", args=[check.pk]), {**visit, "team": " "}).status_code
        == 400
    )
    assert (
        verifier.post(reverse("spot_checks:visit", args=[check.pk]), {**visit, "lock_version": 9}).status_code
        == 409
    )
    done = verifier.post(reverse("spot_checks:visit", args=[check.pk]), visit)
    assert done.status_code == 302
    check.refresh_from_db()
    assert check.status == OnTheSpotCheck.Status.VISITED and check.team == ["Julie Lambert"]
    assert check.checklist == {"Attendance lists": "checked", "Invoices": "checked"}
    finding = Finding.objects.get(spot_check=check)
    assert str(finding.amount_at_stake) == "101.00"
    refused = verifier.post(
        reverse("spot_checks:correction", args=[check.pk, finding.pk]),
        {f"c{finding.pk}-amount": "-5", f"c{finding.pk}-category": "travel", f"c{finding.pk}-reason": "x"},
    )
    assert refused.status_code == 400 and not FinancialCorrection.objects.exists()
    corrected = verifier.post(
        reverse("spot_checks:correction", args=[check.pk, finding.pk]),
        {
            f"c{finding.pk}-amount": "101.00",
            f"c{finding.pk}-category": "travel",
            f"c{finding.pk}-reason": "No proof",
        },
    )
    assert corrected.status_code == 302
    assert FinancialCorrection.objects.get().finding == finding
    no_file = verifier.post(reverse("spot_checks:document", args=[check.pk]), {})
    assert no_file.status_code == 400
    uploaded = verifier.post(
        reverse("spot_checks:document", args=[check.pk]), {"document": SimpleUploadedFile("visit.pdf", PDF)}
    )
    assert uploaded.status_code == 302 and check.documents.get().sha256 == hashlib.sha256(PDF).hexdigest()
    prefix = f"f{finding.pk}"
    empty = verifier.post(
        reverse("spot_checks:close", args=[check.pk, finding.pk]), {f"{prefix}-lock_version": 1}
    )
    assert empty.status_code == 400
    closed = verifier.post(
        reverse("spot_checks:close", args=[check.pk, finding.pk]),
        {f"{prefix}-lock_version": finding.lock_version, f"{prefix}-follow_up": "Statements received."},
    )
    assert closed.status_code == 302
    finding.refresh_from_db()
    assert finding.status == Finding.Status.CLOSED and finding.follow_up == "Statements received."


def test_the_beneficiary_is_kept_out_of_the_checks(belgian: object) -> None:
    _submitted_report(2)
    beneficiary = _client(CARITAS)
    assert beneficiary.get(reverse("spot_checks:selections")).status_code == 403
    assert beneficiary.post(reverse("spot_checks:plan"), {}).status_code == 403
