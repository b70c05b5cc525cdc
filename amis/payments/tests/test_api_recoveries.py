"""The API of cancellations, recoveries and the closure: roles (403), scope (404), bad bodies (400),
a stale lock (409), segregation of duties on the write-off, the closure refused with its blockers."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from amis.payments.models import Payment
from amis.payments.tests.helpers import ACCOUNTING, RA_MANAGER, RA_OFFICER, paid
from amis.projects.tests.builders import CARITAS, user
from amis.verification.models import Finding
from amis.verification.tests.test_services import VERIFIER, _submitted_report

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _client(email: str) -> Client:
    client = Client()
    client.force_login(user(email))
    return client


def _post(client: Client, path: str, body: Any) -> Any:
    return client.post(API + path, data=json.dumps(body), content_type="application/json")


def test_cancel_a_paid_payment_through_the_api(belgian: object) -> None:
    project = _submitted_report(3).project
    pre = paid(project)
    officer, manager, accountant = _client(RA_OFFICER), _client(RA_MANAGER), _client(ACCOUNTING)
    path = f"/payments/{pre.pk}/cancel"
    assert _post(accountant, path, {"lock_version": pre.lock_version, "reason": "x"}).status_code == 403
    assert _post(_client(CARITAS), path, {"lock_version": pre.lock_version, "reason": "x"}).status_code == 403
    assert _post(officer, path, {"reason": "x"}).status_code == 400
    assert _post(officer, path, {"lock_version": pre.lock_version, "reason": ""}).status_code == 400
    assert _post(officer, path, {"lock_version": 99, "reason": "x"}).status_code == 409
    assert _post(officer, "/payments/999999/cancel", {"lock_version": 1, "reason": "x"}).status_code == 404
    made = _post(officer, path, {"lock_version": pre.lock_version, "reason": "Returned by the bank"})
    assert made.status_code == 201, made.json()
    body = made.json()
    assert body["kind"] == "cancellation" and body["amount"] == f"-{pre.amount}"
    cid = body["id"]
    refused = _post(officer, f"/payments/{cid}/approve", {"lock_version": 1})
    assert refused.status_code == 403
    assert _post(manager, f"/payments/{cid}/approve", {"lock_version": 1}).status_code == 200
    batch = _post(
        accountant, "/payments/batches", {"execution_date": dt.date.today().isoformat(), "payments": [cid]}
    )
    assert batch.status_code == 400  # never in a batch
    returned = _post(
        accountant, f"/payments/{cid}/paid", {"lock_version": 2, "paid_on": dt.date.today().isoformat()}
    )
    assert returned.status_code == 200 and returned.json()["status"] == "paid"
    assert Payment.objects.get(pk=cid).paid_on == dt.date.today()


def test_recoveries_through_the_api(belgian: object) -> None:
    project = _submitted_report(3).project
    paid(project)
    officer, manager, accountant = _client(RA_OFFICER), _client(RA_MANAGER), _client(ACCOUNTING)
    finding = Finding.objects.create(project=project, text="Paid twice", created_by=user(VERIFIER))
    path = f"/projects/{project.reference}/recoveries"
    later = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    good = {"amount": "500.00", "due_date": later, "reason": "Paid twice", "finding": finding.pk}
    assert _post(accountant, path, good).status_code == 403
    assert _post(officer, "/projects/NOPE/recoveries", good).status_code == 404
    for bad in (
        {**good, "amount": "abc"},
        {**good, "amount": "1.005"},
        {**good, "amount": "-1"},
        {**good, "amount": "1e20"},
        {**good, "amount": "NaN"},
        {**good, "due_date": "2020-13-01"},
        {**good, "due_date": "2000-01-01"},
        {**good, "finding": 999999},
        {**good, "irregularity": 999999},
        {**good, "reason": " "},
        {"amount": "1.00"},
    ):
        assert _post(officer, path, bad).status_code == 400, bad
    made = _post(officer, path, good)
    assert made.status_code == 201, made.json()
    recovery = made.json()
    assert recovery["finding"] == finding.pk and recovery["outstanding"] == "500.00"
    rid = recovery["id"]
    listed = accountant.get(f"{API}/payments/recoveries?status=open")
    assert listed.status_code == 200 and [r["id"] for r in listed.json()] == [rid]
    assert accountant.get(f"{API}/payments/recoveries?status=nonsense").status_code == 400
    assert _client(CARITAS).get(f"{API}/payments/recoveries").status_code == 403
    today = dt.date.today().isoformat()
    receive = f"/payments/recoveries/{rid}/receive"
    assert (
        _post(officer, receive, {"lock_version": 1, "amount": "1.00", "received_on": today}).status_code
        == 403
    )
    assert (
        _post(accountant, receive, {"lock_version": 1, "amount": "600.00", "received_on": today}).status_code
        == 400
    )
    assert _post(accountant, receive, {"lock_version": 1, "amount": "1.00"}).status_code == 400
    assert (
        _post(accountant, receive, {"lock_version": 5, "amount": "1.00", "received_on": today}).status_code
        == 409
    )
    got = _post(accountant, receive, {"lock_version": 1, "amount": "200.00", "received_on": today})
    assert got.status_code == 200 and got.json()["outstanding"] == "300.00"
    write_off = f"/payments/recoveries/{rid}/write-off"
    assert _post(officer, write_off, {"lock_version": 2, "reason": "x"}).status_code == 403
    assert _post(manager, write_off, {"lock_version": 2, "reason": ""}).status_code == 400
    done = _post(manager, write_off, {"lock_version": 2, "reason": "Dissolved"})
    assert done.status_code == 200 and done.json()["status"] == "written_off"
    # the manager's own order: never written off by them (403, the reason given)
    own = _post(manager, path, {**good, "amount": "10.00"}).json()
    refused = _post(
        manager, f"/payments/recoveries/{own['id']}/write-off", {"lock_version": 1, "reason": "x"}
    )
    assert refused.status_code == 403 and "segregation of duties" in refused.json()["message"]
    closing = _post(manager, f"/projects/{project.reference}/close", {})
    assert closing.status_code == 400 and closing.json()["extra"]["blockers"]
    assert _post(officer, f"/projects/{project.reference}/close", {}).status_code == 403
