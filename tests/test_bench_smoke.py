"""The bench works: the generator fills a database at the smallest scale and every scenario runs.

Deliberately no timing assertion: timings belong in `bench/` on generated data at scale, never in
unit tests (shared CI machines make timed tests flaky). This only keeps the bench from rotting.
"""

from __future__ import annotations

import pytest
from stdnum.be import vat

from amis.applications.models import Application, BudgetLine
from amis.calls.models import Call
from amis.core.audit import verify_chain
from amis.core.models import AuditEntry
from amis.integrity.models import OtherFundProject
from amis.organisations.models import Organisation
from amis.projects.models import Project
from bench.gen.context import BIG_CALL
from bench.generate import generate
from bench.measure import measure
from bench.scales import get
from bench.scenarios import ALL
from bench.scenarios.fixture import prepare


@pytest.mark.django_db
def test_generator_and_every_scenario_run_at_the_smallest_scale() -> None:
    scale = get("small")
    counts = generate(scale, seed=7, log=lambda _line: None)

    generated = Organisation.objects.filter(email__contains="@beneficiary")
    assert generated.count() == scale.organisations
    assert Call.objects.filter(code__startswith="BENCH-").count() == scale.calls
    assert counts["applications"] == Application.objects.count() == scale.applications
    assert Application.objects.filter(call__code=BIG_CALL).count() == scale.big_call_applications
    assert BudgetLine.objects.count() == scale.budget_lines
    assert Project.objects.count() == counts["projects"] > 0
    assert OtherFundProject.objects.count() == scale.other_fund_projects
    assert AuditEntry.objects.count() >= scale.audit_entries
    from amis.declarations.models import PaymentApplicationItem  # the money: some declared to the EC

    assert counts["payment application items"] == PaymentApplicationItem.objects.count() > 0
    assert all(vat.is_valid(n) for n in generated.values_list("enterprise_number", flat=True))
    assert verify_chain().ok

    fixture = prepare()
    for scenario in ALL:
        result = measure(scenario, fixture, repetitions=1, warmup=0)
        assert result.name == scenario.name
        assert result.queries[0] > 0, scenario.name
        assert result.output, scenario.name
    assert verify_chain().ok  # the writing scenarios rolled back and left the chain whole
