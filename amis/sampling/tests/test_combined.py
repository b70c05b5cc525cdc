"""A year's several samples combined in the annual control report (`rules.combined`, the selector
`report_results` that the audit app's hook reads, and the report's page, XLSX and PDF). Every figure
is worked out by hand in the test."""

from __future__ import annotations

import io
from decimal import Decimal as D
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from amis.accounts.models import User
from amis.audit import selectors as audit_selectors
from amis.audit import services as audit_services
from amis.audit.exports import view
from amis.audit.tests import helpers as audit_helpers
from amis.core import numbers
from amis.sampling import selectors
from amis.sampling.models import AuditPopulation, PopulationUnit, Sample
from amis.sampling.rules import combined
from amis.sampling.rules.combined import Part
from amis.sampling.rules.working import SamplingInputError

YEAR = 2024


def _part(sample: int, **figures: Any) -> Part:
    values = {
        "population": sample * 10,
        "method": "mus_standard",
        "confidence": 70,
        "size": 30,
        "exhaustive": "0",
        "projected_random": "0",
        "systemic": "0",
        "anomalous": "0",
        "precision": "0",
        "total": "0",
        "corrections": "0",
        **figures,
    }
    return Part(
        sample=sample,
        population=values["population"],
        method=values["method"],
        confidence=values["confidence"],
        bv=D(values["bv"]),
        size=values["size"],
        exhaustive=D(values["exhaustive"]),
        projected_random=D(values["projected_random"]),
        systemic=D(values["systemic"]),
        anomalous=D(values["anomalous"]),
        precision=D(values["precision"]),
        total=D(values["total"]),
        corrections=D(values["corrections"]),
    )


# sample 1: BV 900 000; 100 % stratum 5 000, projected random 3 000, systemic 1 000 → TPE 9 000;
#           SE 3 000; corrections 2 000
# sample 2: BV 100 000; projected random 2 000, anomalous 1 000 → TPE 3 000; SE 4 000
FIRST = {
    "bv": "900000.00",
    "exhaustive": "5000",
    "projected_random": "3000",
    "systemic": "1000",
    "total": "9000",
    "precision": "3000",
    "corrections": "2000",
}
SECOND = {
    "bv": "100000.00",
    "projected_random": "2000",
    "anomalous": "1000",
    "total": "3000",
    "precision": "4000",
}


def test_two_samples_combine_as_strata():
    year = combined.combine([_part(2, **SECOND), _part(1, **FIRST)])
    assert [p.sample for p in year.parts] == [1, 2]
    assert year.bv == D("1000000.00")  # 900 000 + 100 000
    assert year.projected_random == D("5000.00")  # 3 000 + 2 000
    assert (
        year.exhaustive == D("5000.00") and year.systemic == D("1000.00") and year.anomalous == D("1000.00")
    )
    assert year.total == D("12000.00")  # 9 000 + 3 000
    # SE = √(3 000² + 4 000²) = √(9 000 000 + 16 000 000) = √25 000 000 = 5 000
    assert year.precision == D("5000.00")
    assert year.upper_limit == D("17000.00")  # 12 000 + 5 000
    assert year.total_rate == D("0.012000")  # 12 000 / 1 000 000
    assert year.upper_rate == D("0.017000")  # 17 000 / 1 000 000
    assert year.tolerable == D("20000.00")  # 2 % × 1 000 000
    assert year.corrections == D("2000.00")  # 2 000 + 0
    # RTER = (12 000 − 2 000) / (1 000 000 − 2 000) = 10 000 / 998 000 = 0.0100200… → 0.010020
    assert year.residual_rate == D("0.010020")
    steps = {s.label: s for s in year.working}
    assert steps["Precision"].substituted == "√(3000.00² + 4000.00²) = √25000000.00"
    assert steps["Book value of the year"].substituted == "900000.00 + 100000.00"
    assert steps["Total projected error"].result == "12000.00"
    assert "not above 2 % = 20000.00" in steps["Total error rate"].result
    assert steps["Residual total error rate"].result.startswith("0.010020")
    assert "6.3.2" in steps["Precision"].citation


def test_one_sample_gives_its_own_figures():
    year = combined.combine([_part(1, **FIRST)])
    # TPE 9 000, SE = √(3 000²) = 3 000, ULE 12 000; TER 9 000 / 900 000 = 0.01
    assert (year.total, year.precision, year.upper_limit) == (D("9000.00"), D("3000.00"), D("12000.00"))
    assert year.total_rate == D("0.010000")
    # RTER = (9 000 − 2 000) / (900 000 − 2 000) = 7 000 / 898 000 = 0.0077951… → 0.007795
    assert year.residual_rate == D("0.007795")


