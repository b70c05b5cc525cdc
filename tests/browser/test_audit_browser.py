"""The audit authority in a browser (issue 19): the auditor opens the audit authority's pages from the
home page, reads the demo year's plan (risk scores, the system's category 2), a body's system audit
and its findings, records a new finding and writes the draft control report's opinion; the
responsible authority's officer replies to the open finding. axe finds no WCAG 2.1 AA violation on
any page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from amis.audit.models import AuditedBody, AuditeeReply, AuditFinding, ControlReport
from amis.demo.audit import load_audit
from amis.demo.people import load_people
from amis.demo.programme import BELGIAN_2021_CCI, load_belgian_programme
from tests.browser.test_selection_browser import _axe, _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_audit_authority_of_the_demo(live_server: Any, browser: Browser) -> None:
    quiet = lambda message: None  # noqa: E731
    load_belgian_programme(log=quiet)
    load_people(log=quiet)
    load_audit(log=quiet)
    report = ControlReport.objects.get()
    base = live_server.url

    auditor = _login(browser, base, "auditor@amis.example")
    auditor.get_by_role(
        "link", name="Audit authority: system audits, findings and the annual control report"
    ).click()
    expect(auditor.get_by_role("heading", name="Audit authority", exact=True)).to_be_visible()
    assert _axe(auditor) == []
    auditor.get_by_role("link", name=str(report.year), exact=True).click()
    expect(auditor.locator("#assurance")).to_have_text("Category 2")
    assert _axe(auditor) == []
    auditor.get_by_role("link", name="European Social Fund Agency Flanders").click()
    expect(auditor.locator("#overall")).to_have_text("Category 1")
    assert _axe(auditor) == []
    form = auditor.locator("form").filter(has=auditor.get_by_role("heading", name="Record a finding"))
    form.get_by_label("Key requirement").select_option("KR1")
    form.locator("textarea[name=text]").fill("The memorandum of understanding is not updated.")
    form.get_by_label("Recommendation").fill("Update it to the 2021-2027 tasks.")
    form.get_by_label("Priority").select_option("low")
    form.get_by_label("Deadline for the auditee").fill("31/12/2030")
    form.get_by_role("button", name="Record the finding").click()
    expect(auditor.get_by_text("The finding is recorded.")).to_be_visible()
    body = AuditedBody.objects.get(kind="delegated")
    assert body.system_audit.findings.get().text == "The memorandum of understanding is not updated."

    auditor.goto(f"{base}/audit-authority/reports/{BELGIAN_2021_CCI}/{report.year}/")
    expect(auditor.locator("#report-status")).to_have_text("draft")
    expect(auditor.locator("#sampling-missing")).to_be_visible()
    assert _axe(auditor) == []
    auditor.get_by_label("Audit opinion", exact=True).select_option("unqualified")
    auditor.get_by_label("Basis for the opinion and limitations").fill("Two system audits; sample to come.")
    auditor.get_by_role("button", name="Save the opinion").click()
    expect(auditor.locator("#report-opinion")).to_have_text("unqualified")

    officer = _login(browser, base, "ra.officer@amis.example")
    open_finding = AuditFinding.objects.get(status="open", audit__body__kind="responsible")
    officer.goto(f"{base}/audit-authority/findings/{open_finding.pk}/")
    assert _axe(officer) == []
    officer.get_by_label("Reply of the audited authority").fill(
        "The weights are now kept with the selection."
    )
    officer.get_by_role("button", name="Send the reply").click()
    expect(officer.get_by_text("The reply is recorded.")).to_be_visible()
    assert AuditeeReply.objects.filter(finding=open_finding).count() == 1
    assert officer.get_by_role("button", name="Close the finding").count() == 0
