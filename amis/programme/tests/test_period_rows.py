"""Periods and funds are rows: adding them needs no code, and their programmes get the arithmetic checks."""

from __future__ import annotations

import pytest

from amis.programme.models import Fund, ProgrammingPeriod
from amis.programme.rules.parameters import PeriodRules, rules_for


@pytest.mark.django_db
def test_a_new_period_row_and_fund_row_degrade_to_the_arithmetic_checks() -> None:
    period = ProgrammingPeriod.objects.create(code="2028-2034", start_year=2028, end_year=2034)
    fund = Fund.objects.create(code="NEWF", name="A fund of the next period")
    assert period.years == list(range(2028, 2035))
    assert rules_for(fund.code, period.code) == PeriodRules()
    assert rules_for("AMIF", period.code) == PeriodRules()
    assert rules_for(fund.code, "2021-2027") == PeriodRules()
    for existing in ProgrammingPeriod.objects.exclude(pk=period.pk):
        assert rules_for("AMIF", existing.code) != PeriodRules()
