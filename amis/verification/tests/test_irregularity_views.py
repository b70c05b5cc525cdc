"""Pages of the beneficiary's reply to a visit, of findings (of a check or a desk verification) and of
irregularities: GET and POST, 400 on bad input, 403/404 outside one's role or scope, 409 on a stale
form; the beneficiary never sees another's check nor the authority's selection and risk data."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from amis.programme.models import Programme
from amis.projects.tests.builders import CARITAS, REDCROSS, user
from amis.verification import services, spot_checks
from amis.verification.models import CheckSelection, FinancialCorrection, Finding, Irregularity
from amis.verification.tests.test_irregularities import outside_da, visited_check
from amis.verification.tests.test_services import VERIFIER, _submitted_report

pytestmark = pytest.mark.django_db


def _client(who: Any) -> Client:
    client = Client()
    client.force_login(user(who) if isinstance(who, str) else who)
    client.cookies["django_language"] = "en"
    return client


def _today() -> str:
    today = timezone.localdate()
    return f"{today.day:02d}/{today.month:02d}/{today.year}"


def test_the_beneficiary_sees_the_visit_and_replies_the_officer_reads_it(belgian: object) -> None:
    check = visited_check()
    CheckSelection.objects.create(
        programme=Programme.objects.get(cci="2021BE65AMPR001"),
        year=2027,
        weights={"size": "3"},
        risk_count=1,
        random_count=0,
        seed=7,
        candidates=[],
        scores={check.project.reference: "0.987654"},
        method="RISK-METHOD-TEXT",
        created_by=user(VERIFIER),
    )
    check.selection = CheckSelection.objects.get()
    check.save(update_fields=["selection"])
    first, second = check.findings.order_by("pk")
    url = reverse("spot_checks:reply", args=[check.pk])
    caritas = _client(CARITAS)
    project_page = caritas.get(reverse("projects:detail", args=[check.project.reference]))
    assert url.encode() in project_page.content
    page = caritas.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert "Invoice F-1 unpaid." in text and "Send bank statements." in text and "Julie Lambert" in text
    for secret in ("RISK-METHOD-TEXT", "0.987654", "attendance", "seed"):
        assert secret not in text, secret
    assert _client(REDCROSS).get(url).status_code == 404
    assert _client(VERIFIER).get(url).status_code == 403
    empty = caritas.post(url, {"lock_version": check.lock_version, "reply": " "})
    assert empty.status_code == 400 and b"This field is required" in empty.content
    sent = caritas.post(
        url,
        {
            "lock_version": check.lock_version,
            "reply": "We agree; statements follow.",
            f"finding_{first.pk}": "Statements attached to the report.",
            f"finding_{second.pk}": "",
        },
    )
    assert sent.status_code == 302
    stale = caritas.post(url, {"lock_version": check.lock_version, "reply": "Again."})
    assert stale.status_code == 409
    officer = _client(VERIFIER).get(reverse("spot_checks:check", args=[check.pk])).content.decode()
    assert "We agree; statements follow." in officer and "Statements attached to the report." in officer


def test_a_planned_check_is_not_shown_to_the_beneficiary(belgian: object) -> None:
    project = _submitted_report(2).project
    check = spot_checks.check_plan(
        actor=user(VERIFIER), project=project, kind="financial", planned_on=timezone.localdate()
    )
    caritas = _client(CARITAS)
    assert caritas.get(reverse("spot_checks:reply", args=[check.pk])).status_code == 404
    page = caritas.get(reverse("projects:detail", args=[project.reference]))
    assert page.status_code == 200 and b"On-the-spot checks" not in page.content


def test_the_officer_closes_a_finding_and_records_an_irregularity_from_the_check_page(
    belgian: object,
) -> None:
    check = visited_check()
    finding = check.findings.order_by("pk").first()
    assert finding is not None
    verifier = _client(VERIFIER)
    page = verifier.get(reverse("spot_checks:check", args=[check.pk]))
    assert page.status_code == 200 and f'name="i{finding.pk}-amount"'.encode() in page.content
    record = reverse("spot_checks:finding_irregularity", args=[finding.pk])
    bad = verifier.post(record, {f"i{finding.pk}-type": "nonsense", f"i{finding.pk}-amount": "abc"})
    assert bad.status_code == 400 and not Irregularity.objects.exists()
    made = verifier.post(
        record,
        {
            f"i{finding.pk}-type": "documents",
            f"i{finding.pk}-amount": "1,250.50",
            f"i{finding.pk}-detected_on": _today(),
            f"i{finding.pk}-description": "No proof of payment.",
        },
    )
    irregularity = Irregularity.objects.get()
    assert made.status_code == 302 and made["Location"] == reverse(
        "spot_checks:irregularity", args=[irregularity.pk]
    )
    assert str(irregularity.amount) == "1250.50" and irregularity.finding == finding
    close = reverse("spot_checks:close", args=[check.pk, finding.pk])
    assert verifier.post(close, {f"f{finding.pk}-lock_version": finding.lock_version}).status_code == 400
    closed = verifier.post(
        close,
        {
            f"f{finding.pk}-lock_version": finding.lock_version,
            f"f{finding.pk}-follow_up": "Statements received.",
        },
    )
    assert closed.status_code == 302
    finding.refresh_from_db()
    assert finding.status == Finding.Status.CLOSED and finding.follow_up == "Statements received."
    again = verifier.post(
        close, {f"f{finding.pk}-lock_version": finding.lock_version - 1, f"f{finding.pk}-follow_up": "Twice."}
    )
    assert again.status_code == 409


def test_a_finding_recorded_on_the_verification_page_with_its_correction(belgian: object) -> None:
    report = _submitted_report(3)
    verifier = _client(VERIFIER)
    url = reverse("verification:finding", args=[report.pk])
    not_started = verifier.post(url, {"text": "Early.", "severity": "minor"})
    assert not_started.status_code == 400
    services.verification_start(actor=user(VERIFIER), report=report)
    page = verifier.get(reverse("verification:page", args=[report.pk]))
    assert page.status_code == 200 and b"Record a finding" in page.content
    assert verifier.post(url, {"text": "", "severity": "minor"}).status_code == 400
    assert (
        verifier.post(url, {"text": "x", "severity": "minor", "amount_at_stake": "lots"}).status_code == 400
    )
    assert _client(CARITAS).post(url, {"text": "Mine.", "severity": "minor"}).status_code in (403, 404)
    made = verifier.post(
        url,
        {
            "text": "Invoice F-2 twice.",
            "severity": "major",
            "amount_at_stake": "101",
            "recommendation": "Explain.",
        },
    )
    assert made.status_code == 302
    finding = Finding.objects.get(verification__report=report)
    assert finding.spot_check is None and str(finding.amount_at_stake) == "101.00"
    listed = verifier.get(reverse("verification:page", args=[report.pk]))
    assert reverse("spot_checks:finding", args=[finding.pk]).encode() in listed.content
    finding_page = verifier.get(reverse("spot_checks:finding", args=[finding.pk]))
    assert finding_page.status_code == 200 and b"the verification of report 1" in finding_page.content
    correction = reverse("spot_checks:finding_correction", args=[finding.pk])
    assert verifier.post(correction, {"amount": "-5", "category": "staff", "reason": "x"}).status_code == 400
    done = verifier.post(correction, {"amount": "101.00", "category": "staff", "reason": "Twice."})
    assert done.status_code == 302 and FinancialCorrection.objects.get().finding == finding
    close = reverse("spot_checks:finding_close", args=[finding.pk])
    assert verifier.post(close, {"lock_version": finding.lock_version, "follow_up": ""}).status_code == 400
    closed = verifier.post(
        close, {"lock_version": finding.lock_version, "follow_up": "Explained: one credit note."}
    )
    assert closed.status_code == 302
    finding.refresh_from_db()
    assert finding.status == Finding.Status.CLOSED
    assert (
        verifier.post(close, {"lock_version": finding.lock_version, "follow_up": "Twice."}).status_code == 400
    )
    assert _client(CARITAS).get(reverse("spot_checks:finding", args=[finding.pk])).status_code == 403
    assert _client(outside_da()).get(reverse("spot_checks:finding", args=[finding.pk])).status_code == 404


def test_the_irregularities_list_detail_and_steps(belgian: object) -> None:
    check = visited_check()
    first, second = check.findings.order_by("pk")
    verifier_user = user(VERIFIER)
    made = [
        spot_checks.irregularity_record(
            actor=verifier_user,
            finding=f,
            type=kind,
            amount=Decimal(amount),
            detected_on=timezone.localdate(),
            description=f"About {kind}.",
        )
        for f, kind, amount in ((first, "documents", "250.00"), (second, "fraud", "40.00"))
    ]
    verifier = _client(VERIFIER)
    listing = verifier.get(reverse("spot_checks:irregularities"))
    assert listing.status_code == 200 and b"2 irregularities" in listing.content
    only_fraud = verifier.get(reverse("spot_checks:irregularities"), {"type": "fraud", "status": "suspected"})
    assert list(only_fraud.context["page_obj"].object_list) == [made[1]]
    by_project = verifier.get(reverse("spot_checks:irregularities"), {"project": "NOPE"})
    assert by_project.context["page_obj"].paginator.count == 0
    assert verifier.get(reverse("spot_checks:irregularities"), {"status": "bogus"}).status_code == 400
    assert _client(CARITAS).get(reverse("spot_checks:irregularities")).status_code == 403
    outside = _client(outside_da())
    assert outside.get(reverse("spot_checks:irregularities")).context["page_obj"].paginator.count == 0
    one = made[0]
    detail = reverse("spot_checks:irregularity", args=[one.pk])
    assert outside.get(detail).status_code == 404
    page = verifier.get(detail)
    assert (
        page.status_code == 200
        and b"About documents." in page.content
        and b"Invoice F-1 unpaid." in page.content
    )
    step = reverse("spot_checks:irregularity_status", args=[one.pk])
    assert verifier.post(step, {"lock_version": 1, "status": "established"}).status_code == 400
    assert verifier.post(step, {"lock_version": 1, "status": "suspected", "reason": "x"}).status_code == 400
    assert (
        verifier.post(
            step, {"lock_version": 1, "status": "established", "reason": "Bank says so."}
        ).status_code
        == 302
    )
    assert verifier.post(step, {"lock_version": 1, "status": "closed", "reason": "Late."}).status_code == 409
    assert (
        verifier.post(step, {"lock_version": 2, "status": "established", "reason": "Again."}).status_code
        == 400
    )
    assert (
        verifier.post(step, {"lock_version": 2, "status": "closed", "reason": "Corrected."}).status_code
        == 302
    )
    history = verifier.get(detail)
    assert [e.to_status for e in history.context["events"]] == ["suspected", "established", "closed"]
    assert b"Record the step" not in history.content
    other = verifier.post(
        reverse("spot_checks:irregularity_status", args=[made[1].pk]),
        {"lock_version": 1, "status": "closed", "reason": "Not confirmed by the bank."},
    )
    assert other.status_code == 302
    closed = verifier.get(reverse("spot_checks:irregularities"), {"status": "closed", "type": "fraud"})
    assert b"not confirmed" in closed.content
