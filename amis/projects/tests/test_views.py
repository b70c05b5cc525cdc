"""The grants pages: who sees what (each allowed role, 403/404 otherwise), the forms that act (each
POST with its lock; bad input a 400 that saves nothing), the PDF in the agreement's language."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from amis.accounts.models import User
from amis.projects import services
from amis.projects.models import AgreementVersion, BudgetTransfer, GrantAgreement, GrantTerms, Project
from amis.projects.tests.builders import (
    CARITAS,
    DA,
    RA_MANAGER,
    RA_OFFICER,
    REDCROSS,
    selected_project,
    signed_agreement,
    user,
)

pytestmark = pytest.mark.django_db
READERS = [
    RA_MANAGER,
    RA_OFFICER,
    DA,
    "verifier@amis.example",
    "accounting@amis.example",
    "auditor@amis.example",
    CARITAS,
]


def _client(email: str, language: str = "nl") -> Client:
    """Logged in, reading Dutch (amounts typed and shown as 1.000,00)."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(User.objects.get(email=email))
    return client


def _signed() -> Project:
    project = selected_project()
    signed_agreement(project)
    project.refresh_from_db()
    return project


def test_the_project_pages_answer_each_role_as_the_table_says(belgian: object) -> None:
    project = _signed()
    ref = project.reference
    pages = [
        "/projects/",
        f"/projects/{ref}/",
        f"/projects/{ref}/agreement/v1/",
        f"/projects/{ref}/agreement/v1/diff/",
    ]
    for email in READERS:
        client = _client(email)
        for path in pages:
            response = client.get(path)
            assert response.status_code == 200, (email, path, response.status_code)
        assert ref in client.get("/projects/").content.decode()
    page = _client(CARITAS).get(f"/projects/{ref}/").content.decode()
    assert (
        "321.000,00" in page or "321 000,00" in page or "321,000.00" in page
    )  # the total, in the reader's format
    # another beneficiary does not learn the project exists; a role without project.view is refused
    other = _client(REDCROSS)
    assert ref not in other.get("/projects/").content.decode()
    assert other.get(f"/projects/{ref}/").status_code == 404
    assert other.get(f"/projects/{ref}/agreement/v1.pdf").status_code == 404
    assert _client("assessor@amis.example").get(f"/projects/{ref}/").status_code == 403
    assert _client("mc.member@amis.example").get("/projects/").status_code == 403
    assert Client().get(f"/projects/{ref}/").status_code in (302, 403)


def test_the_list_filters_by_call_and_text(belgian: object) -> None:
    project = selected_project()
    client = _client(RA_OFFICER)
    assert (
        project.reference
        in client.get("/projects/", {"call": project.application.call.code}).content.decode()
    )
    assert project.reference not in client.get("/projects/", {"call": "NO-SUCH"}).content.decode()
    assert project.reference in client.get("/projects/", {"q": "Taal en"}).content.decode()
    assert project.reference not in client.get("/projects/", {"q": "zzz"}).content.decode()


