"""Who reads which audit record: a delegated authority officer only the system audits of their own
body, its findings and recommendations (and replies to them); never another body's audit, the samples
or the annual control reports. The responsible authority and the auditors read every record. Pages and
API; a refused reply is written to the audit trail."""

from __future__ import annotations

import json
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client
from django.utils import timezone

from amis.accounts import services as account_services
from amis.accounts.models import RoleAssignment
from amis.accounts.roles import Role
from amis.audit import selectors, services
from amis.audit.models import AuditedBody, AuditeeReply, AuditFinding
from amis.audit.tests.helpers import AUDITOR, CCI_2021, DA, RA_OFFICER, base, completed_year, programme, user
from amis.core.errors import ForbiddenError
from amis.core.models import AuditEntry
from amis.organisations.models import Organisation

pytestmark = pytest.mark.django_db
OTHER_DA = "da.wallonia@audit.example"


def _finding(body: AuditedBody, text: str) -> AuditFinding:
    return services.finding_add(
        actor=user(AUDITOR),
        system_audit=body.system_audit,
        key_requirement="KR4",
        text=text,
        recommendation=f"Recommendation: {text}",
        priority="medium",
        deadline=body.system_audit.started_on,
    )


@pytest.fixture
def year(db: None) -> dict[str, Any]:
    """The 2024 plan of 2021-2027: the managing authority's body (FPS) and the delegated body of the
    ESF agency of Flanders (the demo officer's organisation, delegated on 2021-2027 too), each audited
    with a finding; a draft annual control report; and an officer of another delegated authority."""
    base()
    esf = user(DA).role_assignments.get().organisation
    account_services.role_assign(
        user=user(DA),
        role=Role.DA_OFFICER,
        organisation=esf,
        programme=programme(CCI_2021),
        specific_objective="SO2",
    )
    the_plan = completed_year()
    ra_body = the_plan.bodies.get(kind="managing")
    da_body = the_plan.bodies.get(kind="delegated")
    AuditedBody.objects.filter(pk=da_body.pk).update(organisation=esf)
    wallonia = Organisation.objects.create(
        kind="delegated_authority", name="AVIQ Wallonie", status="approved"
    )
    other = account_services.user_create(email=OTHER_DA, password="a-long-test-password-1")
    account_services.role_assign(user=other, role=Role.DA_OFFICER, organisation=wallonia)
    TOTP.activate(other, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    services.report_create(actor=user(AUDITOR), programme=programme(CCI_2021), year=2024)
    return {
        "ra_body": ra_body,
        "da_body": da_body,
        "ra_finding": _finding(AuditedBody.objects.get(pk=ra_body.pk), "FPS checklists unsigned"),
        "da_finding": _finding(AuditedBody.objects.get(pk=da_body.pk), "ESF sample weights missing"),
    }


def _client(email: str) -> Client:
    client = Client()
    client.force_login(user(email))
    return client


def _get(client: Client, path: str) -> tuple[int, str]:
    response = client.get(path)
    return response.status_code, response.content.decode(errors="replace")


def test_a_delegated_officer_reads_only_their_own_body_on_the_pages(year: dict[str, Any]) -> None:
    da = _client(DA)
    status, page = _get(da, "/audit-authority/")
    assert status == 200
    assert "ESF sample weights missing" not in page  # the overview lists findings by their number
    assert f"/audit-authority/findings/{year['da_finding'].pk}/" in page
    assert f"/audit-authority/findings/{year['ra_finding'].pk}/" not in page
    assert "/audit-authority/reports/" not in page and "Annual control reports" not in page
    status, page = _get(da, f"/audit-authority/plans/{CCI_2021}/2024/")
    assert status == 200
    assert "Flemish delegated authority" in page and "FPS Home Affairs" not in page
    assert 'id="assurance"' not in page  # every body's categories: not theirs to read
    status, page = _get(da, f"/audit-authority/bodies/{year['da_body'].pk}/")
    assert status == 200 and "ESF sample weights missing" in page
    assert _get(da, f"/audit-authority/bodies/{year['ra_body'].pk}/")[0] == 404
    status, page = _get(da, f"/audit-authority/findings/{year['da_finding'].pk}/")
    assert status == 200 and "Reply to the finding" in page
    assert _get(da, f"/audit-authority/findings/{year['ra_finding'].pk}/")[0] == 404
    for path in (
        f"/audit-authority/reports/{CCI_2021}/2024/",
        f"/audit-authority/reports/{CCI_2021}/2024/export.xlsx",
        f"/audit-authority/reports/{CCI_2021}/2024/export.pdf",
        "/sampling/",
    ):
        assert _get(da, path)[0] == 403, path
    # the refusals are in the audit trail
    refused = AuditEntry.objects.filter(action="permission_refused", actor=user(DA))
    assert {(e.after or {}).get("action") for e in refused} >= {"audit_report.view", "sampling.view"}

    assert (
        da.post(
            f"/audit-authority/findings/{year['da_finding'].pk}/reply/", {"text": "Weights added."}
        ).status_code
        == 302
    )
    assert (
        da.post(f"/audit-authority/findings/{year['ra_finding'].pk}/reply/", {"text": "x"}).status_code == 404
    )
    assert list(AuditeeReply.objects.values_list("finding_id", flat=True)) == [year["da_finding"].pk]


def test_a_delegated_officer_reads_only_their_own_body_in_the_api(year: dict[str, Any]) -> None:
    da = _client(DA)
    plan = da.get(f"/api/v1/audit/plans/{CCI_2021}/2024").json()
    assert [b["name"] for b in plan["bodies"]] == ["Flemish delegated authority"]
    assert plan["bodies"][0]["system_audit"]["findings"] == [year["da_finding"].pk]
    assert da.get(f"/api/v1/audit/assurance/{CCI_2021}/2024").status_code == 403
    assert da.get(f"/api/v1/audit/reports/{CCI_2021}/2024").status_code == 403
    assert da.get("/api/v1/sampling/samples").status_code == 403
    reply = lambda pk: da.post(  # noqa: E731
        f"/api/v1/audit/findings/{pk}/reply",
        data=json.dumps({"text": "Done."}),
        content_type="application/json",
    )
    assert reply(year["da_finding"].pk).status_code == 201
    assert reply(year["ra_finding"].pk).status_code == 404
    assert not AuditeeReply.objects.filter(finding=year["ra_finding"]).exists()


def test_another_delegated_authority_sees_no_body_of_others(year: dict[str, Any]) -> None:
    other = _client(OTHER_DA)
    status, page = _get(other, "/audit-authority/")
    assert status == 200
    assert CCI_2021 not in page and "/audit-authority/findings/" not in page
    assert _get(other, f"/audit-authority/plans/{CCI_2021}/2024/")[0] == 404
    assert _get(other, f"/audit-authority/bodies/{year['da_body'].pk}/")[0] == 404
    assert _get(other, f"/audit-authority/findings/{year['da_finding'].pk}/")[0] == 404
    assert other.get(f"/api/v1/audit/plans/{CCI_2021}/2024").status_code == 404
    # a delegation on the other programme only: the ESF agency's 2021-2027 body is not in it
    RoleAssignment.objects.filter(user=user(DA), programme__cci=CCI_2021).update(revoked_at=timezone.now())
    assert selectors.body_for(user(DA), year["da_body"].pk) is None


def test_a_reply_outside_ones_body_is_refused_and_recorded(year: dict[str, Any]) -> None:
    with pytest.raises(ForbiddenError):
        services.finding_reply(actor=user(DA), finding=year["ra_finding"], text="Not ours.")
    refusal = AuditEntry.objects.filter(action="permission_refused", actor=user(DA)).latest("sequence")
    assert refusal.object_id == str(year["ra_finding"].pk)
    assert (refusal.after or {}).get("action") == "audit_reply.submit"
    assert not AuditeeReply.objects.exists()
    # the responsible authority replies to either body's finding, as before
    services.finding_reply(actor=user(RA_OFFICER), finding=year["da_finding"], text="Followed up.")


@pytest.mark.parametrize("who", [RA_OFFICER, AUDITOR])
def test_the_responsible_authority_and_the_auditors_read_every_record(year: dict[str, Any], who: str) -> None:
    client = _client(who)
    status, page = _get(client, "/audit-authority/")
    assert status == 200
    for finding in ("ra_finding", "da_finding"):
        assert f"/audit-authority/findings/{year[finding].pk}/" in page
        assert _get(client, f"/audit-authority/findings/{year[finding].pk}/")[0] == 200
    assert f"/audit-authority/reports/{CCI_2021}/2024/" in page
    status, page = _get(client, f"/audit-authority/plans/{CCI_2021}/2024/")
    assert status == 200 and "Flemish delegated authority" in page and "FPS Home Affairs" in page
    assert 'id="assurance"' in page
    for body in ("ra_body", "da_body"):
        assert _get(client, f"/audit-authority/bodies/{year[body].pk}/")[0] == 200
    assert _get(client, f"/audit-authority/reports/{CCI_2021}/2024/")[0] == 200
    plan = client.get(f"/api/v1/audit/plans/{CCI_2021}/2024").json()
    assert len(plan["bodies"]) == 2
    assert client.get(f"/api/v1/audit/assurance/{CCI_2021}/2024").json()["category"] == 2
    assert client.get(f"/api/v1/audit/reports/{CCI_2021}/2024").status_code == 200
