"""The declarations' pages, REST API and CLI: the same services and checks — 400 with nothing saved,
403 with the reason (role, four eyes), 404 outside the reader's scope (a delegated authority officer
of another part), 409 on a stale lock version; XLSX and PDF exports; `amis accounts CCI YEAR`."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from amis.accounts import services as accounts
from amis.accounts.roles import Role
from amis.declarations import services
from amis.declarations.models import CommissionReceipt, PaymentApplication, PaymentApplicationItem
from amis.declarations.tests.helpers import (
    ACCOUNTING,
    AUDITOR,
    DA,
    MC,
    RA_MANAGER,
    RA_OFFICER,
    YEAR,
    two_verified,
)
from amis.demo.programme import BELGIAN_2021_CCI
from amis.organisations.models import Organisation
from amis.programme.models import Programme
from amis.projects.tests.builders import CARITAS, demo_base, user

pytestmark = pytest.mark.django_db
API = "/api/v1/declarations"


def _client(email: str) -> Client:
    client = Client()
    client.force_login(user(email))
    return client


def _post(client: Client, path: str, body: Any = None) -> Any:
    return client.post(API + path, data=json.dumps(body or {}), content_type="application/json")


def test_the_whole_flow_through_the_api(belgian: object) -> None:
    first, second = two_verified()
    officer, manager = _client(RA_OFFICER), _client(RA_MANAGER)
    bad = _post(officer, f"/{BELGIAN_2021_CCI}/applications", {"year": "soon"})
    assert bad.status_code == 400 and not PaymentApplication.objects.exists()
    assert _post(_client(CARITAS), f"/{BELGIAN_2021_CCI}/applications", {"year": YEAR}).status_code == 403
    made = _post(officer, f"/{BELGIAN_2021_CCI}/applications", {"year": YEAR})
    assert made.status_code == 201, made.content
    data = made.json()
    assert data["total"]["eu"] == str(first.eu_share + second.eu_share) and len(data["items"]) == 2
    item = next(i for i in data["items"] if i["verification"] == second.pk)
    assert _post(officer, f"/items/{item['id']}/hold", {"lock_version": 1, "reason": ""}).status_code == 400
    assert _post(officer, f"/items/{item['id']}/hold", {"lock_version": 7, "reason": "x"}).status_code == 409
    held = _post(officer, f"/items/{item['id']}/hold", {"lock_version": 1, "reason": "Under assessment"})
    assert held.status_code == 200 and held.json()["held_back"] is True
    page = manager.get(f"{API}/applications/{data['id']}").json()
    assert page["total"]["eu"] == str(first.eu_share) and page["lock_version"] == 2
    # the preparer may not submit (four eyes: 403 with the reason)
    accounts.role_assign(
        user=user(RA_OFFICER),
        role=Role.RA_MANAGER,
        organisation=Organisation.objects.get(short_name="FPS HA EFU"),
        actor_label="test",
    )
    refused = _post(
        _client(RA_OFFICER),
        f"/applications/{data['id']}/submit",
        {"lock_version": 2, "submitted_on": "2026-06-20"},
    )
    assert refused.status_code == 403 and refused.json()["code"] == "segregation_of_duties"
    assert (
        _post(
            manager, f"/applications/{data['id']}/submit", {"lock_version": 2, "submitted_on": "soon"}
        ).status_code
        == 400
    )
    done = _post(
        manager, f"/applications/{data['id']}/submit", {"lock_version": 2, "submitted_on": "2026-06-20"}
    )
    assert done.status_code == 200 and done.json()["status"] == "submitted"
    nxt = _post(officer, f"/{BELGIAN_2021_CCI}/applications", {"year": YEAR}).json()
    back = _post(officer, f"/applications/{nxt['id']}/reintroduce", {"lock_version": 1, "item": item["id"]})
    assert back.status_code == 201 and back.json()["reintroduces"] == item["id"]
    # receipts and the accounts
    assert (
        _post(
            _client(ACCOUNTING),
            f"/{BELGIAN_2021_CCI}/receipts",
            {"kind": "prefinancing", "received_on": "2026-01-05", "amount": "12.345"},
        ).status_code
        == 400
    )
    assert not CommissionReceipt.objects.exists()
    ok = _post(
        _client(ACCOUNTING),
        f"/{BELGIAN_2021_CCI}/receipts",
        {"kind": "prefinancing", "received_on": "2026-01-05", "amount": "5000.00"},
    )
    assert ok.status_code == 201
    figures = _client(AUDITOR).get(f"{API}/{BELGIAN_2021_CCI}/accounts/{YEAR}").json()
    assert figures["total"]["net"]["eu"] == str(first.eu_share) and figures["prefinancing"] == "5000.00"
    assert _client(MC).get(f"{API}/{BELGIAN_2021_CCI}/decommitment").status_code == 200
    assert _client(CARITAS).get(f"{API}/{BELGIAN_2021_CCI}/accounts/{YEAR}").status_code == 403
    assert _client(AUDITOR).get(f"{API}/{BELGIAN_2021_CCI}/accounts/99999").status_code == 400
    assert _client(AUDITOR).get(f"/declarations/{BELGIAN_2021_CCI}/accounts/2014/").status_code == 404


def test_pages_exports_and_scope(belgian: object) -> None:
    first, second = two_verified()
    programme = Programme.objects.get(cci=BELGIAN_2021_CCI)
    application = services.application_create(actor=user(RA_OFFICER), programme=programme, year=YEAR)
    manager = _client(RA_MANAGER)
    page = manager.get(f"/declarations/applications/{application.pk}/")
    assert page.status_code == 200 and "FL-DECL-A" in page.content.decode()
    xlsx = manager.get(f"/declarations/applications/{application.pk}/?format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert any(r[0] == "SO2" and Decimal(str(r[3])) == first.eu_share + second.eu_share for r in values if r)
    pdf = _client(AUDITOR).get(f"/declarations/applications/{application.pk}/?format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # a hold-back without a reason: 400, nothing saved
    item = application.items.first()
    assert item is not None
    refused = _client(RA_OFFICER).post(
        f"/declarations/items/{item.pk}/hold/", {"lock_version": 1, "reason": ""}
    )
    assert refused.status_code == 400 and not PaymentApplicationItem.objects.filter(held_back=True).exists()
    held = _client(RA_OFFICER).post(
        f"/declarations/items/{item.pk}/hold/", {"lock_version": 1, "reason": "Doubt"}
    )
    assert held.status_code == 302 and PaymentApplicationItem.objects.get(pk=item.pk).held_back
    stale = manager.post(
        f"/declarations/applications/{application.pk}/submit/",
        {"lock_version": 1, "submitted_on": "20/06/2026"},
    )
    assert stale.status_code == 409
    sent = manager.post(
        f"/declarations/applications/{application.pk}/submit/",
        {"lock_version": 2, "submitted_on": "20/06/2026"},
    )
    assert sent.status_code == 302, sent.content.decode()[:2000]
    accounts_page = _client(AUDITOR).get(f"/declarations/{BELGIAN_2021_CCI}/accounts/{YEAR}/")
    assert accounts_page.status_code == 200 and "Reconciliation" in accounts_page.content.decode()
    # the committee reads the figures, without links to project pages it may not open
    member_page = _client(MC).get(f"/declarations/applications/{application.pk}/").content.decode()
    assert "FL-DECL-A" in member_page and 'href="/projects/' not in member_page
    assert 'href="/projects/' in page.content.decode()
    pdf = _client(MC).get(f"/declarations/{BELGIAN_2021_CCI}/accounts/{YEAR}/?format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert _client(MC).post(f"/declarations/{BELGIAN_2021_CCI}/accounts/{YEAR}/").status_code == 403
    # the delegated officer of the part sees the items; one of another part sees no programme
    assert "FL-DECL-A" in _client(DA).get(f"/declarations/applications/{application.pk}/").content.decode()
    outside = accounts.user_create(email="da-so1@decl.example", password="a-long-test-password-1")
    accounts.role_assign(
        user=outside, role=Role.DA_OFFICER, organisation=Organisation.objects.get(short_name="ESF Flanders"),
        specific_objective="SO1", actor_label="test",
    )  # fmt: skip
    TOTP.activate(outside, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    other = Client()
    other.force_login(outside)
    assert other.get(f"/declarations/applications/{application.pk}/").status_code == 404
    assert other.get(f"{API}/applications/{application.pk}").status_code == 404
    assert _client(CARITAS).get("/declarations/").status_code == 403


def test_the_cli_writes_json_and_xlsx(belgian: object, tmp_path: Path) -> None:
    demo_base()
    out = io.StringIO()
    call_command("accounts", BELGIAN_2021_CCI, str(YEAR), "--format", "json", stdout=out)
    document = json.loads(out.getvalue())
    assert document["programme"] == BELGIAN_2021_CCI and document["start"] == "2025-07-01"
    assert document["total"]["net"]["eu"] == "0.00"
    target = tmp_path / "accounts.xlsx"
    call_command(
        "accounts", BELGIAN_2021_CCI, str(YEAR), "--format", "xlsx", "-o", str(target), stderr=io.StringIO()
    )
    assert load_workbook(target).sheetnames[:2] == ["Accounts", "Reconciliation"]


def _queries(client: Client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_pages_cost_the_same_whatever_the_number_of_items(belgian: object) -> None:
    """No query per item: ten more items (held back and reintroduced ones among them) cost nothing."""
    from amis.verification.models import Verification

    first, _second = two_verified()
    programme = Programme.objects.get(cci=BELGIAN_2021_CCI)
    application = services.application_create(actor=user(RA_OFFICER), programme=programme, year=YEAR)
    application = services.application_submit(
        actor=user(RA_MANAGER),
        application=application,
        expected_lock_version=application.lock_version,
        submitted_on=dt.date(2026, 6, 20),
    )
    manager = _client(RA_MANAGER)
    page = f"/declarations/applications/{application.pk}/"
    accounts_page = f"/declarations/{BELGIAN_2021_CCI}/accounts/{YEAR}/"
    before = _queries(manager, page), _queries(manager, accounts_page)
    for n in range(10):
        extra = Verification.objects.create(
            report=first.report,
            round=10 + n,
            status="completed",
            verifier=first.verifier,
            completed_at=first.completed_at,
            verified=Decimal("100.00"),
            eu_share=Decimal("75.00"),
        )
        PaymentApplicationItem.objects.create(
            application=application,
            verification=extra,
            project=first.report.project,
            call=first.report.project.application.call,
            specific_objective="SO2",
            eligible=Decimal("100.00"),
            public=Decimal("75.00"),
            eu=Decimal("75.00"),
            held_back=n % 2 == 0,
            held_stage="accounts" if n % 2 == 0 else "",
            held_by=user(RA_OFFICER) if n % 2 == 0 else None,
        )
    after = _queries(manager, page), _queries(manager, accounts_page)
    assert after == before
    # and the figures follow: ten items of 75.00, five of them held back from the accounts
    figures = manager.get(f"{API}/{BELGIAN_2021_CCI}/accounts/{YEAR}").json()
    assert Decimal(figures["total"]["held_back"]["eu"]) == Decimal("375.00")
