"""The sampling joined to the audit authority's records: the confidence level of a sample comes from
the category of the year's completed system audits (`amis.audit.selectors.system_assurance`) through
the category → confidence table; a lower level or a better category is refused and the refusal kept;
without a completed system audit the auditor states the category. The year's projected sample fills
the annual control report's section on audits of operations and its total error rate drives the
suggested opinion."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest

from amis.accounts.models import User
from amis.audit import hooks
from amis.audit import selectors as audit_selectors
from amis.audit.exports import view
from amis.audit.tests import helpers as audit_helpers
from amis.core.audit import AuditEntry
from amis.core.errors import ApplicationError
from amis.sampling import selectors, services
from amis.sampling.models import AuditPopulation, Sample
from amis.sampling.tests.builders import AUDITOR, YEAR, declared

pytestmark = pytest.mark.django_db

AMOUNTS = {
    "OP-A": ["400000.00", "100000.00"],  # 500 000: the high-value unit
    **{f"OP-{i:02}": ["10000.00"] for i in range(1, 41)},  # 40 × 10 000; BV = 900 000
}


def _auditor() -> User:
    return User.objects.get(email=AUDITOR)


def _population(*, system_audits: bool = True) -> AuditPopulation:
    programme = declared(AMOUNTS)
    if system_audits:
        # the responsible authority in category 2 (KR4), the delegated authority in category 1
        audit_helpers.completed_year(year=YEAR)
    return services.population_build(actor=_auditor(), programme=programme, year=YEAR, unit_kind="operation")


def _draw(population: AuditPopulation, **extra: Any) -> Sample:
    params: dict[str, Any] = {"method": "mus_standard", "sigma": D("0.05"), "anticipated_error": D("0")}
    params.update(extra)
    return services.sample_draw(actor=_auditor(), population=population, seed=12345, **params)


def test_confidence_defaults_from_the_system_audits_category():
    population = _population()
    assurance = audit_selectors.system_assurance(population.programme, YEAR)
    assert assurance.category == 2  # the worst body: KR4 in category 2
    sample = _draw(population)
    # category 2 → at least 70 % (tables.CONFIDENCE_BY_CATEGORY); z(70 %) = 1.036
    assert sample.category == 2 and sample.confidence == 70
    step = next(s for s in sample.working if s["label"] == "Confidence level")
    assert "FPS Home Affairs - Unit European Funds (category 2)" in step["substituted"]
    assert "Flemish delegated authority (category 1)" in step["substituted"]
    entry = AuditEntry.objects.filter(object_type="sampling.Sample", action="create").latest("pk")
    assert (entry.after or {})["category_source"] == "system audits"
    # the auditor may choose a higher confidence level, or a worse category
    assert _draw(population, confidence=90).confidence == 90
    worse = _draw(population, category=3)
    assert worse.category == 3 and worse.confidence == 80


def test_a_lower_confidence_or_a_better_category_is_refused_and_kept():
    population = _population()
    with pytest.raises(ApplicationError, match="at least 70 %: 60 % is too low"):
        _draw(population, confidence=60)
    with pytest.raises(ApplicationError, match="category 2; the sample cannot rest on a better category"):
        _draw(population, category=1)
    refusals = AuditEntry.objects.filter(
        action="change_refused", object_type="sampling.AuditPopulation", object_id=str(population.pk)
    )
    assert refusals.count() == 2
    assert {(e.after or {}).get("minimum") for e in refusals} == {70, None}
    assert not Sample.objects.exists()


def test_without_a_completed_system_audit_the_auditor_states_the_category():
    population = _population(system_audits=False)
    assert audit_selectors.system_assurance(population.programme, YEAR).category is None
    with pytest.raises(ApplicationError):
        _draw(population)  # neither a category nor a confidence level
    sample = _draw(population, category=1)
    assert sample.category == 1 and sample.confidence == 60
    entry = AuditEntry.objects.filter(object_type="sampling.Sample", action="create").latest("pk")
    assert (entry.after or {})["category_source"] == "stated by the auditor"
    with pytest.raises(ApplicationError, match="at least 90 %"):
        _draw(population, category=4, confidence=80)


def _record_all(sample: Sample, errors: dict[str, tuple[str, str]]) -> None:
    for item in sample.items.select_related("unit").order_by("position"):
        irregular, kind = errors.get(item.unit.key, ("0", ""))
        services.item_record(
            actor=_auditor(),
            item=item,
            expected_lock_version=item.lock_version,
            audited_value=None,
            irregular=D(irregular),
            error_kind=kind,
        )


def test_the_control_report_shows_the_years_projected_sample():
    population = _population()
    programme = population.programme
    assert selectors.report_results(programme, YEAR) is None
    assert audit_selectors.generated_content(programme, YEAR)["sampling"] is None
    sample = _draw(population)
    sampled = sample.items.filter(stratum="sample").select_related("unit").order_by("position").first()
    assert sampled is not None
    # OP-A (100 % stratum): 5 000 random, counted at its amount; one systemic error of 1 000 in the
    # sampled part, no random error there
    _record_all(sample, {"OP-A": ("5000", "random"), sampled.unit.key: ("1000", "systemic")})
    sample.refresh_from_db()
    services.sample_project(
        actor=_auditor(), sample=sample, expected_lock_version=sample.lock_version, corrections=D("2000")
    )
    results = hooks.sampling_results(programme, YEAR)
    assert results is not None
    # total = 5 000 + 0 + 1 000 = 6 000; TER = 6 000 / 900 000 = 0.666667 % → 0.67
    # residual = (6 000 − 2 000) / (900 000 − 2 000) = 4 000 / 898 000 = 0.445434 % → 0.45
    assert results["method"] == "Monetary unit sampling, standard approach"
    assert results["confidence_level"] == "70 %"
    assert results["population"] == "900000.00"
    assert results["sample_size"] == 31
    assert D(results["projected_random_error"]) == D("0")
    assert D(results["systemic_errors"]) == D("1000")
    assert D(results["total_error"]) == D("6000")
    assert results["projected_error_rate"] == "0.00"
    assert results["total_error_rate"] == "0.67"
    assert results["residual_total_error_rate"] == "0.45"
    assert results["total_error_rate_above_materiality"] is False
    assert results["residual_total_error_rate_above_materiality"] is False
    upper = D(results["upper_limit_of_error"])
    assert upper >= D("6000")
    assert results["upper_limit_rate"] == format((upper / D("900000") * 100).quantize(D("0.01")), "f")
    content = audit_selectors.generated_content(programme, YEAR)
    assert content["sampling"]["total_error_rate"] == "0.67"
    assert content["suggested_opinion"] == "unqualified"  # category 2, 0.67 % ≤ 2 %

    # the systemic error delimited to 30 000 in the population: total 5 000 + 30 000 = 35 000,
    # 35 000 / 900 000 = 3.888889 % → 3.89, above 2 %: a qualified opinion is suggested
    sample.refresh_from_db()
    services.sample_project(
        actor=_auditor(),
        sample=sample,
        expected_lock_version=sample.lock_version,
        systemic_extent=D("30000"),
    )
    content = audit_selectors.generated_content(programme, YEAR)
    assert content["sampling"]["total_error_rate"] == "3.89"
    assert content["sampling"]["total_error_rate_above_materiality"] is True
    assert content["suggested_opinion"] == "qualified"


def test_the_report_view_shows_the_comparisons_in_words():
    population = _population()
    sample = _draw(population)
    _record_all(sample, {})
    sample.refresh_from_db()
    services.sample_project(actor=_auditor(), sample=sample, expected_lock_version=sample.lock_version)
    shown = view(audit_selectors.generated_content(population.programme, YEAR))
    labels = {row["label"]: row["value"] for row in shown["sampling"]}
    assert labels["Total error rate (%)"] == "0.00"
    assert labels["Total error rate compared with 2 %"] == "not above 2 %"


def test_the_population_page_says_where_the_category_comes_from(client):
    population = _population()
    client.force_login(_auditor())
    page = client.get(f"/sampling/populations/{population.pk}/").content.decode()
    assert "put the system in category 2" in page
    assert "FPS Home Affairs - Unit European Funds: category 2" in page
    assert '<option value="2" selected>' in page and '<option value="70" selected>' in page


def test_the_population_page_asks_for_the_category_without_a_system_audit(client):
    population = _population(system_audits=False)
    client.force_login(_auditor())
    page = client.get(f"/sampling/populations/{population.pk}/").content.decode()
    assert "No system audit is completed for 2026" in page
    response = client.post(
        f"/sampling/populations/{population.pk}/samples/",
        {
            "method": "mus_standard",
            "category": "3",
            "confidence": "70",
            "sigma": "0.05",
            "anticipated_error": "0",
        },
    )
    assert response.status_code == 400
    assert "needs a confidence level of at least 80 %: 70 % is too low" in response.content.decode()


def test_the_api_reads_the_samples_and_their_projection(client):
    population = _population()
    sample = _draw(population)
    _record_all(sample, {"OP-A": ("5000", "random")})
    sample.refresh_from_db()
    services.sample_project(actor=_auditor(), sample=sample, expected_lock_version=sample.lock_version)
    client.force_login(_auditor())
    listed = client.get(f"/api/v1/sampling/samples?programme={population.programme.cci}&year={YEAR}")
    assert listed.status_code == 200
    [row] = listed.json()
    assert row["id"] == sample.pk and row["seed"] == 12345 and row["confidence"] == 70
    assert row["total_error_rate"] == "0.005556"  # 5 000 / 900 000
    assert client.get(f"/api/v1/sampling/samples?year={YEAR + 1}").json() == []
    detail = client.get(f"/api/v1/sampling/samples/{sample.pk}").json()
    assert len(detail["items"]) == 31 and detail["items"][0]["unit"] == "OP-A"
    assert detail["items"][0]["irregular"] == "5000.00"
    assert detail["projection"]["figures"]["total"] == "5000.00"
    assert any(s["label"] == "Confidence level" for s in detail["working"])
    assert client.get("/api/v1/sampling/samples/999999").status_code == 404
    client.force_login(User.objects.get(email="beneficiary@caritas.example"))
    assert client.get(f"/api/v1/sampling/samples/{sample.pk}").status_code == 403
