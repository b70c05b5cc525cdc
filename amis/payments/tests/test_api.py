"""The payments API, role by role: propose (the working in the answer), four eyes (403 with the
reason), a stale lock (409), bad bodies (400), batch, export once, the SEPA file whose control sum is
the batch total, the bank's date; the beneficiary kept out."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree as etree

import pytest
from django.test import Client

from amis.payments.models import Payment
from amis.payments.tests.test_services import ACCOUNTING, RA_MANAGER, RA_OFFICER
from amis.projects.tests.builders import CARITAS, user
from amis.verification.tests.test_services import _submitted_report

pytestmark = pytest.mark.django_db
API = "/api/v1"
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}


def _client(email: str) -> Client:
    client = Client()
    client.force_login(user(email))
    return client


def _post(client: Client, path: str, body: Any) -> Any:
    return client.post(API + path, data=json.dumps(body), content_type="application/json")


def test_a_pre_financing_through_the_api_to_the_bank(belgian: object) -> None:
    project = _submitted_report(3).project
    officer, manager, accountant = _client(RA_OFFICER), _client(RA_MANAGER), _client(ACCOUNTING)
    assert _post(officer, f"/projects/{project.reference}/payments", {"kind": "gift"}).status_code == 400
    assert _post(officer, f"/projects/{project.reference}/payments", {"report": "x"}).status_code == 400
    assert _post(officer, "/projects/NOPE/payments", {"kind": "prefinancing"}).status_code == 404
    made = _post(officer, f"/projects/{project.reference}/payments", {"kind": "prefinancing"})
    assert made.status_code == 201, made.json()
    payment = made.json()
    assert payment["amount"] == "96300.00" and ["payable", "96300.00"] in payment["working"]
    pid = payment["id"]
    refused = _post(officer, f"/payments/{pid}/approve", {"lock_version": 1})
    assert refused.status_code == 403 and refused.json()["message"]
    assert _post(manager, f"/payments/{pid}/approve", {"lock_version": 9}).status_code == 409
    assert _post(manager, f"/payments/{pid}/approve", {}).status_code == 400
    approved = _post(manager, f"/payments/{pid}/approve", {"lock_version": 1})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    listed = officer.get(f"{API}/payments?status=approved")
    assert listed.status_code == 200 and [p["id"] for p in listed.json()] == [pid]
    assert officer.get(f"{API}/payments?status=nonsense").status_code == 400
    assert accountant.get(f"{API}/payments").status_code == 403

    today = dt.date.today().isoformat()
    assert (
        _post(
            accountant, "/payments/batches", {"execution_date": "2026-13-01", "payments": [pid]}
        ).status_code
        == 400
    )
    assert (
        _post(
            accountant, "/payments/batches", {"execution_date": today, "payments": [pid, 999999]}
        ).status_code
        == 400
    )
    assert (
        _post(officer, "/payments/batches", {"execution_date": today, "payments": [pid]}).status_code == 403
    )
    batch = _post(accountant, "/payments/batches", {"execution_date": today, "payments": [pid]})
    assert batch.status_code == 201, batch.json()
    bid = batch.json()["id"]
    assert accountant.get(f"{API}/payments/batches/{bid}/sepa.xml").status_code == 404
    exported = _post(
        accountant, f"/payments/batches/{bid}/export", {"lock_version": batch.json()["lock_version"]}
    )
    assert exported.status_code == 200 and exported.json()["status"] == "exported"
    assert exported.json()["control_sum"] == "96300.00" and len(exported.json()["xml_sha256"]) == 64
    again = _post(
        accountant, f"/payments/batches/{bid}/export", {"lock_version": exported.json()["lock_version"]}
    )
    assert again.status_code == 400  # exported once, never again
    sepa = accountant.get(f"{API}/payments/batches/{bid}/sepa.xml")
    assert sepa.status_code == 200
    xml = etree.fromstring(sepa.content)
    assert Decimal(xml.findtext(".//p:GrpHdr/p:CtrlSum", default="", namespaces=NS)) == Decimal("96300.00")
    lock = Payment.objects.get(pk=pid).lock_version
    assert (
        _post(
            accountant, f"/payments/{pid}/paid", {"lock_version": lock, "paid_on": "2999-01-01"}
        ).status_code
        == 400
    )
    paid = _post(accountant, f"/payments/{pid}/paid", {"lock_version": lock, "paid_on": today})
    assert paid.status_code == 200 and paid.json()["status"] == "paid" and paid.json()["paid_on"] == today


def test_rejection_needs_a_reason_and_the_beneficiary_is_kept_out(belgian: object) -> None:
    project = _submitted_report(3).project
    pid = _post(
        _client(RA_OFFICER), f"/projects/{project.reference}/payments", {"kind": "prefinancing"}
    ).json()["id"]
    manager = _client(RA_MANAGER)
    assert _post(manager, f"/payments/{pid}/reject", {"lock_version": 1, "reason": "  "}).status_code == 400
    rejected = _post(manager, f"/payments/{pid}/reject", {"lock_version": 1, "reason": "Wrong IBAN"})
    assert rejected.status_code == 200 and rejected.json()["rejection_reason"] == "Wrong IBAN"
    beneficiary = _client(CARITAS)
    assert beneficiary.get(f"{API}/payments").status_code == 403
    assert (
        _post(beneficiary, f"/projects/{project.reference}/payments", {"kind": "prefinancing"}).status_code
        == 403
    )
    assert _post(beneficiary, f"/payments/{pid}/approve", {"lock_version": 2}).status_code == 403
