"""The desk-verification pages: the verifier's list, the checklist, the lines decided in bulk (ticked,
by filter, one reduced typed in Dutch), refusals that save nothing (400), a stale form (409), the
preparer of the agreement refused (403 with the reason), readers out of scope kept out, completion
after the confirmation step with AMIS's working; the project page's part, the financial picture's
verified column and the home page's task."""

from __future__ import annotations

from decimal import Decimal

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client
from django.urls import reverse

from amis.accounts import services as accounts
from amis.accounts.roles import Role
from amis.organisations.models import Organisation
from amis.projects.selectors import financial_picture
from amis.projects.tests.builders import CARITAS, DA, REDCROSS, user
from amis.reporting.models import ExpenditureLine, Report
from amis.verification.checklist import DEFAULT_ITEMS
from amis.verification.models import LineDecision, Verification
from amis.verification.tests.test_services import VERIFIER, _submitted_report

pytestmark = pytest.mark.django_db


def _client(email: str, language: str = "en") -> Client:
    client = Client()
    client.force_login(user(email))
    client.cookies["django_language"] = language
    return client


def _page(report: Report) -> str:
    return reverse("verification:page", args=[report.pk])


def _all_yes(**changes: str) -> dict[str, str]:
    values = {f"answer_{code}": "yes" for code, _texts in DEFAULT_ITEMS}
    values.update(changes)
    return values


def _started(lines: int = 30) -> tuple[Report, Verification, Client]:
    report = _submitted_report(lines)
    client = _client(VERIFIER)
    assert client.post(_page(report)).status_code == 302
    return report, Verification.objects.get(report=report), client


def test_the_verifier_lists_starts_and_decides_in_bulk(belgian: object) -> None:
    report = _submitted_report(130)
    client = _client(VERIFIER)
    listing = client.get(reverse("verification:list"))
    assert listing.status_code == 200 and report.project.reference in listing.content.decode()
    page = client.get(_page(report))
    assert page.status_code == 200 and b"Start the verification" in page.content
    assert client.post(_page(report)).status_code == 302
    verification = Verification.objects.get(report=report)
    page = client.get(_page(report))
    assert page.content.decode().count('name="line"') == 100  # 100 lines a page
    second = client.get(_page(report) + "?page=2")
    assert second.content.decode().count('name="line"') == 30
    travel = client.get(_page(report) + "?category=travel")
    assert travel.content.decode().count('name="line"') == 44  # one line in three is travel
    first = ExpenditureLine.objects.filter(report=report).order_by("position").first()
    assert first is not None
    refused = client.post(
        reverse("verification:decisions", args=[report.pk]),
        {"scope": "ticked", "line": [first.pk], "decision": "ineligible"},
    )
    assert refused.status_code == 400 and b"reason" in refused.content
    assert not LineDecision.objects.exists()
    rejected = client.post(
        reverse("verification:decisions", args=[report.pk]),
        {"scope": "ticked", "line": [first.pk], "decision": "ineligible", "reason": "no_document"},
    )
    assert rejected.status_code == 302
    decided = client.post(
        reverse("verification:decisions", args=[report.pk]),
        {"scope": "matching", "f-category": "travel", "f-undecided": "on", "decision": "eligible"},
    )
    assert decided.status_code == 302
    assert LineDecision.objects.filter(verification=verification, decision="eligible").count() == 43
    assert LineDecision.objects.get(line=first).reason == "no_document"


def test_a_reduction_typed_in_dutch_and_a_bad_amount_refused(belgian: object) -> None:
    report, verification, _en = _started(3)
    client = _client(VERIFIER, "nl")
    line = ExpenditureLine.objects.filter(report=report).order_by("position").first()
    assert line is not None  # declared 100.00
    url = reverse("verification:decisions", args=[report.pk])
    typed = {"scope": "ticked", "line": [line.pk], "decision": "reduced", "reason": "above_ceiling"}
    assert client.post(url, {**typed, "eligible": "12,3x"}).status_code == 400
    assert client.post(url, {**typed, "eligible": "150,00"}).status_code == 400  # above declared
    assert not LineDecision.objects.exists()
    assert client.post(url, {**typed, "eligible": "60,50"}).status_code == 302
    decision = LineDecision.objects.get(line=line)
    assert decision.eligible == Decimal("60.50") and decision.decision == "reduced"
    both = ExpenditureLine.objects.filter(report=report).values_list("pk", flat=True)
    assert client.post(url, {**typed, "line": list(both), "eligible": "1,00"}).status_code == 400


def test_the_checklist_needs_a_comment_for_no(belgian: object) -> None:
    report, verification, client = _started(3)
    url = reverse("verification:checklist", args=[report.pk])
    lock = verification.lock_version
    refused = client.post(url, {**_all_yes(answer_documents="no"), "lock_version": lock})
    assert refused.status_code == 400 and b"Say what is wrong" in refused.content
    verification.refresh_from_db()
    assert verification.checklist == {}
    saved = client.post(
        url, {**_all_yes(answer_documents="no", comment_documents="Invoice 7 missing"), "lock_version": lock}
    )
    assert saved.status_code == 302
    verification.refresh_from_db()
    assert verification.checklist["documents"] == {"answer": "no", "comment": "Invoice 7 missing"}
    stale = client.post(url, {**_all_yes(), "lock_version": lock})
    assert stale.status_code == 409


