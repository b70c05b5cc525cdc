"""The demo's audit year (issue 19's check): the system audits of the 2021-2027 programme's accounting
year, a MUS sample of the expenditure its submitted payment application declared, drawn from a
recorded seed at the confidence level of the system audits' category, one systemic error recorded, the
projection stored, and the draft annual control report showing the rates; loaded twice without
change."""

from __future__ import annotations

from decimal import Decimal

import pytest

from amis.audit import selectors as audit_selectors
from amis.audit.models import ControlReport
from amis.core.audit import AuditEntry, verify_chain
from amis.demo import money
from amis.demo import projects as demo
from amis.demo.audit import load_audit
from amis.demo.calls import load_2021_call
from amis.demo.declarations import load_declarations
from amis.demo.people import load_people
from amis.demo.programme import BELGIAN_2021_CCI, load_belgian_programme
from amis.demo.sampling import SEED, load_sampling
from amis.sampling import services
from amis.sampling.models import AuditPopulation, Sample, SampledItem


@pytest.mark.django_db
def test_the_demo_samples_the_declared_expenditure_and_fills_the_control_report() -> None:
    quiet = lambda message: None  # noqa: E731
    load_belgian_programme(log=quiet)
    load_people(log=quiet)
    load_2021_call(log=quiet)
    demo.load_projects(log=quiet)
    money.load_money(log=quiet)
    load_declarations(log=quiet)
    load_audit(log=quiet)
    said: list[str] = []
    load_sampling(log=said.append)
    assert len(said) == 1 and "one systemic error, total error rate" in said[0]
    entries = AuditEntry.objects.count()
    load_audit(log=quiet)
    load_sampling(log=quiet)  # twice: nothing new
    assert AuditEntry.objects.count() == entries

    population = AuditPopulation.objects.select_related("programme").get()
    report = ControlReport.objects.get()
    assert population.programme.cci == BELGIAN_2021_CCI and population.year == report.year
    declared = sum(
        (i.eligible for i in services.declared_items(population.programme, population.year)), Decimal(0)
    )
    assert population.book_value == declared > 0
    sample = Sample.objects.get()
    assert sample.method == "mus_standard" and sample.seed == SEED
    assert sample.category == 2 and sample.confidence == 70  # the system audits' category 2
    items = SampledItem.objects.filter(sample=sample)
    assert items.count() == sample.size and not items.filter(audited=False).exists()
    flawed = items.exclude(irregular=0)
    assert [i.error_kind for i in flawed] == ["systemic"]
    error = flawed.get().irregular
    assert error == (flawed.get().book_value * Decimal("0.05")).quantize(Decimal("0.01"))

    figures = sample.projection["figures"]
    # with no random error the total is the systemic error found (its extent not delimited further)
    assert Decimal(figures["total"]) == error
    rate = (error / population.book_value * 100).quantize(Decimal("0.01"))
    content = audit_selectors.current_content(report)
    assert report.status == "draft"
    assert content["sampling"]["total_error_rate"] == format(rate, "f")
    assert content["sampling"]["sample"] == sample.pk
    assert content["sampling"]["total_error_rate_above_materiality"] is (rate > 2)
    assert content["suggested_opinion"] == ("unqualified" if rate <= 2 else "qualified")
    assert verify_chain().ok