def test_precisions_at_different_confidence_levels_are_brought_to_the_highest():
    # sample 1 at 70 % (z 1.036), SE 3 108 = 3 × 1.036 × 1 000; sample 2 at 90 % (z 1.645), SE 6 580
    # sample 1 at 90 %: 3 108 × 1.645 / 1.036 = 4 935; SE = √(4 935² + 6 580²) = 1 645 × √(3² + 4²)
    # = 1 645 × 5 = 8 225
    year = combined.combine(
        [
            _part(1, bv="500000", precision="3108", confidence=70),
            _part(2, bv="500000", precision="6580", confidence=90),
        ]
    )
    assert year.confidence == 90
    assert year.precision == D("8225.00")
    scaled = next(s for s in year.working if s.label == "Precision of sample 1 at 90 %")
    assert scaled.substituted == "3108 × 1.645 / 1.036" and scaled.result == "4935.00"


def test_nothing_to_combine_is_refused():
    with pytest.raises(SamplingInputError):
        combined.combine([])


def test_overlapping_populations_are_found():
    found = combined.overlaps(
        {
            1: ("operation", [("OP-1", "OP-1"), ("OP-2", "OP-2")]),
            2: ("operation", [("OP-2", "OP-2"), ("OP-3", "OP-3")]),  # OP-2 in both
            3: ("claim", [("OP-4·V0000001", "OP-4")]),
            4: ("claim", [("OP-4·V0000002", "OP-4")]),  # another claim of OP-4: no overlap
            5: ("operation", [("OP-9", "OP-9")]),
            6: ("claim", [("OP-9·V0000003", "OP-9")]),  # a claim of operation OP-9: overlaps 5
        }
    )
    assert [(o.first, o.second, o.shared) for o in found] == [(1, 2, ("OP-2",)), (5, 6, ("OP-9",))]


# -- the annual control report -----------------------------------------------------------------------


def _population(programme: Any, keys: list[str], value: str, kind: str = "operation") -> AuditPopulation:
    auditor = audit_helpers.user(audit_helpers.AUDITOR)
    bv = D(value) * len(keys)
    population = AuditPopulation.objects.create(
        programme=programme,
        year=YEAR,
        unit_kind=kind,
        book_value=bv,
        units=len(keys),
        lines=len(keys),
        built_by=auditor,
    )
    PopulationUnit.objects.bulk_create(
        [PopulationUnit(population=population, key=k, label=k.split("·")[0], value=value) for k in keys]
    )
    return population


def _projected(population: AuditPopulation, figures: dict[str, str], **extra: Any) -> Sample:
    """A sample whose projection is stored as the services store it (`Projection.figures`)."""
    auditor = audit_helpers.user(audit_helpers.AUDITOR)
    total, precision, bv = D(figures["total"]), D(figures["precision"]), population.book_value
    stored = {
        "bv": str(bv),
        "exhaustive": "0.00",
        "projected_random": "0.00",
        "systemic": "0.00",
        "anomalous": "0.00",
        **figures,
        "upper_limit": str(total + precision),
        "total_rate": str((total / bv).quantize(D("0.000001"))),
    }
    params = {"method": "mus_standard", "confidence": 70, "category": 2, "seed": 1, "size": 30, **extra}
    return Sample.objects.create(
        population=population,
        sigma="0.05",
        anticipated_error="0",
        tolerable_error=bv * D("0.02"),
        sampled_size=30,
        sampled_value=bv,
        drawn_by=auditor,
        projection={"figures": stored, "working": []},
        corrections=D(figures.get("corrections", "0")),
        **params,
    )


@pytest.fixture
def year_report() -> dict[str, Any]:
    audit_helpers.base()
    audit_helpers.completed_year(year=YEAR)  # category 2
    programme = audit_helpers.programme()
    auditor = audit_helpers.user(audit_helpers.AUDITOR)
    report = audit_services.report_create(actor=auditor, programme=programme, year=YEAR)
    return {"programme": programme, "report": report}


