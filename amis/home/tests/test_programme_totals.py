"""The programme's totals of grants, verified and paid per specific objective, national objective or
type of intervention and action on the authorities' home pages: the responsible authority sees the
whole programme, a delegated authority officer only the part delegated to them, a beneficiary
nothing; one grouped query whatever the number of projects; the total row is the sum of the rows."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client

from amis.accounts import services as accounts
from amis.calls.models import Call
from amis.core.money import ZERO
from amis.home.selectors import programme_totals
from amis.organisations.models import Organisation
from amis.payments import services as payments
from amis.payments.tests.test_picture import _pay
from amis.payments.tests.test_services import RA_OFFICER, _verified
from amis.projects.models import Project
from amis.projects.tests.builders import CARITAS, DA, selected_project, signed_agreement, user
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


def _rows(email: str) -> list[dict[str, Any]] | None:
    tables = programme_totals(user(email))
    if tables is None:
        return None
    return [row for table in tables for row in table["rows"]]


def test_each_authority_sees_its_part_and_the_totals_add_up(
    belgian: object, django_assert_max_num_queries: Any
) -> None:
    paid, other = _world()
    from amis.payments.models import Payment
    from amis.projects.selectors import version_in_force
    from amis.verification.models import Verification

    eu_verified = sum(
        (v.eu_share for v in Verification.objects.filter(report__project=paid, status="completed")), ZERO
    )
    paid_amount = sum((p.amount for p in Payment.objects.filter(project=paid, status="paid")), ZERO)
    assert eu_verified > 0 and paid_amount > 0

    # the responsible authority: the whole programme, one row per SO / type of intervention / actions
    with django_assert_max_num_queries(3):
        tables = programme_totals(user(RA_OFFICER))
    assert tables is not None
    (table,) = tables
    by_so = {r["specific_objective"]: r for r in table["rows"]}
    assert set(by_so) == {"SO1", "SO2"}
    assert by_so["SO2"]["grants"] == version_in_force(paid).max_grant  # type: ignore[union-attr]
    assert by_so["SO2"]["verified"] == eu_verified and by_so["SO2"]["paid"] == paid_amount
    assert by_so["SO1"]["grants"] == version_in_force(other).max_grant  # type: ignore[union-attr]
    assert by_so["SO1"]["verified"] == ZERO and by_so["SO1"]["paid"] == ZERO
    assert by_so["SO2"]["national"] == "Regular actions"
    # one call a row here: its projects are the project list filtered by that call
    assert by_so["SO2"]["url"] == f"/projects/?call={paid.application.call.code}"
    for key in ("grants", "verified", "paid"):
        assert table["total"][key] == sum((r[key] for r in table["rows"]), ZERO)

    # a delegated authority officer of SO1 sees SO1 only; the Flemish one (delegated SO2) SO2 only
    rows = _rows(DA_SO1)
    assert rows is not None and [r["specific_objective"] for r in rows] == ["SO1"]
    flemish = _rows(DA)
    assert flemish is not None and [r["specific_objective"] for r in flemish] == ["SO2"]
    assert flemish[0]["paid"] == paid_amount
    # a beneficiary never
    assert _rows(CARITAS) is None
    with django_assert_max_num_queries(4):  # the delegation's assignments, then the one grouped query
        programme_totals(user(DA_SO1))


def test_the_home_pages_show_the_table_by_role(belgian: object) -> None:
    _world()

    def page(email: str) -> str:
        client = Client()
        client.force_login(user(email))
        client.cookies["django_language"] = "en"
        response = client.get("/")
        assert response.status_code == 200
        return response.content.decode()

    ra = page(RA_OFFICER)
    assert "Verified and paid, per objective and action" in ra
    assert "<caption" in ra and "grants, EU share verified and payments" in ra
    assert "SO1" in ra and "SO2" in ra and "96,300.00" in ra
    assert "/projects/?call=FL-AMIF21-SO1" in ra  # the pre-financing paid: 40 % of 240,750
    da = page(DA_SO1)
    assert "The part of the programme delegated to you." in da
    money = da.split('id="money-title"', 1)[1].split("</section>", 1)[0]
    assert "SO1" in money and "SO2" not in money and "96,300.00" not in money
    assert "Verified and paid, per objective and action" not in page(CARITAS)
