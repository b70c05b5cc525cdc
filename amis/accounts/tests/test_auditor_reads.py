"""The audit authority reads the pages of the checks, verifications, reports received and overdue,
payment batches and double-funding lists (issue 19: "read everything in the programme ... write only
audit records"): each page answers 200 without a single form that writes, the role that writes there
still sees its forms, and every write the auditor attempts is refused (403) and recorded as a refusal.

The world (a call, projects, a submitted report, a visited check with an open finding and a suspected
irregularity, an exported batch, a read other-fund list) is the permission matrix's."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from amis.accounts.tests.test_permission_matrix import world  # noqa: F401  (the fixture)
from amis.core.models import AuditEntry

pytestmark = pytest.mark.django_db

POST_FORM = re.compile(r"<form\b[^>]*>", re.IGNORECASE)
# the forms every page has for a logged-in person: log out, change the language
PERSONAL_FORMS = ("/accounts/logout/", "/i18n/setlang/")

# page -> the role that writes there and sees at least one write form on it (None: a list without forms)
PAGES = [
    ("/checks/", "verifier"),
    ("/checks/selections/{selection}/", "verifier"),
    ("/checks/selections/{selection}/?rerun=1", "verifier"),
    ("/checks/{check}/", "verifier"),
    ("/checks/findings/{finding}/", "verifier"),
    ("/checks/irregularities/", None),
    ("/checks/irregularities/{irregularity}/", "verifier"),
    ("/verifications/", None),
    ("/reports/{own_report}/verification/", "verifier"),
    ("/reports/received/", None),
    ("/reports/overdue/", None),
    ("/payments/batches/", None),
    ("/payments/batches/{batch}/", "accounting_officer"),
    ("/calls/{call}/double-funding/", "ra_officer"),
    ("/double-funding/lists/", "ra_officer"),
    ("/double-funding/lists/{other_fund_list}/", "ra_officer"),
]

# what the auditor must never do on those pages: (path, form data, the write permission refused)
WRITES = [
    ("/checks/", {"year": "2027"}, "check.manage"),
    ("/checks/plan/", {"project": "P-M-003"}, "check.manage"),
    ("/checks/{check}/visit/", {}, "check.manage"),
    ("/checks/{check}/documents/", {}, "check.manage"),
    ("/checks/{check}/findings/{finding}/close/", {}, "check.manage"),
    ("/checks/{check}/findings/{finding}/correction/", {}, "check.manage"),
    ("/checks/findings/{finding}/irregularity/", {}, "check.manage"),
    ("/checks/findings/{finding}/correction/", {}, "check.manage"),
    ("/checks/findings/{finding}/close/", {}, "check.manage"),
    ("/checks/irregularities/{irregularity}/status/", {"status": "closed"}, "check.manage"),
    ("/reports/{own_report}/verification/", {}, "claim.verify"),
    ("/reports/{own_report}/verification/checklist/", {}, "claim.verify"),
    ("/reports/{own_report}/verification/decisions/", {}, "claim.verify"),
    ("/reports/{own_report}/verification/complete/", {}, "claim.verify"),
    ("/reports/{own_report}/verification/findings/", {}, "claim.verify"),
    ("/reports/{own_report}/return/", {"comments": "no"}, "report.review"),
    ("/payments/batches/", {}, "payment.execute"),
    ("/payments/batches/{batch}/export/", {}, "payment.execute"),
    ("/payments/{payment}/paid/", {}, "payment.execute"),
    ("/calls/{call}/double-funding/", {"action": "check"}, "selection.manage"),
    ("/double-funding/lists/", {"fund": "ESF"}, "selection.manage"),
    ("/double-funding/lists/{other_fund_list}/confirm/", {"lock_version": "1"}, "selection.manage"),
    ("/double-funding/lists/{other_fund_list}/discard/", {"lock_version": "1"}, "selection.manage"),
]


def _client(world: dict[str, Any], who: str) -> Client:  # noqa: F811
    client = Client()
    client.force_login(world["users"][who])
    return client


def write_forms(html: str) -> list[str]:
    """The forms of a page that send a POST (the page's own address when they name none), except
    the personal ones of the layout."""
    found = []
    for tag in POST_FORM.findall(html):
        if 'method="post"' not in tag.lower():
            continue
        action = re.search(r'action="([^"]*)"', tag)
        target = action.group(1) if action else "(this page)"
        if not target.startswith(PERSONAL_FORMS):
            found.append(target)
    return found


def test_the_form_finder_sees_a_page_form_and_skips_the_layout() -> None:
    html = (
        '<form method="post" action="/accounts/logout/"></form><form action="/i18n/setlang/" method="post">'
        '<form method="get"></form><form method="post"></form><form class="x" method="post" action="/a/b/">'
    )
    assert write_forms(html) == ["(this page)", "/a/b/"]


@pytest.mark.parametrize(("page", "writer"), PAGES, ids=[p for p, _w in PAGES])
def test_an_auditor_reads_the_page_without_a_write_form(
    page: str,
    writer: str | None,
    world: dict[str, Any],  # noqa: F811
) -> None:
    path = page.format(**world["values"])
    response = _client(world, "auditor").get(path)
    assert response.status_code == 200, response.status_code
    assert write_forms(response.content.decode()) == []
    if writer is not None:
        mine = _client(world, writer).get(path)
        assert mine.status_code == 200
        assert write_forms(mine.content.decode()), f"{writer} should see a form on {path}"


def test_the_batch_csv_is_read_but_the_sepa_file_stays_with_the_accounting_officer(
    world: dict[str, Any],  # noqa: F811
) -> None:
    client = _client(world, "auditor")
    batch = world["values"]["batch"]
    csv = client.get(f"/payments/batches/{batch}/batch.csv")
    assert csv.status_code == 200
    assert "AMIS-MATRIX-1" in csv.content.decode()
    assert client.get(f"/payments/batches/{batch}/sepa.xml").status_code == 403
    assert (
        f"/payments/batches/{batch}/sepa.xml"
        not in client.get(f"/payments/batches/{batch}/").content.decode()
    )


def test_an_auditor_reads_the_api_of_checks_irregularities_verifications_and_flags(
    world: dict[str, Any],  # noqa: F811
) -> None:
    client = _client(world, "auditor")
    values = world["values"]
    for path in (
        "/api/v1/checks/selections",
        f"/api/v1/checks/selections/{values['selection']}",
        f"/api/v1/checks/{values['check']}",
        "/api/v1/checks/irregularities",
        f"/api/v1/checks/irregularities/{values['irregularity']}",
        f"/api/v1/reports/{values['own_report']}/verification",
        "/api/v1/other-fund-lists",
        f"/api/v1/other-fund-lists/{values['other_fund_list']}",
        f"/api/v1/calls/{values['call']}/double-funding-flags",
    ):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code, response.content[:200])


@pytest.mark.parametrize(("page", "data", "action"), WRITES, ids=[w[0] for w in WRITES])
def test_an_auditor_write_is_refused_and_recorded(
    page: str,
    data: dict[str, str],
    action: str,
    world: dict[str, Any],  # noqa: F811
) -> None:
    auditor = world["users"]["auditor"]
    refusals = AuditEntry.objects.filter(action="permission_refused", actor=auditor)
    before = refusals.count()
    response = _client(world, "auditor").post(page.format(**world["values"]), data)
    assert response.status_code == 403, response.status_code
    assert refusals.count() == before + 1
    last = refusals.order_by("-pk").first()
    assert last is not None and last.after is not None
    assert last.after["action"] == action