@pytest.mark.django_db
def test_the_control_report_combines_the_years_samples(year_report):
    programme = year_report["programme"]
    # two periods by payment claim: 9 claims of 100 000 (BV 900 000), 2 of 50 000 (BV 100 000)
    first = _population(programme, [f"OP-{i}·V{i:07d}" for i in range(1, 10)], "100000.00", "claim")
    second = _population(programme, ["OP-1·V0000020", "OP-2·V0000021"], "50000.00", "claim")
    _projected(
        first,
        {
            "total": "9000",
            "precision": "3000",
            "exhaustive": "5000",
            "projected_random": "3000",
            "systemic": "1000",
            "corrections": "2000",
        },
    )
    redrawn = _projected(second, {"total": "99999", "precision": "1"})  # drawn again below: not counted
    _projected(
        second,
        {"total": "3000", "precision": "4000", "projected_random": "2000", "anomalous": "1000"},
        method="mus_conservative",
        size=12,
    )
    results = selectors.report_results(programme, YEAR)
    assert results is not None
    assert results["samples_projected"] == 3 and results["samples_combined"] == 2
    assert results["combination"]["superseded"] == [redrawn.pk]
    # BV 900 000 + 100 000 = 1 000 000; TPE 9 000 + 3 000 = 12 000 → 1.20 %
    assert results["population"] == "1000000.00"
    assert results["total_error"] == "12000.00" and results["total_error_rate"] == "1.20"
    # EE 3 000 + 2 000 = 5 000 → 0.50 %; systemic 1 000
    assert results["projected_random_error"] == "5000.00" and results["projected_error_rate"] == "0.50"
    assert results["systemic_errors"] == "1000.00"
    # SE √(3 000² + 4 000²) = 5 000; ULE 17 000 → 1.70 %
    assert results["precision"] == "5000.00"
    assert results["upper_limit_of_error"] == "17000.00" and results["upper_limit_rate"] == "1.70"
    # RTER (12 000 − 2 000) / (1 000 000 − 2 000) = 1.002004 % → 1.00
    assert results["corrections"] == "2000.00" and results["residual_total_error_rate"] == "1.00"
    assert results["sample_size"] == 42  # 30 + 12
    assert results["upper_limit_rate_above_materiality"] is False
    assert results["method"] == (
        "Monetary unit sampling, standard approach; Monetary unit sampling, conservative approach"
    )
    [row_1, row_2] = results["combination"]["samples"]
    assert (row_1["population_value"], row_1["total_error_rate"]) == ("900000.00", "1.00")
    assert (row_2["population_value"], row_2["total_error"]) == ("100000.00", "3000.00")
    content = audit_selectors.generated_content(programme, YEAR)
    assert content["sampling"]["total_error_rate"] == "1.20"
    assert content["suggested_opinion"] == "unqualified"  # category 2, 1.20 % ≤ 2 %

    client = Client()
    client.force_login(User.objects.get(email=audit_helpers.AUDITOR))
    base = f"/audit-authority/reports/{programme.cci}/{YEAR}/"
    page = client.get(base).content.decode()
    assert 'id="sampling-samples"' in page and 'id="sampling-working"' in page
    # the working through the sampling app's catalogue: numbers in the reader's (here English) format
    assert "√(3,000.00² + 4,000.00²) = √25,000,000.00" in page
    assert f"not counted (the later sample counts): {redrawn.pk}." in page
    book = load_workbook(io.BytesIO(client.get(base + "export.xlsx").content))
    rows = [r for r in book["Audits of operations"].iter_rows(values_only=True)]
    labels = {r[0]: r[1] for r in rows if r and len(r) > 1}
    # the XLSX keeps real numbers (the spreadsheet shows them in its reader's format)
    assert labels["Total error rate (%)"] == 1.2 and labels["Precision (sampling error)"] == 5000
    assert ("Precision", "SE = √(Σ SE_i²)", "√(3,000.00² + 4,000.00²) = √25,000,000.00", "5,000.00") in [
        r[:4] for r in rows
    ]
    pdf = client.get(base + "export.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    shown = view(content)
    # sample 2's total projected error: an amount in the reader's format on the page, a number in the XLSX
    assert shown["combination"]["rows"][1][7] == numbers.format_money(D("3000.00"), "en")
    assert shown["combination"]["cells"][1][7] == D("3000.00")


@pytest.mark.django_db
def test_overlapping_populations_are_not_added_up(year_report):
    programme = year_report["programme"]
    first = _population(programme, ["OP-1", "OP-2"], "500000.00")
    second = _population(programme, ["OP-2", "OP-3"], "50000.00")  # OP-2 is in both
    _projected(first, {"total": "9000", "precision": "3000"})
    _projected(second, {"total": "3000", "precision": "4000"})
    results = selectors.report_results(programme, YEAR)
    assert results is not None
    assert results["combination"]["overlaps"] == [{"populations": [first.pk, second.pk], "shared": ["OP-2"]}]
    assert results["total_error_rate"] is None and results["population"] is None
    content = audit_selectors.generated_content(programme, YEAR)
    assert content["suggested_opinion"] == "unqualified"  # provisional: the system audits alone
    client = Client()
    client.force_login(User.objects.get(email=audit_helpers.AUDITOR))
    page = client.get(f"/audit-authority/reports/{programme.cci}/{YEAR}/").content.decode()
    assert "hold the same expenditure (OP-2)" in page


@pytest.mark.django_db
def test_two_periods_drawn_recorded_and_projected_through_the_api_combine(year_report):
    """Two populations by payment claim (two periods), three claims of 100 each, drawn, recorded and
    projected through the API with MUS standard at 70 % (z 1.036)."""
    from amis.accounts import services as accounts

    programme = year_report["programme"]
    first = _population(programme, ["OP-1·V0000001", "OP-2·V0000002", "OP-3·V0000003"], "100.00", "claim")
    second = _population(programme, ["OP-1·V0000011", "OP-2·V0000012", "OP-3·V0000013"], "100.00", "claim")
    _token, secret = accounts.token_create(
        user=User.objects.get(email=audit_helpers.AUDITOR), name="audit tool", scope="write"
    )
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    for population, error in ((first, "10"), (second, "20")):
        drawn = api.post(
            f"/api/v1/sampling/populations/{population.pk}/samples",
            {"method": "mus_standard", "sigma": "0.05", "anticipated_error": "0", "seed": 7},
            content_type="application/json",
        )
        assert drawn.status_code == 201, drawn.content
        sample = drawn.json()
        # n = (1.036 × 300 × 0.05 / 6)² = 6.7 → 7, at least 30, bounded by the 3 units; cut-off
        # 300 / 3 = 100, no unit above it: the interval is 100 and each claim is hit once
        assert [i["stratum"] for i in sample["items"]] == ["sample"] * 3
        for item in sample["items"]:
            irregular = error if item["unit"].startswith("OP-1") else "0"
            answer = api.post(
                f"/api/v1/sampling/items/{item['id']}",
                {"lock_version": item["lock_version"], "irregular": irregular, "error_kind": "random"},
                content_type="application/json",
            )
            assert answer.status_code == 200, answer.content
        lock = api.get(f"/api/v1/sampling/samples/{sample['id']}").json()["lock_version"]
        projected = api.post(
            f"/api/v1/sampling/samples/{sample['id']}/projection",
            {"lock_version": lock},
            content_type="application/json",
        )
        assert projected.status_code == 200, projected.content
    # period 1: rates 0.1, 0, 0 → EE = 300 / 3 × 0.1 = 10; s_r = √((2/30)² + 2 × (1/30)²) / 2) = 1/√300;
    #           SE = 1.036 × 300 / √3 × 1/√300 = 1.036 × 10 = 10.36
    # period 2: rates 0.2, 0, 0 → EE = 20; SE = 1.036 × 20 = 20.72
    results = api.get(f"/api/v1/sampling/results/{programme.cci}/{YEAR}").json()["results"]
    rows = results["combination"]["samples"]
    assert [(r["total_error"], r["precision"]) for r in rows] == [("10.00", "10.36"), ("20.00", "20.72")]
    # BV = 300 + 300 = 600; TPE = 10 + 20 = 30; SE = √(10.36² + 20.72²) = √(107.3296 + 429.3184)
    # = √536.648 = 23.1656… → 23.17; ULE = 53.17; TER = 30 / 600 = 5.00 %; ULE / BV = 8.86 %
    assert results["population"] == "600.00" and results["total_error"] == "30.00"
    assert results["precision"] == "23.17" and results["upper_limit_of_error"] == "53.17"
    assert results["total_error_rate"] == "5.00" and results["upper_limit_rate"] == "8.86"
    assert results["total_error_rate_above_materiality"] is True
    assert results["samples_combined"] == 2 and results["combination"]["overlaps"] == []
    assert audit_selectors.generated_content(programme, YEAR)["suggested_opinion"] == "qualified"
    # category 2 and 5.00 %: above 2 %, not above 5 %
