"""Calls through the REST API (public once published) and `amis calls list`."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from amis.demo.calls import CODE, load_calls
from amis.demo.people import load_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(belgian: Any) -> None:
    load_people(log=lambda m: None)
    load_calls(log=lambda m: None)


def test_published_calls_are_public(client: Client, demo: None) -> None:
    calls = client.get("/api/v1/calls").json()
    assert [c["code"] for c in calls] == [CODE]
    assert calls[0]["applications"] == {"draft": 1, "submitted": 1}
    page = client.get("/calls/").content.decode()
    assert CODE in page and "1,500,000.00" in page
    assert "Integration in Flanders" in client.get(f"/calls/{CODE}/").content.decode()


def test_calls_list_json(demo: None) -> None:
    out = StringIO()
    call_command("calls", "list", "--format", "json", stdout=out)
    rows = json.loads(out.getvalue())
    assert rows[0]["code"] == CODE and rows[0]["status"] == "published" and rows[0]["budget"] == "1500000.00"
    assert rows[0]["applications"] == {"draft": 1, "submitted": 1}
