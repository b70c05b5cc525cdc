"""Periods and funds are rows: adding them needs no code, and their programmes get the arithmetic checks."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from amis.programme.models import Fund, ProgrammingPeriod
from amis.programme.rules.parameters import PeriodRules, rules_for
from amis.programme.services import ProgrammeFileError, programme_import


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


@pytest.mark.django_db
def test_a_programme_of_a_period_added_as_data_imports(belgian: Any, belgian_doc: dict[str, Any]) -> None:
    """The file format names no list of periods or funds: the reference data decides. A period that is
    not a row is refused by name; once it is a row, its programme imports (as a draft, with the
    arithmetic findings its Table 3 years earn) without any change to the code or the schema."""
    document = copy.deepcopy(belgian_doc)
    document["programme"].update(period="2028-2034", cci="2028BE65AMPR001")
    document["version"]["status"] = "draft"
    with pytest.raises(ProgrammeFileError) as refused:
        programme_import(document=document, actor_label="test")
    assert ("$.programme.period", "'2028-2034' is not a period known to AMIS.") in refused.value.problems
    ProgrammingPeriod.objects.create(code="2028-2034", start_year=2028, end_year=2034)
    version = programme_import(document=document, actor_label="test")
    assert version.programme.cci == "2028BE65AMPR001"
    assert version.programme.period.code == "2028-2034"
    assert version.status == "draft"
