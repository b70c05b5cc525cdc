"""The sampling bench works: at 2,000 items over 40 operations it generates the declared expenditure,
builds the population and draws a MUS sample. No timing assertion (timings belong in `bench/`)."""

from __future__ import annotations

import pytest

from amis.sampling.models import AuditPopulation, Sample
from bench.sampling import measure

pytestmark = pytest.mark.django_db


def test_the_sampling_bench_runs_at_2000_items() -> None:
    result = measure(40, 2_000, 7, log=lambda _line: None)
    m = result["measures"]
    assert m["population_build"]["units"] == 40 == AuditPopulation.objects.get().units
    assert m["sample_draw"]["high_value"] >= 1  # operation 0 is a thousand times larger
    assert Sample.objects.get().size == m["sample_draw"]["size"] > 0