def test_the_pdf_of_a_version_in_the_agreement_language(belgian: object) -> None:
    """The download is the PDF as issued (its SHA-256 the one stored), in the agreement's language:
    the same version in French gives another document."""
    import hashlib

    from amis.projects.pdf import agreement_pdf

    project = selected_project()
    version = services.agreement_prepare(actor=user(DA), project=project)
    GrantAgreement.objects.filter(pk=version.agreement_id).update(language="nl")
    version = services.version_issue(
        actor=user(RA_OFFICER), version=version, expected_lock_version=version.lock_version
    )
    response = _client(CARITAS).get(f"/projects/{project.reference}/agreement/v1.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    dutch = response.content
    assert dutch.startswith(b"%PDF") and dutch.rstrip().endswith(b"%%EOF")
    assert hashlib.sha256(dutch).hexdigest() == AgreementVersion.objects.get(pk=version.pk).pdf_sha256
    GrantAgreement.objects.filter(pk=version.agreement_id).update(language="fr")
    french = agreement_pdf(AgreementVersion.objects.get(pk=version.pk))
    assert french.startswith(b"%PDF") and french != dutch
    assert _client(CARITAS).get(f"/projects/{project.reference}/agreement/v1.pdf").content == french


def test_an_officer_prepares_and_a_colleague_issues_after_confirming(belgian: object) -> None:
    project = selected_project()
    ref = project.reference
    da = _client(DA)
    assert f'action="/projects/{ref}/agreement/prepare/"' in da.get(f"/projects/{ref}/").content.decode()
    assert "agreement/prepare/" not in _client(CARITAS).get(f"/projects/{ref}/").content.decode()
    response = da.post(f"/projects/{ref}/agreement/prepare/", {"lock_version": project.lock_version})
    assert response.status_code == 302 and response["Location"] == f"/projects/{ref}/agreement/v1/"
    version = AgreementVersion.objects.get(agreement__project=project)
    # the preparer is refused (four eyes), shown clearly
    ask = da.post(
        f"/projects/{ref}/agreement/v1/issue/", {"lock_version": version.lock_version, "confirm": "yes"}
    )
    assert ask.status_code == 403
    officer = _client(RA_OFFICER)
    confirm = officer.post(f"/projects/{ref}/agreement/v1/issue/", {"lock_version": version.lock_version})
    assert confirm.status_code == 200 and b'name="confirm"' in confirm.content
    assert AgreementVersion.objects.get(pk=version.pk).status == "draft"
    done = officer.post(
        f"/projects/{ref}/agreement/v1/issue/", {"lock_version": version.lock_version, "confirm": "yes"}
    )
    assert done.status_code == 302
    assert AgreementVersion.objects.get(pk=version.pk).status == "issued"


def test_issue_refused_for_terms_problems_shows_them(belgian: object) -> None:
    project = selected_project()
    project.organisation.iban = ""
    project.organisation.save()
    version = services.agreement_prepare(actor=user(DA), project=project)
    response = _client(RA_OFFICER).post(
        f"/projects/{project.reference}/agreement/v1/issue/", {"lock_version": version.lock_version}
    )
    assert response.status_code == 400
    assert "geen bevestigde bankrekening" in response.content.decode()  # terms_problems, in Dutch


def test_bad_input_is_a_400_that_saves_nothing(belgian: object) -> None:
    project = _signed()
    ref = project.reference
    ben = _client(CARITAS)
    cases: list[tuple[str, dict[str, Any]]] = [
        (
            f"/projects/{ref}/transfers/",
            {
                "lock_version": project.lock_version,
                "from_category": "staff",
                "to_category": "travel",
                "amount": "abc",
                "reason": "x",
            },
        ),
        (
            f"/projects/{ref}/transfers/",
            {"from_category": "staff", "to_category": "travel", "amount": "10", "reason": "x"},
        ),
        (
            f"/projects/{ref}/transfers/",
            {
                "lock_version": project.lock_version,
                "from_category": "staff",
                "to_category": "travel",
                "amount": "5000,00",
                "reason": "x",
            },
        ),
        (f"/projects/{ref}/amendment/request/", {"lock_version": project.lock_version, "reason": " "}),
    ]
    for path, data in cases:
        response = ben.post(path, data)
        assert response.status_code == 400, (path, data, response.status_code)
        assert b'role="alert"' in response.content
    assert "amendment" in ben.post(*cases[2]).content.decode()
    assert BudgetTransfer.objects.count() == 0 and AgreementVersion.objects.count() == 1
    stale = ben.post(
        cases[0][0], {**cases[0][1], "amount": "10,00", "lock_version": project.lock_version - 1}
    )
    assert stale.status_code == 409
    ok = ben.post(cases[0][0], {**cases[0][1], "amount": "1.000,00"})  # Dutch: one thousand
    assert ok.status_code == 302
    assert BudgetTransfer.objects.get().amount == Decimal("1000.00")


def test_an_amendment_page_diff_and_budget_form(belgian: object) -> None:
    project = _signed()
    ref = project.reference
    officer = _client(RA_OFFICER)
    response = officer.post(
        f"/projects/{ref}/amendment/", {"lock_version": project.lock_version, "reason": "More coaching."}
    )
    assert response.status_code == 302
    v2 = AgreementVersion.objects.get(number=2)
    year = v2.eligible_start.year
    form = {"lock_version": v2.lock_version, "action": "budget"}
    for b in v2.terms["budget"]:
        form[f"budget-{b['category']}-{b['year']}"] = b["amount"].replace(".", ",")
    form[f"budget-staff-{year}"] = "125.000,00"  # +5,000 over 120,000
    refused = officer.post(f"/projects/{ref}/agreement/v2/edit/", form)
    assert (
        refused.status_code == 400 and AgreementVersion.objects.get(number=2).lock_version == v2.lock_version
    )
    form[f"budget-travel-{year}"] = "5.000,00"  # -5,000: the total stays
    assert officer.post(f"/projects/{ref}/agreement/v2/edit/", form).status_code == 302
    bad = officer.post(
        f"/projects/{ref}/agreement/v2/edit/",
        {**form, "lock_version": v2.lock_version + 1, f"budget-staff-{year}": "x"},
    )
    assert bad.status_code == 400
    odd = officer.post(f"/projects/{ref}/agreement/v2/edit/", {**form, "budget-staff": "1,00"})
    assert odd.status_code == 400  # a cell without its year
    diff = officer.get(f"/projects/{ref}/agreement/v2/diff/").content.decode()
    assert "Personeel" in diff and "5.000,00" in diff and "-5.000,00" in diff
    v1_page = _client(CARITAS).get(f"/projects/{ref}/agreement/v1/")
    assert v1_page.status_code == 200
    # special conditions, an option, then a withdrawal through its confirmation
    v2.refresh_from_db()
    assert (
        officer.post(
            f"/projects/{ref}/agreement/v2/edit/",
            {"lock_version": v2.lock_version, "action": "conditions", "special_conditions": "Visits."},
        ).status_code
        == 302
    )
    v2.refresh_from_db()
    sco = {
        "lock_version": v2.lock_version,
        "action": "sco_add",
        "code": "LS1",
        "kind": "lump_sum",
        "category": "other",
        "amount": "abc",
    }
    assert officer.post(f"/projects/{ref}/agreement/v2/edit/", sco).status_code == 400
    assert (
        officer.post(f"/projects/{ref}/agreement/v2/edit/", {**sco, "amount": "2.500,00"}).status_code == 302
    )
    v2.refresh_from_db()
    assert (
        v2.terms["special_conditions"] == "Visits."
        and v2.terms["simplified_costs"][-1]["amount"] == "2500.00"
    )
    ask = officer.post(
        f"/projects/{ref}/agreement/v2/withdraw/", {"lock_version": v2.lock_version, "reason": "No."}
    )
    assert ask.status_code == 200 and AgreementVersion.objects.get(number=2).status == "draft"
    done = officer.post(
        f"/projects/{ref}/agreement/v2/withdraw/",
        {"lock_version": v2.lock_version, "reason": "No.", "confirm": "yes"},
    )
    assert done.status_code == 302 and AgreementVersion.objects.get(number=2).status == "rejected"
    # the beneficiary cannot change a draft
    assert (
        _client(CARITAS)
        .post(f"/projects/{ref}/agreement/v2/edit/", {"lock_version": 1, "action": "conditions"})
        .status_code
        == 403
    )


def test_signatures_on_the_page(belgian: object) -> None:
    project = selected_project()
    ref = project.reference
    version = services.agreement_prepare(actor=user(DA), project=project)
    version = services.version_issue(
        actor=user(RA_OFFICER), version=version, expected_lock_version=version.lock_version
    )
    day = version.issued_at.date().strftime("%d/%m/%Y")  # type: ignore[union-attr]
    officer = _client(RA_MANAGER)
    assert (
        officer.post(
            f"/projects/{ref}/agreement/v1/sign/authority/",
            {"lock_version": version.lock_version, "signatory": "", "signed_on": day},
        ).status_code
        == 400
    )
    assert (
        officer.post(
            f"/projects/{ref}/agreement/v1/sign/authority/",
            {"lock_version": version.lock_version, "signatory": "Marc", "signed_on": day},
        ).status_code
        == 302
    )
    version.refresh_from_db()
    from django.core.files.uploadedfile import SimpleUploadedFile

    scan = SimpleUploadedFile("signed.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    ben = _client(CARITAS)
    response = ben.post(
        f"/projects/{ref}/agreement/v1/sign/beneficiary/",
        {"lock_version": version.lock_version, "signatory": "Fatima", "signed_on": day, "scan": scan},
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == "signed" and version.signed_scan_sha256
    assert _client(REDCROSS).post(f"/projects/{ref}/agreement/v1/sign/beneficiary/", {}).status_code == 404


def test_grant_terms_page_and_the_call_part(belgian: object) -> None:
    project = selected_project()
    call = project.application.call
    client = _client(DA)
    page = client.get(f"/calls/{call.code}/")
    assert f"/calls/{call.code}/grant-terms/" in page.content.decode()
    assert client.get(f"/calls/{call.code}/grant-terms/").status_code == 200
    form = {
        "lock_version": 1,
        "interim_report_months": "6",
        "report_due_days": "45",
        "transfer_tolerance": "12,5",
        "prefinancing_share": "30",
        "special_conditions": "",
    }
    assert (
        client.post(f"/calls/{call.code}/grant-terms/", {**form, "transfer_tolerance": "veel"}).status_code
        == 400
    )
    assert (
        client.post(f"/calls/{call.code}/grant-terms/", {**form, "transfer_tolerance": "150"}).status_code
        == 400
    )
    assert not GrantTerms.objects.exists()
    assert client.post(f"/calls/{call.code}/grant-terms/", form).status_code == 302
    terms = GrantTerms.objects.get()
    assert terms.transfer_tolerance == Decimal("0.1250") and terms.prefinancing_share == Decimal("0.3000")
    assert client.post(f"/calls/{call.code}/grant-terms/", form).status_code == 409  # read before the save
    assert _client(CARITAS).get(f"/calls/{call.code}/grant-terms/").status_code == 403


def test_the_financial_picture_shows_what_later_stages_register(belgian: object) -> None:
    """The budget comes from the version in force; declared (reporting), verified, paid, corrected
    come from the sources the later stages register, summed per category, totals to the cent."""
    from amis.projects.selectors import financial_picture, register_picture_source, unregister_picture_source
    from amis.reporting.selectors import financial_picture as reporting_picture

    project = _signed()
    assert financial_picture(project).totals == reporting_picture(project).totals  # nothing declared yet
    register_picture_source(
        "test",
        lambda p: {
            "declared": {"staff": Decimal("1234.56"), "travel": Decimal("0.01")},
            "verified": {"staff": Decimal("1234.56"), "travel": Decimal("0.01")},
            "paid": {"staff": Decimal("1000.00")},
        },
    )
    try:
        picture = financial_picture(project)
        assert picture.totals["declared"] == Decimal("1234.57")
        assert picture.totals["remaining"] == Decimal("321000.00") - Decimal("1234.57")
        page = _client(RA_OFFICER).get(f"/projects/{project.reference}/").content.decode()
        assert "1.234,56" in page and "319.765,43" in page
        api = _client(CARITAS).get(f"/api/v1/projects/{project.reference}").json()
        assert api["totals"]["declared"] == "1234.57" and api["totals"]["paid"] == "1000.00"
        staff = next(r for r in api["financial_picture"] if r["category"] == "staff")
        # remaining: the budget less what is verified (plus what is corrected: nothing here)
        assert staff["remaining"] == str(Decimal(staff["budget"]) - Decimal("1234.56"))
    finally:
        unregister_picture_source("test")


def test_a_delegated_officer_of_another_part_neither_sees_nor_acts(belgian: object) -> None:
    from allauth.mfa.totp.internal.auth import TOTP

    from amis.accounts import services as accounts
    from amis.core.models import AuditEntry
    from amis.organisations.models import Organisation

    project = _signed()
    outside = accounts.user_create(email="da.so1@amis.example", password="a-long-test-password-1")
    accounts.role_assign(
        user=outside,
        role="da_officer",
        organisation=Organisation.objects.get(short_name="ESF Flanders"),
        specific_objective="SO1",
    )
    TOTP.activate(outside, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    client = _client("da.so1@amis.example")
    ref = project.reference
    assert ref not in client.get("/projects/").content.decode()
    assert client.get(f"/projects/{ref}/").status_code == 404
    assert (
        client.post(
            f"/projects/{ref}/amendment/", {"lock_version": project.lock_version, "reason": "x"}
        ).status_code
        == 404
    )
    assert client.get(f"/calls/{project.application.call.code}/grant-terms/").status_code == 403
    assert AuditEntry.objects.filter(action="permission_refused", actor=outside).exists()
    assert AgreementVersion.objects.filter(agreement__project=project).count() == 1
