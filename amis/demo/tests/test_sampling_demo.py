"""The demo's audit year (issue 19's check), built as `amis demo` builds it — the programme's past years
(`amis.demo.history`) and their payment applications (`amis.demo.declarations`) first — on the demo's
day and on days before and after it: the system audits, the population, the MUS sample (seed 190019),
the results with one systemic error, the projection and the draft annual control report are all of
the last closed accounting year, read from the payment application the history declared for it; the
population is made of payment claims, clearly more than the sample (a high-value stratum and a part
drawn by PPS); loaded twice without change."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from amis.audit import selectors as audit_selectors
from amis.audit.models import AuditPlan, ControlReport, SystemAudit
from amis.core.audit import AuditEntry, verify_chain
from amis.declarations.models import PaymentApplication
from amis.demo import history
from amis.demo.audit import load_audit
from amis.demo.declarations import closed_year
from amis.demo.programme import BELGIAN_2021_CCI
from amis.demo.sampling import SEED, load_sampling
from amis.demo.tests.test_history_demo import _build
from amis.sampling import services
from amis.sampling.models import AuditPopulation, PopulationUnit, Sample, SampledItem


def test_the_audited_year_is_the_last_closed_and_declared_one() -> None:
    """Accounting years of 2021-2027 run from 1 July to 30 June and are named by their end; the final
    application of a year reaches the Commission on 20 July after it (`declarations.submitted_on`)."""
    assert closed_year("2021-2027", dt.date(2026, 12, 1)) == 2026  # 1 July 2025 - 30 June 2026
    assert closed_year("2021-2027", dt.date(2025, 3, 1)) == 2024
    assert closed_year("2021-2027", dt.date(2027, 9, 15)) == 2027
    assert closed_year("2021-2027", dt.date(2026, 7, 19)) == 2025  # 2026 closed, not declared yet
    assert closed_year("2021-2027", dt.date(2026, 7, 20)) == 2026


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("today", "year"),
    [(dt.date(2026, 12, 1), 2026), (dt.date(2025, 3, 1), 2024), (dt.date(2027, 9, 15), 2027)],
)
def test_the_demo_samples_the_last_closed_year_and_fills_the_control_report(
    belgian: object, monkeypatch: pytest.MonkeyPatch, today: dt.date, year: int
) -> None:
    _build(today, monkeypatch)
    quiet = lambda message: None  # noqa: E731
    load_audit(log=quiet)
    said: list[str] = []
    load_sampling(log=said.append)
    assert len(said) == 1 and f"{BELGIAN_2021_CCI} {year}: population of" in said[0], said
    entries = AuditEntry.objects.count()
    load_audit(log=quiet)
    load_sampling(log=quiet)  # twice: nothing new
    assert AuditEntry.objects.count() == entries

    # the system audits, the sample and the report: all of the last closed accounting year
    assert list(AuditPlan.objects.values_list("year", flat=True)) == [year]
    assert SystemAudit.objects.filter(status="completed").count() == 2
    report = ControlReport.objects.get()
    population = AuditPopulation.objects.select_related("programme").get()
    assert population.programme.cci == BELGIAN_2021_CCI
    assert report.year == population.year == year
    # read from the final payment application the history declared for that year, before today
    application = PaymentApplication.objects.get(
        programme__cci=BELGIAN_2021_CCI, year=year, status="submitted"
    )
    assert application.submitted_on == dt.date(year, 7, 20) <= today
    declared = services.declared_items(population.programme, year)
    assert population.book_value == sum((i.eligible for i in declared), Decimal(0)) > 0
    # by payment claim: the local integration projects' four quarterly claims each, and the rest
    assert population.unit_kind == AuditPopulation.UnitKind.CLAIM
    local = history.local_story(today)
    units = PopulationUnit.objects.filter(population=population)
    assert units.filter(label__contains=f"-{local.code}-").count() == 4 * len(local.projects)
    assert population.units == units.count() == declared.values("verification_id").distinct().count()

    sample = Sample.objects.get()
    assert sample.method == "mus_standard" and sample.seed == SEED
    assert sample.category == 2 and sample.confidence == 70  # the system audits' category 2
    items = SampledItem.objects.filter(sample=sample)
    assert items.count() == sample.size and not items.filter(audited=False).exists()
    # a sample, not the population: a few high values, thirty claims drawn among the many others
    high, drawn = items.filter(stratum="high"), items.filter(stratum="sample")
    assert 1 <= high.count() < 15 and drawn.count() == sample.sampled_size == 30
    assert population.units >= 2 * sample.size
    cutoff = min(i.book_value for i in high)
    assert all(i.book_value < cutoff for i in drawn)
    flawed = items.exclude(irregular=0)
    assert [(i.error_kind, i.stratum) for i in flawed] == [("systemic", "sample")]
    error = flawed.get().irregular
    assert error == (flawed.get().book_value * Decimal("0.05")).quantize(Decimal("0.01"))

    figures = sample.projection["figures"]
    # with no random error the total is the systemic error found (its extent not delimited further)
    assert Decimal(figures["total"]) == error
    rate = (error / population.book_value * 100).quantize(Decimal("0.01"))
    content = audit_selectors.current_content(report)
    assert report.status == "draft"
    assert content["sampling"]["total_error_rate"] == format(rate, "f")
    assert content["sampling"]["sample"] == str(sample.pk)  # the samples counted, listed
    assert content["sampling"]["total_error_rate_above_materiality"] is (rate > 2)
    assert content["suggested_opinion"] == ("unqualified" if rate <= 2 else "qualified")
    assert verify_chain().ok
