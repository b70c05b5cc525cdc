"""The demo's audit year — the last closed accounting year (built on 1 December 2026: 2026, 1 July
2025 - 30 June 2026) —: the responsible and a delegated authority audited, a finding followed up to
closure, the system in category 2, a draft annual control report; loaded twice without change. With
the history, the sample and the other build days: amis/demo/tests/test_sampling_demo.py."""

from __future__ import annotations

import pytest
from django.utils import timezone

from amis.audit import selectors
from amis.audit.models import AuditedBody, AuditeeReply, AuditFinding, ControlReport
from amis.core.models import AuditEntry
from amis.demo.audit import load_audit
from amis.demo.declarations import closed_year
from amis.demo.people import load_people
from amis.demo.programme import BELGIAN_2021_CCI, load_belgian_programme
from amis.programme.models import Programme

pytestmark = pytest.mark.django_db


def test_the_demo_audit_year() -> None:
    quiet = lambda message: None  # noqa: E731
    load_belgian_programme(log=quiet)
    load_people(log=quiet)
    load_audit(log=quiet)
    entries = AuditEntry.objects.count()
    load_audit(log=quiet)  # twice: nothing new
    assert AuditEntry.objects.count() == entries
    bodies = AuditedBody.objects.order_by("kind")
    assert [b.kind for b in bodies] == ["delegated", "responsible"]
    assert all(b.system_audit.status == "completed" for b in bodies)
    closed = AuditFinding.objects.get(status="closed")
    assert AuditeeReply.objects.filter(finding=closed).exists() and closed.closure_note
    assert AuditFinding.objects.filter(status="open").count() == 1
    report = ControlReport.objects.get()
    assert report.status == "draft"
    assert report.year == closed_year("2021-2027", timezone.localdate())
    assert {b.plan.year for b in bodies} == {report.year}
    programme = Programme.objects.get(cci=BELGIAN_2021_CCI)
    assert selectors.system_assurance(programme, report.year).category == 2
    content = selectors.current_content(report)
    assert content["suggested_opinion"] == "unqualified" and content["sampling"] is None
