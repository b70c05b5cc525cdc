"""Two-period sampling within an accounting year: period 1 planned and drawn from the applications
submitted by the cut-off date, with period 2's book value and σr as forecasts; period 2 built later
from the applications period 1 did not hold, n2 recomputed with the actual BV2; the projection
combining both periods as strata. The numbers are worked out by hand in the comments. Every refusal
is kept in the audit trail; the pages answer 400 with nothing saved, 403 to other authorities and 409
on a stale lock version."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from amis.accounts.models import User
from amis.core.audit import AuditEntry
from amis.core.errors import ApplicationError, StaleObjectError
from amis.demo.programme import BELGIAN_2021_CCI
from amis.programme.models import Programme
from amis.sampling import periods, services
from amis.sampling.models import AuditPopulation, Sample, SampledItem, SamplingPlan
from amis.sampling.tests.builders import AUDITOR, RA_OFFICER, YEAR, declared

pytestmark = pytest.mark.django_db

CUTOFF = dt.date(YEAR, 3, 31)
TODAY = dt.date(YEAR, 4, 15)
PERIOD_1 = {f"OP-{i:02}": ["10000.00"] for i in range(1, 41)}  # 40 × 10 000 = 400 000
PERIOD_2 = {
    "OP-B": ["200000.00"],  # above period 2's cut-off: the 100 % stratum
    "OP-01": ["10000.00"],  # an operation declared in both periods
    **{f"OP-{i:02}": ["10000.00"] for i in range(41, 70)},  # 29 × 10 000
}  # BV2 = 500 000, 31 units


def _auditor() -> User:
    return User.objects.get(email=AUDITOR)


def _refusals() -> int:
    return AuditEntry.objects.filter(action="change_refused").count()


def _plan(programme: Programme, **extra: Any) -> SamplingPlan:
    values: dict[str, Any] = {
        "year": YEAR,
        "unit_kind": "operation",
        "cutoff_date": CUTOFF,
        "sigma_r1": D("0.10"),
        "sigma_r2": D("0.20"),
        "bv2_forecast": D("600000"),
        "anticipated_error": D("0"),
        "category": 2,
        "seed": 4242,
        "today": TODAY,
    }
    values.update(extra)
    return periods.plan_create(actor=_auditor(), programme=programme, **values)


def _record_all(sample: Sample, errors: dict[str, D]) -> None:
    for item in sample.items.select_related("unit"):
        error = errors.get(item.unit.key, D("0"))
        services.item_record(
            actor=_auditor(),
            item=item,
            expected_lock_version=item.lock_version,
            audited_value=None,
            irregular=error,
            error_kind="random" if error else "",
        )


def test_period_one_is_planned_split_and_drawn() -> None:
    programme = declared(PERIOD_1, submitted_on=dt.date(YEAR, 3, 1))
    declared({"OP-LATE": ["50000.00"]}, submitted_on=dt.date(YEAR, 4, 2))  # after the cut-off
    plan = _plan(programme)
    # BV1 = 400 000 (OP-LATE was submitted after the cut-off); BV = 400 000 + 600 000 = 1 000 000;
    # TE = 2 % × 1 000 000 = 20 000; category 2 → 70 %, z = 1.036;
    # σw² = 0.4 × 0.10² + 0.6 × 0.20² = 0.004 + 0.024 = 0.028;
    # n = (1.036 × 1 000 000 × √0.028 / 20 000)² = 51.8² × 0.028 = 2 683.24 × 0.028 = 75.13 → 76;
    # n1 = ⌈76 × 400 000 / 1 000 000⌉ = ⌈30.4⌉ = 31, n2 = 76 − 31 = 45
    assert (plan.confidence, plan.tolerable_error) == (70, D("20000.00"))
    assert (plan.size, plan.size1, plan.size2) == (76, 31, 45)
    first = AuditPopulation.objects.get(plan=plan, period=1)
    assert first.book_value == D("400000.00") and first.units == 40
    assert not first.population_units.filter(key="OP-LATE").exists()
    sample = periods.period(plan, 1)
    assert sample is not None and sample.method == "mus_two_period" and sample.seed == 4242
    # interval 400 000 / 31 = 12 903.23 > every unit (10 000): 31 different units, none above the cut-off
    assert sample.sampled_size == 31 and sample.size == 31
    assert not sample.items.filter(stratum="high").exists()
    labels = [step["label"] for step in plan.working]
    assert labels[:3] == ["Book value of the year (planned)", "Tolerable error", "Confidence level"]
    assert "Weighted standard deviation of the two periods" in labels
    assert plan.working[-1]["result"] == "n1 = 31, n2 = 45"
    assert AuditEntry.objects.filter(object_type="sampling.SamplingPlan", action="create").count() == 1


def test_the_same_seed_draws_the_same_period_one() -> None:
    programme = declared(PERIOD_1, submitted_on=dt.date(YEAR, 3, 1))
    one = periods.period(_plan(programme), 1)
    two = periods.period(_plan(programme), 1)
    assert one is not None and two is not None
    assert list(one.items.values_list("unit__key", "hits")) == list(
        two.items.values_list("unit__key", "hits")
    )


def test_period_two_and_the_combined_projection() -> None:
    programme = declared(PERIOD_1, submitted_on=dt.date(YEAR, 3, 1))
    plan = _plan(programme)
    with pytest.raises(ApplicationError):  # nothing submitted after period 1 yet
        periods.plan_draw_second(actor=_auditor(), plan=plan, expected_lock_version=1, seed=77)
    assert not AuditPopulation.objects.filter(plan=plan, period=2).exists()
    declared(PERIOD_2, submitted_on=dt.date(YEAR, 5, 1))
    second = periods.plan_draw_second(actor=_auditor(), plan=plan, expected_lock_version=1, seed=77)
    # actual BV2 = 500 000, BV = 900 000, TE = 18 000;
    # σw² = 400/900 × 0.01 + 500/900 × 0.04 = 0.004444 + 0.022222 = 0.026667;
    # n = 51.8² × 0.026667 = 71.55 → 72; n2 = max(72 − 31, 1) = 41;
    # period 2's cut-off 500 000 / 41 = 12 195.12: OP-B to the 100 % stratum; the 41 points bounded
    # by the 30 units left; cut-off 300 000 / 30 = 10 000, no unit above: each unit hit once
    assert second.tolerable_error == D("18000.00")
    assert any(s["result"] == "n2 = 41" for s in second.working)
    assert list(second.items.filter(stratum="high").values_list("unit__key", flat=True)) == ["OP-B"]
    assert second.sampled_size == 30 and second.sampled_value == D("300000.00") and second.size == 31
    population = second.population
    assert population.period == 2 and population.book_value == D("500000.00")
    assert population.population_units.filter(key="OP-01").exists()  # its period-2 declaration
    plan.refresh_from_db()
    assert plan.lock_version == 2
    with pytest.raises(ApplicationError):  # drawn once
        periods.plan_draw_second(actor=_auditor(), plan=plan, expected_lock_version=2)
    with pytest.raises(ApplicationError):  # items not audited yet
        periods.plan_project(actor=_auditor(), plan=plan, expected_lock_version=2)
    first = periods.period(plan, 1)
    assert first is not None
    one = first.items.order_by("position").first()
    assert one is not None
    _record_all(first, {one.unit.key: D("1000")})  # r = 0.1 in period 1
    picked = second.items.filter(stratum="sample").order_by("position").first()
    assert picked is not None
    _record_all(second, {"OP-B": D("5000"), picked.unit.key: D("2000")})  # r = 0.2 in period 2
    with pytest.raises(StaleObjectError):
        periods.plan_project(actor=_auditor(), plan=plan, expected_lock_version=1)
    projected = periods.plan_project(actor=_auditor(), plan=plan, expected_lock_version=2, corrections=D("0"))
    figures = projected.projection["figures"]
    # EE_1 = 400 000 / 31 × 0.1 = 1 290.32; EE_2 = 300 000 / 30 × 0.2 = 2 000; EE_s = 3 290.32
    # the 100 % stratum: OP-B's 5 000 at its amount; TPE = 5 000 + 3 290.32 = 8 290.32
    # s_r1² = (0.01 − 0.01/31) / 30 = 0.01/31; (BV_s1/√n1 × s_r1)² = 400 000²/31 × 0.01/31 = 1 664 932.36
    # s_r2² = (0.04 − 0.04/30) / 29 = 0.04/30; (BV_s2/√n2 × s_r2)² = 300 000²/30 × 0.04/30 = 4 000 000
    # SE = 1.036 × √5 664 932.36 = 1.036 × 2 380.11 = 2 465.80; ULE = 8 290.32 + 2 465.80 = 10 756.12
    # TER = 8 290.32 / 900 000 = 0.009211 (0.92 %, not above 2 %)
    assert figures["bv"] == "900000.00"
    assert figures["exhaustive"] == "5000.00"
    assert figures["projected_random"] == "3290.32"
    assert figures["total"] == "8290.32"
    assert figures["precision"] == "2465.80"
    assert figures["upper_limit"] == "10756.12"
    assert figures["total_rate"] == "0.009211"
    assert projected.projection["material"] is False
    labels = [s["label"] for s in projected.projection["working"]]
    assert (
        labels[0] == "Book value of the year"
        and "Stratum period 1" in labels
        and "Stratum period 2" in labels
    )


def test_refusals_are_audited_and_save_nothing() -> None:
    programme = declared(PERIOD_1, submitted_on=dt.date(YEAR, 3, 1))
    before = _refusals()
    with pytest.raises(ApplicationError):
        _plan(programme, cutoff_date=dt.date(YEAR, 5, 1))  # after today: period 1 is built now
    with pytest.raises(ApplicationError):
        _plan(programme, cutoff_date=dt.date(YEAR, 1, 1))  # nothing submitted by then
    with pytest.raises(ApplicationError):
        _plan(programme, anticipated_error=D("20000"))  # TE − AE = 0
    with pytest.raises(ApplicationError):
        _plan(programme, category=4, confidence=60)  # below the category's 90 %
    with pytest.raises(ApplicationError):
        _plan(programme, sigma_r2=D("-0.1"))
    assert _refusals() == before + 5
    assert not SamplingPlan.objects.exists() and not AuditPopulation.objects.exists()
    with pytest.raises(PermissionDenied):
        periods.plan_create(
            actor=User.objects.get(email=RA_OFFICER),
            programme=programme,
            year=YEAR,
            unit_kind="operation",
            cutoff_date=CUTOFF,
            sigma_r1=D("0.1"),
            sigma_r2=D("0.1"),
            bv2_forecast=D("1"),
            anticipated_error=D("0"),
            category=2,
        )
    plan = _plan(programme)
    sample = periods.period(plan, 1)
    assert sample is not None
    with pytest.raises(ApplicationError):  # a period's sample is projected on its plan
        services.sample_project(actor=_auditor(), sample=sample, expected_lock_version=1)
    with pytest.raises(StaleObjectError):
        periods.plan_draw_second(actor=_auditor(), plan=plan, expected_lock_version=9)
    assert _refusals() == before + 7


def _client(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def test_the_pages_of_a_plan() -> None:
    declared(PERIOD_1, submitted_on=dt.date(YEAR, 3, 1))
    auditor = _client(AUDITOR)
    form = {
        "plan-programme": BELGIAN_2021_CCI,
        "plan-year": YEAR,
        "plan-unit_kind": "operation",
        "plan-cutoff_date": "31/03/2026",
        "plan-category": "2",
        "plan-sigma_r1": "0,10",
        "plan-sigma_r2": "0,20",
        "plan-bv2_forecast": "600.000,00",
        "plan-anticipated_error": "0",
        "plan-seed": "4242",
    }
    auditor.cookies["django_language"] = "nl"
    assert auditor.get("/sampling/").status_code == 200
    bad = auditor.post("/sampling/plans/", {**form, "plan-cutoff_date": "soon"})
    assert bad.status_code == 400 and not SamplingPlan.objects.exists()
    refused = auditor.post("/sampling/plans/", {**form, "plan-anticipated_error": "20.000"})
    assert refused.status_code == 400 and not SamplingPlan.objects.exists()
    officer = _client(RA_OFFICER)
    assert officer.post("/sampling/plans/", form).status_code == 403
    assert not SamplingPlan.objects.exists()
    made = auditor.post("/sampling/plans/", form)
    assert made.status_code == 302, made.content.decode()[:2000]
    plan = SamplingPlan.objects.get()
    assert (plan.size, plan.size1) == (76, 31) and plan.cutoff_date == CUTOFF
    page = auditor.get(f"/sampling/plans/{plan.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "σw = √(BV1/BV × σr1² + BV2/BV × σr2²)" in text and "n1 = 31, n2 = 45" in text
    assert officer.get(f"/sampling/plans/{plan.pk}/").status_code == 403
    sample = periods.period(plan, 1)
    assert sample is not None
    assert f"/sampling/plans/{plan.pk}/" in auditor.get(f"/sampling/samples/{sample.pk}/").content.decode()
    declared(PERIOD_2, submitted_on=dt.date(YEAR, 5, 1))
    bad_second = auditor.post(
        f"/sampling/plans/{plan.pk}/period-2/", {"second-lock_version": "1", "second-seed": "-3"}
    )
    assert bad_second.status_code == 400 and not AuditPopulation.objects.filter(period=2).exists()
    assert (
        officer.post(f"/sampling/plans/{plan.pk}/period-2/", {"second-lock_version": "1"}).status_code == 403
    )
    stale = auditor.post(f"/sampling/plans/{plan.pk}/period-2/", {"second-lock_version": "5"})
    assert stale.status_code == 409 and not AuditPopulation.objects.filter(period=2).exists()
    drawn = auditor.post(
        f"/sampling/plans/{plan.pk}/period-2/", {"second-lock_version": "1", "second-seed": "77"}
    )
    assert drawn.status_code == 302
    unaudited = auditor.post(f"/sampling/plans/{plan.pk}/project/", {"lock_version": "2"})
    assert unaudited.status_code == 400
    for item in SampledItem.objects.filter(sample__population__plan=plan):
        services.item_record(
            actor=User.objects.get(email=AUDITOR),
            item=item,
            expected_lock_version=item.lock_version,
            audited_value=None,
            irregular=D("0"),
        )
    assert auditor.post(f"/sampling/plans/{plan.pk}/project/", {"lock_version": "1"}).status_code == 409
    assert auditor.post(f"/sampling/plans/{plan.pk}/project/", {"lock_version": "x"}).status_code == 400
    projected = auditor.post(f"/sampling/plans/{plan.pk}/project/", {"lock_version": "2", "corrections": ""})
    assert projected.status_code == 302
    plan.refresh_from_db()
    assert plan.projection["figures"]["total"] == "0.00"
    text = auditor.get(f"/sampling/plans/{plan.pk}/").content.decode()
    assert "Stratum period 2" in text and 'id="total-rate"' in text
