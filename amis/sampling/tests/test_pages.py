"""The sampling pages: an auditor walks from the population to the sample to a recorded error to
the projected rate, each step's working on the page; bad input answers 400 with nothing saved,
other authorities are refused (403), the sample downloads as XLSX."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from amis.accounts.models import User
from amis.demo.programme import BELGIAN_2021_CCI
from amis.sampling.models import AuditPopulation, Sample, SampledItem
from amis.sampling.tests.builders import AUDITOR, RA_OFFICER, YEAR, declared

pytestmark = pytest.mark.django_db


def _client(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def test_the_auditor_walks_from_population_to_projected_rate():
    declared({"OP-A": ["300000.00"], **{f"OP-{i:02}": ["10000.00"] for i in range(1, 11)}})
    auditor = _client(AUDITOR)
    assert auditor.get("/sampling/").status_code == 200
    bad = auditor.post("/sampling/populations/", {"programme": BELGIAN_2021_CCI, "year": "soon"})
    assert bad.status_code == 400 and not AuditPopulation.objects.exists()
    made = auditor.post(
        "/sampling/populations/", {"programme": BELGIAN_2021_CCI, "year": YEAR, "unit_kind": "operation"}
    )
    assert made.status_code == 302, made.content
    population = AuditPopulation.objects.get()
    page = auditor.get(f"/sampling/populations/{population.pk}/")
    assert "BV = Σ net value" in page.content.decode()
    refused = auditor.post(
        f"/sampling/populations/{population.pk}/samples/",
        {
            "method": "mus_standard",
            "category": "1",
            "sigma": "0,05",
            "anticipated_error": "10000",
            "seed": "7",
        },
    )
    assert refused.status_code == 400 and not Sample.objects.exists()  # TE 8 000 − AE 10 000 < 0
    capped_srs = auditor.post(
        f"/sampling/populations/{population.pk}/samples/",
        {"method": "srs_mean", "category": "1", "sigma": "100", "anticipated_error": "0", "capped": "on"},
    )
    assert capped_srs.status_code == 400 and not Sample.objects.exists()  # the cap is for MUS only
    assert "monetary unit sample" in capped_srs.content.decode()
    drawn = auditor.post(
        f"/sampling/populations/{population.pk}/samples/",
        {"method": "mus_standard", "category": "1", "sigma": "0.05", "anticipated_error": "0", "seed": "7"},
    )
    assert drawn.status_code == 302, drawn.content
    sample = Sample.objects.get()
    assert sample.seed == 7 and sample.confidence == 60
    text = auditor.get(f"/sampling/samples/{sample.pk}/").content.decode()
    assert "n = (z × BV × σr / (TE − AE))²" in text and "OP-A" in text
    items = list(sample.items.order_by("position"))
    first = items[0]
    assert first.unit.key == "OP-A" and first.stratum == "high"
    anomalous = auditor.post(
        f"/sampling/items/{first.pk}/",
        {"lock_version": first.lock_version, "irregular": "1000", "error_kind": "anomalous"},
    )
    assert anomalous.status_code == 400
    assert not SampledItem.objects.get(pk=first.pk).audited
    recorded = auditor.post(
        f"/sampling/items/{first.pk}/",
        {"lock_version": first.lock_version, "irregular": "3000", "error_kind": "systemic"},
    )
    assert recorded.status_code == 302
    stale = auditor.post(
        f"/sampling/items/{first.pk}/", {"lock_version": first.lock_version, "irregular": "0"}
    )
    assert stale.status_code == 409
    for item in items[1:]:
        assert (
            auditor.post(f"/sampling/items/{item.pk}/", {"lock_version": 1, "irregular": "0"}).status_code
            == 302
        )
    sample.refresh_from_db()
    projected = auditor.post(
        f"/sampling/samples/{sample.pk}/project/", {"lock_version": sample.lock_version, "corrections": ""}
    )
    assert projected.status_code == 302, projected.content
    sample.refresh_from_db()
    # the one systemic error of 3 000 in the 100 % stratum over BV 400 000: 0.75 %
    assert sample.projection["figures"]["total"] == "3000.00"
    assert sample.projection["figures"]["total_rate"] == "0.007500"
    text = auditor.get(f"/sampling/samples/{sample.pk}/").content.decode()
    assert "TER = TPE / BV" in text and 'id="total-rate"' in text
    xlsx = auditor.get(f"/sampling/samples/{sample.pk}/?format=xlsx")
    book = load_workbook(io.BytesIO(xlsx.content))
    sheet = book.active
    assert sheet is not None
    assert sheet["B7"].value == 7  # the seed


def test_other_authorities_cannot_write_audit_records():
    declared({"OP-A": ["300000.00"]})
    officer = _client(RA_OFFICER)
    assert officer.get("/sampling/").status_code == 403
    answer = officer.post(
        "/sampling/populations/", {"programme": BELGIAN_2021_CCI, "year": YEAR, "unit_kind": "operation"}
    )
    assert answer.status_code == 403 and not AuditPopulation.objects.exists()