def test_completion_after_confirmation_shows_the_working(belgian: object) -> None:
    report, verification, client = _started(6)
    client.post(
        reverse("verification:checklist", args=[report.pk]),
        {**_all_yes(), "lock_version": verification.lock_version},
    )
    line = ExpenditureLine.objects.filter(report=report).order_by("position").first()
    assert line is not None
    decisions = reverse("verification:decisions", args=[report.pk])
    client.post(
        decisions, {"scope": "ticked", "line": [line.pk], "decision": "ineligible", "reason": "not_paid"}
    )
    complete = reverse("verification:complete", args=[report.pk])
    verification.refresh_from_db()
    early = client.post(complete, {"lock_version": verification.lock_version, "confirm": "yes"})
    assert early.status_code == 400 and b"not decided yet" in early.content
    page = client.get(_page(report))
    ids = [str(line.pk) for line in ExpenditureLine.objects.filter(report=report)]
    assert (
        client.post(
            decisions, {"scope": "page", "page_line": ids, "decision": "eligible", "line": []}
        ).status_code
        == 302
    )
    # the whole page is now eligible: decide the rejected line again
    client.post(
        decisions, {"scope": "ticked", "line": [line.pk], "decision": "ineligible", "reason": "not_paid"}
    )
    verification.refresh_from_db()
    asked = client.post(complete, {"lock_version": verification.lock_version})
    assert asked.status_code == 200 and b'name="confirm"' in asked.content
    assert Verification.objects.get(pk=verification.pk).status == "open"
    stale = client.post(complete, {"lock_version": verification.lock_version - 1, "confirm": "yes"})
    assert stale.status_code == 409
    done = client.post(complete, {"lock_version": verification.lock_version, "confirm": "yes"})
    assert done.status_code == 302
    verification.refresh_from_db()
    assert verification.status == "completed" and Report.objects.get(pk=report.pk).status == "accepted"
    page = client.get(_page(report))
    text = page.content.decode()
    assert page.status_code == 200
    assert "AMIS&#x27;s working" in text or "AMIS's working" in text
    assert "EU co-financing rate" in text and "flat rate" in text
    assert f"{verification.eu_share:,.2f}" in text
    dutch = _client(VERIFIER, "nl").get(_page(report)).content.decode()
    assert "EU-cofinancieringspercentage" in dutch and "De berekening van AMIS" in dutch
    # the project page's part and the financial picture's verified column
    project_page = client.get(f"/projects/{report.project.reference}/")
    assert project_page.status_code == 200 and b"Verifications" in project_page.content
    picture = financial_picture(report.project)
    verified = sum((Decimal(v) for v in verification.verified_by_category.values()), Decimal("0"))
    assert picture.total("verified") == verified == verification.verified


def test_the_preparer_is_refused_with_the_reason(belgian: object) -> None:
    report = _submitted_report(3)
    answer = _client(DA).post(_page(report))
    assert answer.status_code == 403 and b"another person must verify" in answer.content
    assert not Verification.objects.exists()


@pytest.mark.parametrize("who,status", [(CARITAS, 403), (REDCROSS, 404)])
def test_beneficiaries_are_kept_out(belgian: object, who: str, status: int) -> None:
    report = _submitted_report(3)
    client = _client(who)
    assert client.get(_page(report)).status_code == status
    assert client.post(_page(report)).status_code == status
    assert client.get(reverse("verification:list")).status_code == 403


def test_the_home_page_lists_reports_to_verify(belgian: object) -> None:
    report = _submitted_report(3)
    home = _client(VERIFIER).get("/")
    text = home.content.decode()
    assert "Reports to verify" in text and _page(report) in text


def test_a_delegated_officer_of_another_part_sees_nothing(belgian: object) -> None:
    report = _submitted_report(3)
    outsider = accounts.user_create(email="da-so1@amis.example", password="a-long-test-password-1")
    accounts.role_assign(
        user=outsider,
        role=Role.DA_OFFICER,
        organisation=Organisation.objects.get(short_name="ESF Flanders"),
        specific_objective="SO1",
    )
    TOTP.activate(outsider, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    client = Client()
    client.force_login(outsider)
    assert client.get(_page(report)).status_code == 404
    assert client.post(_page(report)).status_code == 404
    listing = client.get(reverse("verification:list"))
    assert listing.status_code == 200 and report.project.reference not in listing.content.decode()
    inside = _client(DA).get(reverse("verification:list"))  # the DA of the call's part sees it
    assert report.project.reference in inside.content.decode()
    assert not Verification.objects.exists()


def test_the_lines_page_reads_in_a_fixed_number_of_queries(belgian: object) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    report, _verification, client = _started(5)
    template = ExpenditureLine.objects.filter(report=report).order_by("position").first()
    assert template is not None
    counts = []
    for more in (0, 145):
        ExpenditureLine.objects.bulk_create(
            ExpenditureLine(
                report=report,
                position=100 + i,
                category="staff",
                supplier_name=f"Extra {i}",
                supplier_key=f"extra {i}",
                invoice_number=f"X-{i}",
                invoice_date=template.invoice_date,
                amount_declared=Decimal("10.00"),
            )
            for i in range(more)
        )
        client.post(
            reverse("verification:decisions", args=[report.pk]),
            {"scope": "matching", "f-undecided": "on", "decision": "eligible"},
        )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_page(report)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert LineDecision.objects.filter(line__report=report).count() == 150
