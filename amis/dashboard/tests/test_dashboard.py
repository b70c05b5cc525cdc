"""The programme dashboard (issue 17 §1) on the demo's money: every figure equals the stored data it
comes from and the sum of the rows it drills down to, to the cent; each role sees its part; the pages
and the API give the same figures; the XLSX holds the table."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import F, Sum
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from amis.accounts.models import User
from amis.calls.models import Call
from amis.dashboard import rules, selectors
from amis.dashboard.rules import Figures
from amis.declarations.models import PaymentApplicationItem
from amis.demo.programme import BELGIAN_2021_CCI
from amis.demo.tests.test_money_demo import _load
from amis.organisations.models import Organisation
from amis.payments.models import Payment, Recovery
from amis.programme.models import Programme
from amis.projects.models import Project
from amis.reporting.models import ExpenditureLine, ReportSubmission
from amis.verification.models import FinancialCorrection, Verification

MONEY = rules.MONEY


def _user(email: str) -> User:
    return User.objects.get(email=email)


def _sum(queryset: Any, expression: Any) -> Decimal:
    return Decimal(str(queryset.aggregate(t=Sum(expression))["t"] or 0)).quantize(Decimal("0.01"))


@pytest.fixture
def money(belgian: Any) -> Programme:
    from amis.demo.declarations import load_declarations

    _load()
    load_declarations(log=lambda message: None)  # a submitted payment application: declared to the EC
    return Programme.objects.get(cci=BELGIAN_2021_CCI)


@pytest.mark.django_db
def test_every_figure_is_the_stored_data_and_the_sum_of_its_rows(money: Programme) -> None:
    board = selectors.programme_dashboard(_user("ra.manager@amis.example"), money)
    projects = Project.objects.filter(application__call__programme=money)
    latest = [
        s
        for s in ReportSubmission.objects.filter(report__project__in=projects).order_by("report", "-round")
        if s.round == max(r.round for r in s.report.submissions.all())
    ]
    expected = {
        "in_calls": _sum(Call.objects.filter(programme=money).exclude(status="draft"), F("budget")),
        "grants": _sum(projects, F("eu_contribution")),
        "declared": sum((s.declared for s in latest), Decimal("0.00")),
        "verified": _sum(
            Verification.objects.filter(report__project__in=projects, status="completed"), F("verified")
        ),
        "eu_verified": _sum(
            Verification.objects.filter(report__project__in=projects, status="completed"), F("eu_share")
        ),
        "corrected": _sum(FinancialCorrection.objects.filter(project__in=projects), F("eu_amount")),
        "paid": _sum(Payment.objects.filter(project__in=projects, status="paid"), F("amount") + F("offset")),
        "recovered": _sum(Recovery.objects.filter(project__in=projects), F("received") + F("offset")),
        "to_commission": _sum(
            PaymentApplicationItem.objects.filter(
                project__in=projects, application__status="submitted", held_back=False
            ),
            F("eu"),
        ),
    }  # fmt: skip
    total = board.total.figures
    assert {key: getattr(total, key) for key in MONEY} == expected
    # the demo has money in every column that it fills: the check is not a sum of zeros
    assert all(
        expected[key] > 0
        for key in ("grants", "declared", "verified", "paid", "corrected", "recovered", "to_commission")
    )
    assert total.projects == projects.count()
    # a row is the sum of the rows it drills down to, and a call the sum of its projects
    assert rules.total(o.figures for o in board.objectives) == total
    for objective in board.objectives:
        assert rules.total(g.figures for g in objective.children) == objective.figures
        for group in objective.children:
            assert rules.total(c.figures for c in group.children) == group.figures
            for row in group.children:
                call = Call.objects.get(code=row.key)
                projects_rows, call_figures = selectors.call_projects(_user("ra.manager@amis.example"), call)
                assert call_figures == row.figures
                assert rules.total(p.figures for p in projects_rows).paid == row.figures.paid
    # declared drills down to the expenditure lines of the reports as submitted
    lines = _sum(
        ExpenditureLine.objects.filter(report__in=[s.report for s in latest if s.returned_at is None]),
        F("amount_declared"),
    )
    assert lines == sum((s.declared for s in latest if s.returned_at is None), Decimal("0.00"))
    # per year: the plan's appropriations (CPR Annex V table 1) and what was paid, cumulated
    from amis.programme.selectors import annex_v_data

    assert board.version is not None
    plan = annex_v_data(board.version)
    assert plan is not None
    committed = [y["committed"] for y in board.years if y["committed"] is not None]
    assert (
        sum(committed, Decimal("0.00"))
        == plan["appropriations_total"]
        == board.years[-1]["committed_to_date"]
    )
    assert (
        board.years[-1]["paid_to_date"] == total.paid == sum((y["paid"] for y in board.years), Decimal("0"))
    )
    # indicators: what accepted (verified) reports achieved, against the plan's target
    from amis.reporting.models import IndicatorAchievement

    accepted = IndicatorAchievement.objects.filter(report__project__in=projects, report__status="accepted")
    o21 = next(i for i in board.indicators if i["code"] == "O.2.1")
    assert o21["achieved"] == _sum(accepted.filter(code="O.2.1"), F("value")) > 0
    assert o21["of_target"] == rules.share(o21["achieved"], o21["target"])
    # absorption is paid / planned
    assert board.total.planned and board.total.absorption == rules.share(total.paid, board.total.planned)


@pytest.mark.django_db
def test_each_role_sees_its_part(money: Programme) -> None:
    from amis.demo.calls import load_calls
    from amis.demo.programme import BELGIAN_CCI

    load_calls(log=lambda message: None)  # the 2014-2020 call of the ESF agency Flanders (SO2 / NO2)
    old = Programme.objects.get(cci=BELGIAN_CCI)
    # and one the responsible authority runs itself on SO1 (a copy: its creation is not under test)
    other = Call.objects.get(programme=old, code="FL-AMIF-INT-01")
    other.pk, other.code, other.specific_objective, other.national_objectives = (
        None,
        "RA-AMIF-01",
        "SO1",
        ["NO1"],
    )
    other.managing_organisation = Organisation.objects.get(kind="responsible_authority")
    other.save()
    assert selectors.may_read(_user("auditor@amis.example"), money)
    assert selectors.may_read(_user("mc.member@amis.example"), money)
    assert not selectors.may_read(_user("beneficiary@caritas.example"), money)
    officer = _user("da.flanders@amis.example")  # delegated SO2 / NO2 by the ESF agency Flanders
    mine = selectors.calls_in_scope(officer, old)
    everything = selectors.calls_in_scope(_user("ra.officer@amis.example"), old)
    assert 0 < mine.count() < everything.count()
    assert all(c.specific_objective == "SO2" and "NO2" in str(c.national_objectives) for c in mine)
    board = selectors.programme_dashboard(officer, old)
    whole = selectors.programme_dashboard(_user("ra.officer@amis.example"), old)
    shown = {c.key for o in board.objectives for g in o.children for c in g.children}
    assert shown == {c.code for c in mine}
    assert board.total.figures.in_calls == sum((c.budget for c in mine), Decimal("0.00"))
    assert whole.total.figures.in_calls == sum((c.budget for c in everything), Decimal("0.00"))
    # the officer sees only the objectives of their calls, without the plan of the rest
    assert [o.key for o in board.objectives] == ["SO2"]
    # ... and the plan of their part: the national objective delegated, not the whole objective
    [part] = board.objectives
    assert part.planned == sum((g.planned or Decimal("0.00") for g in part.children), Decimal("0.00"))
    so2 = next(o.planned for o in whole.objectives if o.key == "SO2")
    assert part.planned is not None and so2 is not None and part.planned < so2
    assert len(whole.objectives) > 1


@pytest.mark.django_db
def test_the_pages_the_download_and_the_api_show_the_same_figures(money: Programme) -> None:
    client = Client()
    client.force_login(_user("ra.manager@amis.example"))
    board = selectors.programme_dashboard(_user("ra.manager@amis.example"), money)
    page = client.get(f"/dashboard/{money.cci}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "dashboard-chart" in text and "Download this table (XLSX)" in text
    for row in (c for o in board.objectives for g in o.children for c in g.children):
        assert f'href="/dashboard/calls/{row.key}/"' in text
    download = client.get(f"/dashboard/{money.cci}/?format=xlsx")
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(download.content), read_only=True).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[-1][0] == "Total"
    assert [Decimal(str(v)) for v in rows[-1][4 : 4 + len(MONEY)]] == [
        getattr(board.total.figures, k) for k in MONEY
    ]
    api = client.get(f"/api/v1/dashboard/{money.cci}").json()
    assert {k: Decimal(api["total"][k]) for k in MONEY} == {k: getattr(board.total.figures, k) for k in MONEY}
    call = next(c.key for o in board.objectives for g in o.children for c in g.children)
    call_page = client.get(f"/dashboard/calls/{call}/")
    assert call_page.status_code == 200 and "/projects/" in call_page.content.decode()
    call_api = client.get(f"/api/v1/dashboard/calls/{call}").json()
    assert Decimal(call_api["total"]["paid"]) == sum(Decimal(p["paid"]) for p in call_api["projects"])
    # filters narrow every figure the same way
    narrowed = client.get(f"/api/v1/dashboard/{money.cci}?call={call}").json()
    assert narrowed["total"]["calls"] == 1
    assert Decimal(narrowed["total"]["paid"]) == Decimal(call_api["total"]["paid"])
    # hostile filters: a clear 400, never a 500
    assert client.get(f"/api/v1/dashboard/{money.cci}?authority={10**30}").status_code == 400
    assert client.get(f"/api/v1/dashboard/{money.cci}?authority=-1").status_code == 400
    assert client.get(f"/dashboard/{money.cci}/?authority={10**30}").status_code == 200  # ignored


@pytest.mark.django_db
def test_who_may_open_the_dashboard(money: Programme) -> None:
    for email, status in (
        ("mc.member@amis.example", 200),
        ("auditor@amis.example", 200),
        ("beneficiary@caritas.example", 403),
        ("assessor@amis.example", 403),
    ):
        client = Client()
        client.force_login(_user(email))
        assert client.get(f"/dashboard/{money.cci}/").status_code == status, email
        assert client.get("/dashboard/").status_code == status, email
    # the committee reads the figures of a call's projects, but project pages are not theirs to open
    committee = Client()
    committee.force_login(_user("mc.member@amis.example"))
    call_page = committee.get("/dashboard/calls/FL-AMIF21-INT-00/").content.decode()
    assert "P-FL-AMIF21-INT-00-" in call_page and 'href="/projects/' not in call_page
    client = Client()
    client.force_login(_user("ra.manager@amis.example"))
    assert 'href="/projects/' in client.get("/dashboard/calls/FL-AMIF21-INT-00/").content.decode()
    assert client.get("/dashboard/NO-SUCH-CCI/").status_code == 404
    assert client.get("/dashboard/calls/NO-SUCH-CALL/").status_code == 404


cents = st.decimals(min_value=Decimal("-1000000"), max_value=Decimal("1000000"), places=2)


@given(st.lists(st.lists(st.tuples(cents, cents), min_size=0, max_size=6), min_size=0, max_size=6))
def test_groups_of_rows_add_up_to_the_total_of_all_rows(groups: list[list[tuple[Decimal, Decimal]]]) -> None:
    rows = [[Figures(grants=a, paid=b, projects=1) for a, b in group] for group in groups]
    by_group = rules.total(rules.total(group) for group in rows)
    flat = rules.total(row for group in rows for row in group)
    assert by_group == flat
    assert flat.grants == sum((a for group in groups for a, _b in group), Decimal("0.00"))
    assert flat.projects == sum(len(group) for group in groups)
