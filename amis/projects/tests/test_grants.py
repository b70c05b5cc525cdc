"""Grant terms of a call, changes to a draft, four eyes, scope, amendments and budget transfers,
through the services (each refusal leaves nothing changed; refusals of rights are recorded)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from amis.accounts import services as accounts
from amis.accounts.services import SegregationOfDutiesError
from amis.core.errors import ApplicationError, StaleObjectError
from amis.core.models import AuditEntry
from amis.organisations.models import Organisation
from amis.projects import services
from amis.projects.models import AgreementVersion, BudgetTransfer, GrantTerms
from amis.projects.rules import terms_diff
from amis.projects.selectors import version_budget, version_in_force
from amis.projects.tests.builders import (
    CARITAS,
    DA,
    RA_MANAGER,
    RA_OFFICER,
    REDCROSS,
    selected_project,
    signed_agreement,
    user,
)

pytestmark = pytest.mark.django_db


def _da_of_another_part() -> object:
    outside = accounts.user_create(email="da.so1@amis.example", password="a-long-test-password-1")
    accounts.role_assign(
        user=outside,
        role="da_officer",
        organisation=Organisation.objects.get(short_name="ESF Flanders"),
        specific_objective="SO1",
    )
    return outside


def _refusals(email: str) -> int:
    return AuditEntry.objects.filter(action="permission_refused", actor__email=email).count()


def test_the_grant_terms_of_a_call_are_set_with_a_lock_and_feed_the_next_agreement(belgian: object) -> None:
    project = selected_project()
    call = project.application.call
    data = {
        "interim_report_months": 6,
        "report_due_days": 30,
        "transfer_tolerance": Decimal("0.15"),
        "prefinancing_share": Decimal("0.30"),
        "special_conditions": "Publicity: the EU emblem on every leaflet.",
    }
    terms = services.grant_terms_update(actor=user(DA), call=call, expected_lock_version=1, data=data)
    assert AuditEntry.objects.filter(object_type="projects.GrantTerms", action="create").count() == 1
    with pytest.raises(StaleObjectError):
        services.grant_terms_update(actor=user(RA_OFFICER), call=call, expected_lock_version=1, data=data)
    with pytest.raises(ApplicationError):
        services.grant_terms_update(
            actor=user(RA_OFFICER),
            call=call,
            expected_lock_version=terms.lock_version,
            data={**data, "transfer_tolerance": Decimal("1.5")},
        )
    assert GrantTerms.objects.get(call=call).transfer_tolerance == Decimal("0.1500")
    version = services.agreement_prepare(actor=user(DA), project=project)
    assert version.transfer_tolerance == Decimal("0.1500")
    assert version.terms["special_conditions"].startswith("Publicity")
    # two years in interim periods of 6 months: three interim reports and the final one
    assert [e["kind"] for e in version.terms["calendar"]] == ["interim"] * 3 + ["final"]
    assert version.terms["prefinancing_amount"] == str(
        (version.max_grant * Decimal("0.3")).quantize(Decimal("0.01"))
    )


def test_a_delegated_officer_of_another_part_is_refused_and_recorded(belgian: object) -> None:
    project = selected_project()
    outside = _da_of_another_part()
    with pytest.raises(PermissionDenied):
        services.agreement_prepare(actor=outside, project=project)
    with pytest.raises(PermissionDenied):
        services.grant_terms_update(
            actor=outside,
            call=project.application.call,
            expected_lock_version=1,
            data={
                "interim_report_months": 6,
                "report_due_days": 30,
                "transfer_tolerance": "0.1",
                "prefinancing_share": "0.3",
            },
        )
    assert _refusals("da.so1@amis.example") == 2
    assert not AgreementVersion.objects.exists() and not GrantTerms.objects.exists()


def test_the_beneficiary_of_another_organisation_cannot_sign_or_ask(belgian: object) -> None:
    project = selected_project()
    version = services.agreement_prepare(actor=user(DA), project=project)
    version = services.version_issue(
        actor=user(RA_OFFICER), version=version, expected_lock_version=version.lock_version
    )
    with pytest.raises(PermissionDenied):
        services.version_sign(
            actor=user(REDCROSS),
            version=version,
            expected_lock_version=version.lock_version,
            side="beneficiary",
            signatory="Someone",
            signed_on=version.issued_at.date(),  # type: ignore[union-attr]
        )
    assert _refusals(REDCROSS) == 1
    version.refresh_from_db()
    assert not version.beneficiary_signed_on


def test_whoever_changed_the_draft_cannot_issue_it_and_a_stale_form_is_refused(belgian: object) -> None:
    project = selected_project()
    version = services.agreement_prepare(actor=user(DA), project=project)
    changed = services.draft_set_conditions(
        actor=user(RA_OFFICER),
        version=version,
        expected_lock_version=version.lock_version,
        text="Quarterly visits.",
    )
    with pytest.raises(SegregationOfDutiesError):
        services.version_issue(
            actor=user(RA_OFFICER), version=changed, expected_lock_version=changed.lock_version
        )
    with pytest.raises(StaleObjectError):  # the form read before the change
        services.version_issue(
            actor=user(RA_MANAGER), version=changed, expected_lock_version=version.lock_version - 1
        )
    issued = services.version_issue(
        actor=user(RA_MANAGER), version=changed, expected_lock_version=changed.lock_version
    )
    assert issued.status == AgreementVersion.Status.ISSUED and len(issued.pdf_sha256) == 64
    with pytest.raises(ApplicationError):  # frozen once issued
        services.draft_set_conditions(
            actor=user(DA), version=issued, expected_lock_version=issued.lock_version, text="Other."
        )


def test_issue_is_refused_with_the_terms_problems(belgian: object) -> None:
    project = selected_project()
    Organisation.objects.filter(pk=project.organisation_id).update(iban="")
    version = services.agreement_prepare(actor=user(DA), project=project)
    with pytest.raises(ApplicationError) as refused:
        services.version_issue(
            actor=user(RA_OFFICER), version=version, expected_lock_version=version.lock_version
        )
    assert "bank account" in str(refused.value)
    assert AgreementVersion.objects.get(pk=version.pk).status == AgreementVersion.Status.DRAFT


def test_simplified_costs_period_and_calendar_of_a_draft(belgian: object) -> None:
    project = selected_project()
    version = services.agreement_prepare(actor=user(DA), project=project)
    officer = user(RA_OFFICER)
    option = {
        "code": "UC-DAY",
        "kind": "unit",
        "category": "staff",
        "amount": Decimal("250.00"),
        "unit": "day",
    }
    version = services.draft_add_simplified_cost(
        actor=officer, version=version, expected_lock_version=version.lock_version, option=option
    )
    assert [o["code"] for o in version.terms["simplified_costs"]] == ["FR-INDIRECT", "UC-DAY"]
    with pytest.raises(ApplicationError):  # the same code again
        services.draft_add_simplified_cost(
            actor=officer, version=version, expected_lock_version=version.lock_version, option=option
        )
    with pytest.raises(ApplicationError):  # a unit cost without its unit
        services.draft_add_simplified_cost(
            actor=officer,
            version=version,
            expected_lock_version=version.lock_version,
            option={**option, "code": "UC-2", "unit": ""},
        )
    version = services.draft_remove_simplified_cost(
        actor=officer, version=version, expected_lock_version=version.lock_version, code="UC-DAY"
    )
    assert [o["code"] for o in version.terms["simplified_costs"]] == ["FR-INDIRECT"]
    start = version.eligible_start
    version = services.draft_set_period(
        actor=officer,
        version=version,
        expected_lock_version=version.lock_version,
        start=start,
        end=start.replace(year=start.year + 1, month=6, day=30),
    )
    assert version.eligible_end.month == 6
    assert version.terms["calendar"][-1]["period_end"] == version.eligible_end.isoformat()
    with pytest.raises(ApplicationError):  # outside 2021-2027's window (Art. 63(2))
        services.draft_set_period(
            actor=officer,
            version=version,
            expected_lock_version=version.lock_version,
            start=start,
            end=start.replace(year=2031),
        )


def test_an_amendment_moves_budget_keeps_the_rate_and_says_an_increase(belgian: object) -> None:
    project = selected_project()
    v1 = signed_agreement(project)
    year = v1.eligible_start.year
    officer = user(RA_OFFICER)
    v2 = services.amendment_prepare(actor=officer, project=project, reason="More coaching, less travel.")
    budget = {(b["category"], int(b["year"])): Decimal(b["amount"]) for b in v2.terms["budget"]}
    moved = {
        **budget,
        ("staff", year): budget[("staff", year)] + 5000,
        ("travel", year): budget[("travel", year)] - 5000,
    }
    v2 = services.draft_set_budget(
        actor=officer, version=v2, expected_lock_version=v2.lock_version, budget=moved
    )
    assert v2.max_grant == v1.max_grant and v2.total_cost == v1.total_cost
    raised = {**moved, ("other", year): moved[("other", year)] + 10000}
    with pytest.raises(ApplicationError) as refused:
        services.draft_set_budget(
            actor=officer, version=v2, expected_lock_version=v2.lock_version, budget=raised
        )
    assert refused.value.code == "increase"
    v2 = services.draft_set_budget(
        actor=officer, version=v2, expected_lock_version=v2.lock_version, budget=raised, increase=True
    )
    # 10,000 more direct costs + 7 % indirect = 10,700 more total cost; 75 % of it more grant
    assert v2.total_cost == v1.total_cost + Decimal("10700.00")
    assert v2.max_grant == (v2.total_cost * v1.eu_rate).quantize(Decimal("0.01"))
    assert sum(Decimal(v) for v in v2.terms["funding"].values()) == v2.total_cost
    diff = terms_diff(v1.terms, v2.terms)
    assert {c.key for c in diff.changes} >= {"max_grant", "total_cost", "funding", "prefinancing_amount"}
    changed = {(b.category, b.year): b.difference for b in diff.budget if b.changed}
    assert changed == {("staff", year): 5000, ("travel", year): -5000, ("other", year): 10000}
    # approval is the issue by a second person; the project follows once signed
    v2 = services.version_issue(actor=user(RA_MANAGER), version=v2, expected_lock_version=v2.lock_version)
    for side, who in (("authority", RA_MANAGER), ("beneficiary", CARITAS)):
        v2 = services.version_sign(
            actor=user(who),
            version=v2,
            expected_lock_version=v2.lock_version,
            side=side,
            signatory="X",
            signed_on=v2.issued_at.date(),  # type: ignore[union-attr]
            scan=("signed.pdf", b"%PDF-1.4\n%%EOF\n") if side == "beneficiary" else None,
        )
    assert version_in_force(project) == v2
    project.refresh_from_db()
    assert project.eu_contribution == v2.max_grant
    v1.refresh_from_db()
    assert v1.status == AgreementVersion.Status.SIGNED  # every version stays


def test_a_draft_is_withdrawn_with_its_reason_and_a_signed_version_is_not(belgian: object) -> None:
    project = selected_project()
    v1 = signed_agreement(project)
    with pytest.raises(ApplicationError):
        services.version_withdraw(
            actor=user(DA), version=v1, expected_lock_version=v1.lock_version, reason="x"
        )
    v2 = services.amendment_prepare(
        actor=user(CARITAS), project=project, reason="Longer.", requested_by_beneficiary=True
    )
    assert v2.requested_by_beneficiary
    with pytest.raises(ApplicationError):
        services.version_withdraw(
            actor=user(DA), version=v2, expected_lock_version=v2.lock_version, reason=" "
        )
    v2 = services.version_withdraw(
        actor=user(DA), version=v2, expected_lock_version=v2.lock_version, reason="Not needed after all."
    )
    assert v2.status == AgreementVersion.Status.REJECTED and v2.rejection_reason == "Not needed after all."
    # a new amendment can be prepared again
    assert services.amendment_prepare(actor=user(DA), project=project, reason="Again.").number == 3


def test_budget_transfers_within_the_tolerance_and_refused_above_it(belgian: object) -> None:
    project = selected_project()
    version = signed_agreement(project)
    project.refresh_from_db()  # the signature moved the project's figures (and its lock)
    before = version_budget(version)
    # travel has 20,000: at 10 % it may receive 2,000 without an amendment
    services.budget_transfer(
        actor=user(CARITAS),
        project=project,
        expected_lock_version=project.lock_version,
        from_category="staff",
        to_category="travel",
        amount=Decimal("1500.00"),
        reason="More trainers' travel.",
    )
    project.refresh_from_db()
    with pytest.raises(ApplicationError) as refused:
        services.budget_transfer(
            actor=user(CARITAS),
            project=project,
            expected_lock_version=project.lock_version,
            from_category="staff",
            to_category="travel",
            amount=Decimal("600.00"),
            reason="Still more.",
        )
    assert "amendment" in str(refused.value)
    refusal = AuditEntry.objects.filter(action="permission_refused", actor__email=CARITAS).get()
    assert refusal.after is not None
    assert refusal.after["action"] == "budget.transfer" and refusal.after["amount"] == "600.00"
    assert refusal.object_type == "projects.Project"
    with pytest.raises(StaleObjectError):
        services.budget_transfer(
            actor=user(RA_OFFICER),
            project=project,
            expected_lock_version=project.lock_version - 1,
            from_category="staff",
            to_category="other",
            amount=Decimal("10.00"),
            reason="x",
        )
    with pytest.raises(PermissionDenied):
        services.budget_transfer(
            actor=user(REDCROSS),
            project=project,
            expected_lock_version=project.lock_version,
            from_category="staff",
            to_category="other",
            amount=Decimal("10.00"),
            reason="x",
        )
    assert BudgetTransfer.objects.count() == 1
    after = version_budget(version)
    assert after["travel"] == before["travel"] + Decimal("1500.00")
    assert after["staff"] == before["staff"] - Decimal("1500.00")
    assert sum(after.values()) == sum(before.values())


def test_a_smaller_budget_cannot_leave_the_other_co_financers_paying_more_than_the_rest(
    belgian: object,
) -> None:
    project = selected_project()
    signed_agreement(project)
    officer = user(RA_OFFICER)
    v2 = services.amendment_prepare(actor=officer, project=project, reason="Smaller project.")
    funding = {**v2.terms["funding"], "own": "70000.00"}  # an own contribution in the plan
    funding["national_public"] = str(Decimal(funding["national_public"]) - Decimal("70000.00"))
    v2 = services.version_update_terms(
        actor=officer, version=v2, expected_lock_version=v2.lock_version, changes={"funding": funding}
    )
    budget = {(b["category"], int(b["year"])): Decimal(b["amount"]) / 2 for b in v2.terms["budget"]}
    with pytest.raises(ApplicationError) as refused:  # half the cost: the own 70,000 > the 40,125 left
        services.draft_set_budget(
            actor=officer, version=v2, expected_lock_version=v2.lock_version, budget=budget
        )
    assert "co-financing" in str(refused.value)
    assert AgreementVersion.objects.get(pk=v2.pk).terms["funding"] == funding
