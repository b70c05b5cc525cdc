"""The dashboard as the home page of the authority roles that read it (issue 17): each programme in
the reader's part, per specific objective — the responsible authority the whole programme, a
delegated authority officer only the part delegated to them, a beneficiary nothing — with the same
figures as the dashboard and the stored data."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client

from amis.accounts import services as accounts
from amis.calls.models import Call
from amis.core.money import ZERO
from amis.dashboard.views import glance
from amis.organisations.models import Organisation
from amis.payments import services as payments
from amis.payments.models import Payment
from amis.payments.tests.test_picture import _pay
from amis.payments.tests.test_services import RA_OFFICER, _verified
from amis.projects.models import Project
from amis.projects.tests.builders import CARITAS, DA, selected_project, signed_agreement, user
from amis.verification.models import Verification
from amis.verification.tests.test_services import _submitted_report

pytestmark = pytest.mark.django_db
DA_SO1 = "da.so1@amis.example"


def _world() -> tuple[Project, Project]:
    """Two projects of the 2021-2027 programme: one verified and paid (SO2, regular actions), one
    signed only, its call moved to SO1 (the part of another delegated officer)."""
    report = _submitted_report(12)
    paid = report.project
    _verified(report)
    _pay(payments.payment_propose(actor=user(RA_OFFICER), project=paid, kind="prefinancing"))
    other = selected_project(code="FL-AMIF21-SO1", email="beneficiary@redcross.example", short="Rode Kruis")
    signed_agreement(other)
    Call.objects.filter(pk=other.application.call_id).update(specific_objective="SO1")
    outside = accounts.user_create(email=DA_SO1, password="a-long-test-password-1")
    accounts.role_assign(
        user=outside,
        role="da_officer",
        organisation=Organisation.objects.get(short_name="ESF Flanders"),
        specific_objective="SO1",
    )
    TOTP.activate(outside, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    return Project.objects.get(pk=paid.pk), Project.objects.get(pk=other.pk)


def _objectives(email: str) -> dict[str, Any]:
    return {o.key: o for item in glance(user(email)) for o in item["board"].objectives}


def test_each_authority_sees_its_part_with_the_stored_figures(belgian: object) -> None:
    paid, other = _world()
    eu_verified = sum(
        (v.eu_share for v in Verification.objects.filter(report__project=paid, status="completed")), ZERO
    )
    paid_amount = sum((p.amount for p in Payment.objects.filter(project=paid, status="paid")), ZERO)
    assert eu_verified > 0 and paid_amount > 0

    whole = _objectives(RA_OFFICER)
    assert {"SO1", "SO2"} <= set(whole)
    assert whole["SO2"].figures.eu_verified == eu_verified and whole["SO2"].figures.paid == paid_amount
    assert whole["SO2"].figures.grants == paid.eu_contribution
    assert whole["SO1"].figures.grants == other.eu_contribution and whole["SO1"].figures.paid == ZERO
    (item,) = [
        i for i in glance(user(RA_OFFICER)) if i["board"].programme.pk == paid.application.call.programme_id
    ]
    total = item["board"].total.figures
    assert total.paid == sum((o.figures.paid for o in item["board"].objectives), ZERO)
    assert item["chart"]["labels"] == [o.key for o in item["board"].objectives]

    # a delegated authority officer of SO1 sees SO1 only; the Flemish one (delegated SO2) SO2 only
    assert list(_objectives(DA_SO1)) == ["SO1"]
    flemish = _objectives(DA)
    assert list(flemish) == ["SO2"] and flemish["SO2"].figures.paid == paid_amount
    assert glance(user(CARITAS)) == []  # a beneficiary never


def test_the_home_pages_show_the_glance_by_role(belgian: object) -> None:
    _world()

    def page(email: str) -> str:
        client = Client()
        client.force_login(user(email))
        client.cookies["django_language"] = "en"
        response = client.get("/")
        assert response.status_code == 200
        return response.content.decode()

    ra = page(RA_OFFICER)
    assert "at a glance" in ra and "Per specific objective, in euro; absorption is paid / planned" in ra
    assert "96,300.00" in ra  # the pre-financing paid: 40 % of 240,750
    assert "canvas data-figures" in ra and "Open the dashboard of" in ra
    assert "headline figures" not in ra  # the dashboard replaces the plan-only figures
    da = page(DA_SO1)
    assert "The part of the programme delegated to you." in da
    assert da.count("at a glance") == 1  # the 2014-2020 programme holds nothing of the delegation
    glance_part = da.split("at a glance", 1)[1].split("</section>", 1)[0]
    assert "SO1" in glance_part and "SO2" not in glance_part and "96,300.00" not in glance_part
    assert "at a glance" not in page(CARITAS)
