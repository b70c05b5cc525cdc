"""One JSON log line per request, and its request id in the audit trail (issue 13, §2)."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings

from amis.core.audit import entry_digest, verify_chain
from amis.core.export import to_csv
from amis.core.models import AuditEntry
from amis.core.request_log import JsonFormatter


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("amis.request")
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)


def _read(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


@override_settings(AMIS_REQUEST_LOG=True)
def test_each_request_writes_one_json_line_with_its_id(db: None, captured: io.StringIO) -> None:
    response = Client().get("/programmes/?q=secret-search")
    [line] = _read(captured)
    assert line["logger"] == "amis.request"
    assert line["message"] == "request"
    assert line["method"] == "GET"
    assert line["path"] == "/programmes/"  # the query string is left out
    assert "secret-search" not in captured.getvalue()
    assert line["status"] == response.status_code == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["user_id"] is None
    assert re.fullmatch(r"[0-9a-f]{32}", line["request_id"])
    assert response["X-Request-ID"] == line["request_id"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", line["time"])


@override_settings(AMIS_REQUEST_LOG=True)
def test_the_line_names_the_logged_in_user(db: None, captured: io.StringIO) -> None:
    user = get_user_model().objects.create_user(email="reader@amis.example", password="x" * 16)
    client = Client()
    client.force_login(user)
    client.get("/programmes/")
    assert _read(captured)[-1]["user_id"] == user.pk


@override_settings(AMIS_REQUEST_LOG=False)
def test_the_line_can_be_turned_off_but_the_id_is_still_given(db: None, captured: io.StringIO) -> None:
    response = Client().get("/programmes/")
    assert captured.getvalue() == ""
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_a_request_id_header_is_ignored_unless_the_proxy_is_trusted(db: None) -> None:
    response = Client().get("/programmes/", HTTP_X_REQUEST_ID="from-the-client")
    assert response["X-Request-ID"] != "from-the-client"


@override_settings(AMIS_TRUST_REQUEST_ID=True)
def test_a_trusted_proxy_s_request_id_is_kept_if_it_is_well_formed(db: None) -> None:
    kept = Client().get("/programmes/", HTTP_X_REQUEST_ID="lb-7f3a.22:9")
    assert kept["X-Request-ID"] == "lb-7f3a.22:9"
    for bad in ("has space", "x" * 65, "new\\nline", "<script>"):
        answered = Client().get("/programmes/", HTTP_X_REQUEST_ID=bad)["X-Request-ID"]
        assert answered != bad and re.fullmatch(r"[0-9a-f]{32}", answered)


@override_settings(AMIS_TRUST_REQUEST_ID=True, AMIS_REQUEST_LOG=True)
def test_the_request_id_is_carried_into_the_audit_entry(db: None, captured: io.StringIO) -> None:
    response = Client().post(
        "/accounts/login/",
        {"login": "nobody@amis.example", "password": "wrong-password-1"},
        HTTP_X_REQUEST_ID="req-login-1",
    )
    assert response["X-Request-ID"] == "req-login-1"
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN_FAILED)
    assert entry.request_id == "req-login-1"
    assert _read(captured)[-1]["request_id"] == "req-login-1"
    exported = to_csv([entry]).decode("utf-8-sig").splitlines()
    assert "request_id" in exported[0].split(",") and "req-login-1" in exported[1]
    # the id is covered by the entry's hash: changing it breaks the chain
    assert verify_chain().ok
    AuditEntry.objects.filter(pk=entry.pk).update(request_id="req-other")
    assert not verify_chain().ok


def test_entries_written_outside_a_request_have_no_id_and_keep_the_old_hash(db: None) -> None:
    """Entries from before the field existed (request_id None) hash as they always did."""
    from amis.core.audit import record_security_event

    with_id = record_security_event(user=None, event="login_failed", label="x")
    assert with_id.request_id is None
    digest = entry_digest(with_id)
    with_id.request_id = "abc"
    assert entry_digest(with_id) != digest
