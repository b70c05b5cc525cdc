"""The demo's declarations: pre-financing received on both programmes, the applications and
accounts of the past years, an application of the current accounting year submitted with one item
held back, a draft reintroducing it, the year's accounts drafted — loaded once."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from amis.accounts.models import User
from amis.annual_reports.models import AnnualReport
from amis.dashboard import selectors as dashboard
from amis.declarations import rules, selectors
from amis.declarations.models import (
    AnnualAccounts,
    CommissionReceipt,
    PaymentApplication,
    PaymentApplicationItem,
)
from amis.demo.declarations import BELGIAN_2014_CCI
from amis.demo.expenditure import add_months
from amis.demo.programme import BELGIAN_2021_CCI
from amis.payments.models import Payment
from amis.programme.models import Programme
from amis.verification.models import Verification

pytestmark = pytest.mark.django_db


def test_the_demo_declares_and_receives() -> None:
    """The whole demo (`amis demo --prepare-only`, run twice): the past years' applications,
    receipts and accounts of both programmes (`amis.demo.history`, `amis.demo.declarations`), the
    current year's application with an item held back and its reintroduction in a draft."""
    out = io.StringIO()
    call_command("demo", "--prepare-only", stdout=out)
    today = timezone.localdate()
    programme = Programme.objects.select_related("period").get(cci=BELGIAN_2021_CCI)
    old = Programme.objects.select_related("period").get(cci=BELGIAN_2014_CCI)
    prefinancing = CommissionReceipt.Kind.PREFINANCING
    assert CommissionReceipt.objects.filter(programme=programme, kind=prefinancing).count() == 6
    assert CommissionReceipt.objects.filter(programme=old, kind=prefinancing).count() == 9
    # every past year has its application submitted (2014-2020: financial years 2017-2023, the
    # projects' reports verified and paid from spring 2017; 2021-2027: accounting years from 2023)
    current = rules.year_of(programme.period.code, today)
    past = PaymentApplication.objects.filter(programme=programme, year__lt=current)
    assert sorted(past.values_list("year", flat=True)) == list(range(2023, current))
    assert set(past.values_list("status", flat=True)) == {"submitted"}
    assert sorted(PaymentApplication.objects.filter(programme=old).values_list("year", flat=True)) == list(
        range(2017, 2024)
    )
    # 2014-2020: each item declares what the responsible authority had paid the project by the
    # financial year's end, never more than the EU share verified
    for item in PaymentApplicationItem.objects.filter(application__programme=old).select_related(
        "application", "verification"
    ):
        _start, end = rules.year_bounds("2014-2020", item.application.year)
        paid = Payment.objects.filter(project=item.project, status="paid", paid_on__lte=end).aggregate(
            s=Sum("amount")
        )["s"]
        declared_before = PaymentApplicationItem.objects.filter(
            project=item.project, application__year__lte=item.application.year, pk__lte=item.pk
        ).aggregate(s=Sum("eu"))["s"]
        assert item.eu <= item.verification.eu_share and declared_before <= paid
    # decommitment: every deadline passed is covered; one warning, for the 2023 commitment
    for cci in (BELGIAN_2014_CCI, BELGIAN_2021_CCI):
        levels = {r.year: r.level for r in selectors.decommitment_risk(Programme.objects.get(cci=cci))}
        assert "decommitted" not in levels.values(), (cci, levels)
    # the history is sized on the day it is built: the next deadline not covered yet, a warning
    # when it is within six months (1 December 2026: the 2023 commitment's, by 31 December 2026)
    risk = selectors.decommitment_risk(programme)
    upcoming = next(r for r in risk if r.deadline is not None and r.deadline >= today)
    assert upcoming.gap > 0 and upcoming.deadline is not None
    near = upcoming.deadline <= add_months(today, 6)
    assert [r.year for r in risk if r.level == "warning"] == ([upcoming.year] if near else [])
    assert not [r for r in selectors.decommitment_risk(old) if r.level == "warning"]
    # accounting year 2026: submitted, with the item held back from 2025 reintroduced, a correction
    # and a recovery, each explained; the held-back item shows in 2025's reconciliation
    accounts = AnnualAccounts.objects.get(programme=programme, year=2026)
    assert accounts.status == "submitted"
    view = selectors.accounts_view(None, programme, 2026)
    assert view.frozen and sorted(d.kind for d in view.differences) == ["corrected", "recovered"]
    assert view.total.net.eu == view.total.declared.eu - view.total.corrected.eu - view.total.recovered.eu
    held_2025 = PaymentApplicationItem.objects.get(held_back=True, application__year=2025)
    again = PaymentApplicationItem.objects.get(reintroduces=held_2025)
    assert again.application.year == 2026 and again.application.status == "submitted"
    assert [d.kind for d in selectors.accounts_view(None, programme, 2025).differences] == ["held_back"]
    # the current year: one application submitted today, an item held back from its accounts, a
    # draft reintroducing it, the accounts drafted
    submitted = PaymentApplication.objects.get(programme=programme, year=current, sequence=1)
    assert submitted.status == "submitted" and submitted.submitted_by != submitted.prepared_by
    held = PaymentApplicationItem.objects.get(held_back=True, application=submitted)
    draft = PaymentApplication.objects.get(programme=programme, year=current, sequence=2)
    assert held.held_stage == "accounts" and draft.items.get().reintroduces == held
    assert draft.status == "draft"
    view = selectors.accounts_view(None, programme, submitted.year)
    assert "held_back" in [d.kind for d in view.differences] and view.total.held_back.eu == held.eu
    assert AnnualAccounts.objects.filter(programme=programme, year=current, status="draft").exists()
    # the dashboard's table by year: payments to beneficiaries in every year from 2016 to 2023
    # (2014-2020) and from 2022 (2021-2027); the annual performance report of 2026, approved by the
    # committee, has the year's payments in its financial table
    ra = User.objects.get(email="ra.officer@amis.example")
    for cci, years in (
        (BELGIAN_2014_CCI, range(2016, 2024)),
        (BELGIAN_2021_CCI, range(2022, today.year + 1)),
    ):
        board = dashboard.programme_dashboard(ra, Programme.objects.get(cci=cci))
        paid = {y["year"]: y["paid"] for y in board.years}
        assert all(paid[year] > 0 for year in years), paid
    # the dashboard's decommitment table (2021-2027, the last one read) warns as the rule does
    assert [w["year"] for w in board.decommitment_warnings] == [r.year for r in risk if r.level == "warning"]
    report = AnnualReport.objects.get(programme=programme, year=2026)
    assert report.status == "frozen" and report.decided_by is not None
    snapshot: dict[str, Any] = report.snapshot or {}
    total = snapshot["generated"]["tables"]["financial"][-1]
    assert Decimal(total["paid_year"]) > 0 and Decimal(total["declared_year"]) > 0
    counts = (
        CommissionReceipt.objects.count(),
        PaymentApplication.objects.count(),
        Payment.objects.count(),
        Verification.objects.count(),
    )
    call_command("demo", "--prepare-only", stdout=out)
    assert (
        CommissionReceipt.objects.count(),
        PaymentApplication.objects.count(),
        Payment.objects.count(),
        Verification.objects.count(),
    ) == counts
