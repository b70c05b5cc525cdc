"""The report pages: the form read and filled by the beneficiary, refusals that save nothing (400),
another organisation's beneficiary and a delegated officer out of scope kept out, HTMX answers with
the summary, rounds and receipts, the officers' lists."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client
from django.urls import reverse

from amis.accounts import services as accounts
from amis.accounts.roles import Role
from amis.organisations.models import Organisation
from amis.projects.tests.builders import REDCROSS, user
from amis.reporting.models import ExpenditureLine, Report, ReportSubmission
from amis.reporting.tests.conftest import World

pytestmark = pytest.mark.django_db


def _client(who: Any) -> Client:
    client = Client()
    client.force_login(who)
    client.cookies["django_language"] = "nl"  # amounts and dates typed as Dutch writes them
    return client


def _typed(world: World, **changes: str) -> dict[str, str]:
    values = {
        "line-category": "staff",
        "line-cost_type": "real",
        "line-supplier_name": "Sociaal Secretariaat",
        "line-supplier_number": "0403.170.701",
        "line-invoice_number": "F-001",
        "line-invoice_date": f"15/03/{world.year}",
        "line-payment_date": f"01/04/{world.year}",
        "line-amount_excl_vat": "1.000,00",
        "line-amount_incl_vat": "1.210,00",
        "line-amount_declared": "1.000,00",
    }
    values.update(changes)
    return values


def test_the_beneficiary_adds_a_line_typed_in_dutch_and_the_summary_follows(world: World) -> None:
    client = _client(world.caritas)
    page = client.get(reverse("reporting:report", args=[world.report.pk]))
    assert page.status_code == 200 and b"Workplace Dutch" in page.content and b"O.2.1" in page.content
    answer = client.post(
        reverse("reporting:line_add", args=[world.report.pk]), _typed(world), HTTP_HX_REQUEST="true"
    )
    assert answer.status_code == 200, answer.content.decode()[:2000]
    line = ExpenditureLine.objects.get()
    assert (
        str(line.amount_declared) == "1000.00"
        and line.invoice_date is not None
        and line.invoice_date.month == 3
    )
    html = answer.content.decode()
    assert 'id="report-summary" hx-swap-oob="true"' in html and "Sociaal Secretariaat" in html


def test_a_refused_line_answers_400_per_field_and_saves_nothing(world: World) -> None:
    client = _client(world.caritas)
    answer = client.post(
        reverse("reporting:line_add", args=[world.report.pk]),
        _typed(world, **{"line-invoice_date": "15/03/1999", "line-amount_declared": "12,345"}),
        HTTP_HX_REQUEST="true",
    )
    assert answer.status_code == 400
    assert not ExpenditureLine.objects.exists()
    assert b"has-error" in answer.content and b'role="alert"' in answer.content
    answer = client.post(
        reverse("reporting:line_add", args=[world.report.pk]),
        _typed(world, **{"line-invoice_date": "15/03/1999"}),
    )
    assert answer.status_code == 400 and b"has-error" in answer.content
    assert not ExpenditureLine.objects.exists()


def test_edit_delete_and_a_supporting_document(world: World) -> None:
    client = _client(world.caritas)
    from django.core.files.uploadedfile import SimpleUploadedFile

    data: dict[str, Any] = _typed(world)
    data["line-document"] = SimpleUploadedFile(
        "invoice.pdf", b"%PDF-1.4 invoice", content_type="application/pdf"
    )
    assert client.post(reverse("reporting:line_add", args=[world.report.pk]), data).status_code == 302
    line = ExpenditureLine.objects.select_related("document").get()
    assert line.document is not None and len(line.document.sha256) == 64
    got = client.get(reverse("reporting:document", args=[world.report.pk, line.document.pk]))
    content = b"".join(got.streaming_content)  # type: ignore[attr-defined]
    assert got.status_code == 200 and content.startswith(b"%PDF")
    edit = reverse("reporting:line_edit", args=[world.report.pk, line.pk])
    assert client.get(edit, HTTP_HX_REQUEST="true").status_code == 200
    answer = client.post(edit, _typed(world, **{"line-amount_declared": "900,00"}), HTTP_HX_REQUEST="true")
    assert answer.status_code == 200
    line.refresh_from_db()
    assert str(line.amount_declared) == "900.00" and line.document is not None
    assert client.post(reverse("reporting:line_delete", args=[world.report.pk, line.pk])).status_code == 302
    assert not ExpenditureLine.objects.exists()


def test_another_organisation_and_an_out_of_scope_officer_see_nothing(world: World) -> None:
    other = _client(user(REDCROSS))
    url = reverse("reporting:report", args=[world.report.pk])
    assert other.get(url).status_code == 404
    assert other.post(reverse("reporting:line_add", args=[world.report.pk]), _typed(world)).status_code == 404
    outsider = accounts.user_create(email="da-so1@amis.example", password="a-long-test-password-1")
    accounts.role_assign(
        user=outsider,
        role=Role.DA_OFFICER,
        organisation=Organisation.objects.get(short_name="ESF Flanders"),
        specific_objective="SO1",
    )
    TOTP.activate(outsider, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    assert _client(outsider).get(url).status_code == 404
    assert _client(world.da).get(url).status_code == 200  # the DA of SO2 reads it
    # the DA reads, but does not fill in, the beneficiary's report
    assert (
        _client(world.da)
        .post(reverse("reporting:line_add", args=[world.report.pk]), _typed(world))
        .status_code
        == 403
    )
    assert not ExpenditureLine.objects.exists()


def test_submit_return_and_rounds_on_the_pages(world: World, django_capture_on_commit_callbacks: Any) -> None:
    client = _client(world.caritas)
    client.post(reverse("reporting:line_add", args=[world.report.pk]), _typed(world))
    ask = client.post(reverse("reporting:submit", args=[world.report.pk]), {"lock_version": "1"})
    assert ask.status_code == 200 and b'name="confirm"' in ask.content
    report = Report.objects.get(pk=world.report.pk)
    with django_capture_on_commit_callbacks(execute=False):
        done = client.post(
            reverse("reporting:submit", args=[report.pk]),
            {"lock_version": report.lock_version, "confirm": "yes"},
        )
    assert done.status_code == 302 and ReportSubmission.objects.count() == 1
    assert client.post(reverse("reporting:line_add", args=[report.pk]), _typed(world)).status_code == 400
    officer = _client(world.da)
    received = officer.get(reverse("reporting:received"))
    assert received.status_code == 200 and world.project.reference.encode() in received.content
    report.refresh_from_db()
    refused = officer.post(
        reverse("reporting:return", args=[report.pk]), {"lock_version": report.lock_version}
    )
    assert refused.status_code == 400
    with django_capture_on_commit_callbacks(execute=False):
        back = officer.post(
            reverse("reporting:return", args=[report.pk]),
            {"lock_version": report.lock_version, "comments": "Missing payslips."},
        )
    assert back.status_code == 302
    page = client.get(reverse("reporting:round", args=[report.pk, 1]))
    assert page.status_code == 200 and b"Missing payslips." in page.content
    pdf = client.get(reverse("reporting:receipt", args=[report.pk, 1]))
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    assert client.get(reverse("reporting:round", args=[report.pk, 2])).status_code == 404


def test_duplicate_shown_with_the_other_line_and_justified_on_the_page(world: World) -> None:
    client = _client(world.caritas)
    client.post(reverse("reporting:line_add", args=[world.report.pk]), _typed(world))
    answer = client.post(
        reverse("reporting:line_add", args=[world.report.pk]), _typed(world), HTTP_HX_REQUEST="true"
    )
    assert world.project.reference.encode() in answer.content
    second_id = ExpenditureLine.objects.get(position=2).pk
    assert f'id="justify-{second_id}"'.encode() in answer.content  # the flag, with its justification
    second = ExpenditureLine.objects.get(position=2)
    report = Report.objects.get(pk=world.report.pk)
    refused = client.post(
        reverse("reporting:submit", args=[report.pk]), {"lock_version": report.lock_version, "confirm": "yes"}
    )
    assert refused.status_code == 400 and not ReportSubmission.objects.exists()
    client.post(
        reverse("reporting:line_justify", args=[report.pk, second.pk]), {"justification": "Split invoice."}
    )
    second.refresh_from_db()
    assert second.duplicate_justification == "Split invoice."


def test_overdue_list_is_for_officers_in_scope(world: World) -> None:
    Report.objects.filter(pk=world.report.pk).update(due_date="2020-01-31")
    answer = _client(world.da).get(reverse("reporting:overdue"))
    assert answer.status_code == 200 and world.project.reference.encode() in answer.content
    assert _client(world.caritas).get(reverse("reporting:overdue")).status_code == 403


def test_a_large_report_shows_one_page_of_lines(world: World) -> None:
    ExpenditureLine.objects.bulk_create(
        ExpenditureLine(
            report=world.report,
            position=i,
            category="staff",
            amount_declared="1.00",
            supplier_name="S",
            invoice_number=f"N{i}",
        )
        for i in range(1, 131)
    )
    page = _client(world.caritas).get(reverse("reporting:report", args=[world.report.pk]) + "?page=3")
    html = page.content.decode()
    assert page.status_code == 200 and "N130" in html and "N99<" not in html and "130" in html


def test_the_narrative_and_indicators_are_saved_from_the_page(world: World) -> None:
    client = _client(world.caritas)
    url = reverse("reporting:report", args=[world.report.pk])
    data = {
        "lock_version": "1",
        "progress": "Twee groepen gestart.",
        "activity_0": "Lessen lopen.",
        "indicator_O.2.1": "40",
        "indicator_O.2.1__women": "22",
        "indicator_O.2.1__comment": "",
    }
    too_many = client.post(url, {**data, "indicator_O.2.1__women": "41"})
    assert too_many.status_code == 400 and b"has-error" in too_many.content
    assert Report.objects.get(pk=world.report.pk).progress == ""
    assert client.post(url, data).status_code == 302
    report = Report.objects.get(pk=world.report.pk)
    assert report.progress == "Twee groepen gestart."
    assert report.activities == [{"activity": "Workplace Dutch", "progress": "Lessen lopen."}]
    achieved = report.indicators.get()
    assert str(achieved.value) == "40.00" and achieved.breakdown == {"women": "22"}
    stale = client.post(url, data)  # the same lock version again: someone saved in between
    assert stale.status_code == 409
