"""The sampling services on the database: the population from the submitted payment applications,
a sample drawn and frozen from a recorded seed (the same seed gives the same list), results recorded
with the rules of the guidance (anomalous needs its justification), the projection stored with its
working; only the audit authority writes, a stale lock version is refused."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from amis.accounts.models import User
from amis.core.audit import AuditEntry
from amis.core.errors import ApplicationError, StaleObjectError
from amis.sampling import services
from amis.sampling.models import AuditPopulation, Sample, SampledItem
from amis.sampling.tests.builders import AUDITOR, RA_OFFICER, YEAR, declared

pytestmark = pytest.mark.django_db

AMOUNTS = {
    "OP-A": ["400000.00", "100000.00"],  # 500 000 by operation: the high-value unit
    **{f"OP-{i:02}": ["10000.00"] for i in range(1, 41)},  # 40 × 10 000
}


def _auditor() -> User:
    return User.objects.get(email=AUDITOR)


def _population(unit_kind: str = "operation") -> AuditPopulation:
    programme = declared(AMOUNTS)
    declared({"OP-DRAFT": ["999.00"]}, status="draft")  # a draft application is not declared
    return services.population_build(actor=_auditor(), programme=programme, year=YEAR, unit_kind=unit_kind)


def test_population_by_operation_and_by_claim():
    population = _population()
    assert population.units == 41
    assert population.lines == 42
    assert population.book_value == D("900000.00")
    assert population.population_units.get(key="OP-A").value == D("500000.00")
    assert not population.population_units.filter(key="OP-DRAFT").exists()
    by_claim = services.population_build(
        actor=_auditor(), programme=population.programme, year=YEAR, unit_kind="claim"
    )
    assert by_claim.units == 42 and by_claim.book_value == D("900000.00")
    assert AuditEntry.objects.filter(action="create", object_type="sampling.AuditPopulation").count() == 2


def test_only_the_audit_authority_builds_and_draws():
    programme = declared(AMOUNTS)
    with pytest.raises(PermissionDenied):
        services.population_build(
            actor=User.objects.get(email=RA_OFFICER), programme=programme, year=YEAR, unit_kind="operation"
        )
    with pytest.raises(ApplicationError):
        services.population_build(actor=_auditor(), programme=programme, year=YEAR + 1, unit_kind="operation")


def _draw(population: AuditPopulation, seed: int = 12345, **extra) -> Sample:
    params: dict[str, Any] = {
        "method": "mus_standard",
        "sigma": D("0.05"),
        "anticipated_error": D("0"),
        "category": 2,
    }
    params.update(extra)
    return services.sample_draw(actor=_auditor(), population=population, seed=seed, **params)


def test_mus_sample_high_value_stratum_and_reproducible():
    population = _population()
    sample = _draw(population)
    # category 2 → 70 %; TE = 2 % × 900 000 = 18 000;
    # n = (1.036 × 900 000 × 0.05 / 18 000)² = 2.59² = 6.71 → 7
    # cut-off 900 000 / 7 = 128 571.43: OP-A to the 100 % stratum; then BV_s = 400 000,
    # n_s = (1.036 × 400 000 × 0.05 / 18 000)² = 1.3246 → 2, raised to the minimum of 30
    assert sample.confidence == 70
    assert sample.tolerable_error == D("18000.00")
    high = list(sample.items.filter(stratum="high").values_list("unit__key", flat=True))
    assert high == ["OP-A"]
    assert sample.sampled_size == 30 and sample.size == 31
    assert sample.sampled_value == D("400000.00")
    again = _draw(population)
    assert list(again.items.values_list("unit__key", "hits")) == list(
        sample.items.values_list("unit__key", "hits")
    )
    assert sample.working[0]["label"] == "Tolerable error"


def test_draw_refusals_are_400s():
    population = _population()
    with pytest.raises(ApplicationError):
        _draw(population, anticipated_error=D("18000"))  # TE − AE = 0
    with pytest.raises(ApplicationError):
        _draw(population, category=4, confidence=60)  # below the category's level
    with pytest.raises(ApplicationError):
        _draw(population, method="nonsense")


def test_the_2021_2027_cap_of_50_units():
    # 200 operations of 1 000.00: BV = 200 000, TE = 2 % × 200 000 = 4 000; category 2 → 70 %, z = 1.036
    # n = (1.036 × 200 000 × 0.15 / 4 000)² = 7.77² = 60.3729 → 61; cut-off 200 000 / 61 = 3 278.69,
    # no unit above it. Capped (Delegated Regulation (EU) 2023/67 Art. 5(7)): n_s = min(61, 50 − 0) = 50
    programme = declared({f"OP-{i:03d}": ["1000.00"] for i in range(200)})
    population = services.population_build(
        actor=_auditor(), programme=programme, year=YEAR, unit_kind="operation"
    )
    uncapped = _draw(population, sigma=D("0.15"))
    assert uncapped.size == 61 and uncapped.sampled_size == 61
    capped = _draw(population, sigma=D("0.15"), capped=True)
    assert capped.size == 50 and capped.sampled_size == 50 and capped.items.count() == 50
    step = next(s for s in capped.working if s["label"] == "Capped sample size")
    assert step["substituted"] == "min(61, 50 − 0); 200000.00 / 50"
    with pytest.raises(ApplicationError, match="category 1 or 2"):
        _draw(population, sigma=D("0.15"), category=3, capped=True)
    with pytest.raises(ApplicationError, match="monetary unit sample"):
        _draw(population, method="srs_mean", sigma=D("100"), capped=True)
    assert Sample.objects.filter(population=population).count() == 2


def _record(item: SampledItem, **data) -> SampledItem:
    values: dict[str, Any] = {"audited_value": None, "irregular": D("0"), "error_kind": ""}
    values.update(data)
    return services.item_record(
        actor=_auditor(), item=item, expected_lock_version=item.lock_version, **values
    )


def test_results_and_projection():
    population = _population()
    sample = _draw(population)
    items = list(sample.items.order_by("position"))
    with pytest.raises(ApplicationError):
        services.sample_project(actor=_auditor(), sample=sample, expected_lock_version=1)
    with pytest.raises(ApplicationError):
        _record(items[1], irregular=D("100"), error_kind="anomalous")  # no justification
    with pytest.raises(ApplicationError):
        _record(items[1], irregular=D("100"))  # no type
    with pytest.raises(ApplicationError):
        _record(items[1], irregular=D("10000.01"), error_kind="random")  # more than declared
    recorded = _record(
        items[1], audited_value=D("9000"), irregular=None, error_kind="systemic", auditee_reply="We disagree."
    )
    assert recorded.irregular == D("1000.00") and recorded.auditee_reply == "We disagree."
    with pytest.raises(StaleObjectError):
        _record(items[1])  # the item we hold is stale now
    _record(items[0], irregular=D("5000"), error_kind="random")  # OP-A, 100 % stratum
    _record(items[2], irregular=D("1000"), error_kind="random")
    for item in items[3:]:
        _record(item)
    sample.refresh_from_db()
    projected = services.sample_project(
        actor=_auditor(), sample=sample, expected_lock_version=sample.lock_version, corrections=D("2000")
    )
    figures = projected.projection["figures"]
    # EE_e = 5 000; the unit of items[2] was hit hits times of the 30 points: r = 0.1 each
    hits = items[2].hits
    assert D(figures["exhaustive"]) == D("5000.00")
    assert D(figures["projected_random"]) == (D("400000") / 30 * D("0.1") * hits).quantize(D("0.01"))
    assert D(figures["systemic"]) == D("1000.00")
    assert D(figures["total"]) == D(figures["exhaustive"]) + D(figures["projected_random"]) + D("1000.00")
    assert D(figures["upper_limit"]) > D(figures["total"])
    assert any(step["label"] == "Residual total error rate" for step in projected.projection["working"])


def test_other_methods_draw_and_project():
    population = _population()
    for method in (
        "mus_conservative",
        "mus_stratified",
        "srs_mean",
        "srs_ratio",
        "difference",
        "non_statistical",
    ):
        sample = _draw(
            population, method=method, sigma=D("500") if method.startswith(("srs", "diff")) else D("0.05")
        )
        assert sample.size >= 1
        for item in sample.items.all():
            _record(item)
        sample.refresh_from_db()
        projected = services.sample_project(
            actor=_auditor(), sample=sample, expected_lock_version=sample.lock_version
        )
        assert D(projected.projection["figures"]["total"]) == 0, method
