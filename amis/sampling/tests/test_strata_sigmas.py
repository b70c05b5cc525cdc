"""Stratified MUS with its own σr per stratum (the specific objectives): asked on the sample form,
stored on the sample, used in the design and shown in the working. Numbers worked out by hand;
refusals audited; the pages answer 400 with nothing saved and 403 to other authorities."""

from __future__ import annotations

import io
from decimal import Decimal as D

import pytest
from django.test import Client
from openpyxl import load_workbook

from amis.accounts.models import User
from amis.core.audit import AuditEntry
from amis.core.errors import ApplicationError
from amis.sampling import services
from amis.sampling.models import AuditPopulation, Sample
from amis.sampling.tests.builders import AUDITOR, RA_OFFICER, YEAR, declared

pytestmark = pytest.mark.django_db


def _population() -> AuditPopulation:
    # by payment claim: 300 claims of 1 000 in SO-A (300 000) and 100 of 1 000 in SO-B (100 000)
    programme = declared({"OP-A": ["1000.00"] * 300}, specific_objective="SO-A")
    declared({"OP-B": ["1000.00"] * 100}, specific_objective="SO-B")
    return services.population_build(
        actor=User.objects.get(email=AUDITOR), programme=programme, year=YEAR, unit_kind="claim"
    )


def _draw(population: AuditPopulation, **extra: object) -> Sample:
    values: dict[str, object] = {
        "method": "mus_stratified",
        "sigma": D("0.05"),
        "anticipated_error": D("0"),
        "category": 2,
        "seed": 8,
    }
    values.update(extra)
    return services.sample_draw(actor=User.objects.get(email=AUDITOR), population=population, **values)  # type: ignore[arg-type]


def test_each_stratum_has_its_own_sigma() -> None:
    population = _population()
    sample = _draw(population, sigmas={"SO-A": D("0.10"), "SO-B": D("0.30")})
    # BV = 400 000, TE = 8 000, 70 % → z = 1.036;
    # σw² = 300 000/400 000 × 0.10² + 100 000/400 000 × 0.30² = 0.0075 + 0.0225 = 0.03;
    # n = (1.036 × 400 000 × √0.03 / 8 000)² = 51.8² × 0.03 = 80.50 → 81;
    # cut-off 400 000 / 81 = 4 938.27, no claim above (1 000 each);
    # n_A = 81 × 300/400 = 60.75, n_B = 20.25 → 60 + 20, the one left to the larger remainder: 61, 20
    assert sample.strata_sigmas == {"SO-A": "0.10", "SO-B": "0.30"}
    assert sample.sampled_size == 81
    assert sample.items.filter(unit__stratum="SO-A").count() == 61
    assert sample.items.filter(unit__stratum="SO-B").count() == 20
    steps = {s["label"]: s for s in sample.working}
    assert (
        steps["Standard deviation of the error rates per stratum"]["result"]
        == "σr_SO-A = 0.10, σr_SO-B = 0.30"
    )
    weighted = steps["Weighted standard deviation of the error rates"]
    assert "300000.00/400000.00 × 0.10²" in weighted["substituted"]
    assert "100000.00/400000.00 × 0.30²" in weighted["substituted"]
    assert weighted["result"].startswith("0.17320508")  # √0.03
    assert steps["Allocation to the strata"]["result"] == "SO-A: 61, SO-B: 20"
    entry = AuditEntry.objects.filter(object_type="sampling.Sample", action="create").order_by("pk").last()
    assert (
        entry is not None
        and entry.after is not None
        and entry.after["sigmas"] == {"SO-A": "0.10", "SO-B": "0.30"}
    )


def test_a_stratum_without_its_sigma_takes_the_form_s() -> None:
    population = _population()
    sample = _draw(population, sigma=D("0.30"), sigmas={"SO-A": D("0.10")})
    # the same σr as above (SO-B takes the form's 0.30): the same n and allocation
    assert sample.strata_sigmas == {"SO-A": "0.10", "SO-B": "0.30"}
    assert sample.sampled_size == 81
    step = next(
        s for s in sample.working if s["label"] == "Standard deviation of the error rates per stratum"
    )
    assert "SO-B: 0.30 (σr of the form)" in step["substituted"]


def test_refusals_are_audited() -> None:
    population = _population()
    before = AuditEntry.objects.filter(action="change_refused").count()
    with pytest.raises(ApplicationError):
        _draw(population, sigmas={"SO-Z": D("0.10")})
    with pytest.raises(ApplicationError):
        _draw(population, sigmas={"SO-A": D("-0.10")})
    assert AuditEntry.objects.filter(action="change_refused").count() == before + 2
    assert not Sample.objects.exists()


def test_the_sample_form_asks_sigma_per_stratum() -> None:
    population = _population()
    auditor = Client()
    auditor.force_login(User.objects.get(email=AUDITOR))
    page = auditor.get(f"/sampling/populations/{population.pk}/").content.decode()
    assert "σr of stratum SO-A" in page and "σr of stratum SO-B" in page
    assert 'for="id_sigma_0"' in page and 'for="id_sigma_1"' in page
    form = {
        "method": "mus_stratified",
        "category": "2",
        "sigma": "0.05",
        "anticipated_error": "0",
        "seed": "8",
        "sigma_0": "0.10",
        "sigma_1": "0.30",
    }
    bad = auditor.post(f"/sampling/populations/{population.pk}/samples/", {**form, "sigma_1": "a lot"})
    assert bad.status_code == 400 and not Sample.objects.exists()
    officer = Client()
    officer.force_login(User.objects.get(email=RA_OFFICER))
    assert officer.post(f"/sampling/populations/{population.pk}/samples/", form).status_code == 403
    drawn = auditor.post(f"/sampling/populations/{population.pk}/samples/", form)
    assert drawn.status_code == 302
    sample = Sample.objects.get()
    assert sample.strata_sigmas == {"SO-A": "0.10", "SO-B": "0.30"} and sample.sampled_size == 81
    text = auditor.get(f"/sampling/samples/{sample.pk}/").content.decode()
    assert 'id="sigmas-h"' in text and "σr_SO-A = 0.10, σr_SO-B = 0.30" in text
    book = load_workbook(io.BytesIO(auditor.get(f"/sampling/samples/{sample.pk}/?format=xlsx").content))
    sheet = book.active
    assert sheet is not None
    rows = [(r[0], r[1]) for r in sheet.iter_rows(min_row=1, max_row=14, values_only=True)]
    assert ("σr of stratum SO-A", "0.10") in rows and ("σr of stratum SO-B", "0.30") in rows
    # another method keeps one σ: the strata's fields are not used
    standard = auditor.post(
        f"/sampling/populations/{population.pk}/samples/", {**form, "method": "mus_standard"}
    )
    assert standard.status_code == 302
    assert Sample.objects.get(method="mus_standard").strata_sigmas == {}
