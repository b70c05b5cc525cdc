"""The audit trail as people read it: before/after as fields and values, object types by name."""

from __future__ import annotations

from typing import Any

from django.test import Client

from amis.accounts.templatetags.audit_fields import field_list, object_types, type_name
from amis.core import audit


def test_the_trail_shows_fields_and_names_not_stored_json(person: Any, orgs: dict) -> None:
    manager = person("manager@amis.example", "ra_manager", orgs["ra"])
    audit.record(
        actor=manager,
        action="update",
        obj=orgs["ngo"],
        before={"status": "pending", "bank_account": {"iban": "BE71096123456769"}},
        after={"status": "approved", "scores": {"A1": "38.50"}},
    )
    client = Client()
    client.force_login(manager)
    page = client.get("/audit/", {"object_type": "organisations.Organisation"}).content.decode()
    assert "{&#x27;" not in page and "{'" not in page  # no Python dicts
    assert "<dt>Status</dt><dd>pending</dd>" in page and "<dt>Status</dt><dd>approved</dd>" in page
    assert "<dt>Scores</dt><dd>A1: 38.50</dd>" in page
    assert '<option value="organisations.Organisation" selected>Organisation</option>' in page
    assert "Organisation " + str(orgs["ngo"].pk) in page  # the type by name beside the object


def test_helpers() -> None:
    assert field_list({"decided": True, "note": ""}) == [("Decided", "✓"), ("Note", "—")]
    assert field_list(None) == []
    assert type_name("applications.Application") == "Application"
    assert type_name("no.Such") == "no.Such"
    labels = [label for label, _name in object_types()]
    assert "selection.CommitteeMeeting" in labels and "auth.Group" not in labels
