"""Reference data comes from files and loads idempotently, with the models of any migration state."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from django.apps import apps

from amis.programme import reference_data
from amis.programme.models import (
    CommonIndicator,
    Fund,
    InterventionCode,
    InterventionDimension,
    ProgrammingPeriod,
)


def _counts() -> tuple[int, ...]:
    return (
        Fund.objects.count(),
        ProgrammingPeriod.objects.count(),
        CommonIndicator.objects.count(),
        InterventionDimension.objects.count(),
        InterventionCode.objects.count(),
    )


@pytest.mark.django_db
def test_migrations_load_the_files_and_load_is_idempotent() -> None:
    files = yaml.safe_load(reference_data.FUNDS_AND_PERIODS.read_text(encoding="utf-8"))
    assert {f["code"] for f in files["funds"]} <= set(Fund.objects.values_list("code", flat=True))
    assert set(ProgrammingPeriod.objects.values_list("code", flat=True)) >= {"2014-2020", "2021-2027"}
    dims = InterventionDimension.objects.filter(fund__code="AMIF", period__code="2021-2027")
    assert list(dims.values_list("code", flat=True)) == [
        "intervention_field",
        "type_of_action",
        "implementation_modality",
        "special_intervention_themes",
    ]
    old = CommonIndicator.objects.filter(fund__code="AMIF", period__code="2014-2020")
    assert old.count() > 0 and set(old.values_list("kind", flat=True)) == {""}
    before = _counts()
    reference_data.load(apps)
    reference_data.load(apps)
    assert _counts() == before


@pytest.mark.django_db
def test_catalogue_rows_added_to_the_files_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The 2021-2027 files take rows as data: codes of a dimension, indicators with their kind."""
    types = tmp_path / "intervention-types-test.yaml"
    types.write_text(
        yaml.safe_dump(
            {
                "fund": "AMIF",
                "period": "2021-2027",
                "dimensions": [
                    {
                        "code": "intervention_field",
                        "name": "Intervention field",
                        "codes": [{"code": "T1", "label": "A test label", "specific_objective": "SO1"}],
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    indicators = tmp_path / "common-indicators-test.yaml"
    indicators.write_text(
        yaml.safe_dump(
            {
                "fund": "AMIF",
                "period": "2021-2027",
                "indicators": [
                    {
                        "specific_objective": "SO1",
                        "code": "T.1",
                        "kind": "output",
                        "unit": "number",
                        "name": "Test",
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    monkeypatch.setattr(reference_data, "INTERVENTION_CATALOGUES", [types])
    monkeypatch.setattr(reference_data, "INDICATOR_CATALOGUES", [indicators])
    reference_data.load(apps)
    reference_data.load(apps)
    code = InterventionCode.objects.get(code="T1")
    assert (code.dimension.code, code.label, code.specific_objective) == (
        "intervention_field",
        "A test label",
        "SO1",
    )
    indicator = CommonIndicator.objects.get(code="T.1", period__code="2021-2027")
    assert indicator.kind == CommonIndicator.Kind.OUTPUT


@pytest.mark.django_db
def test_a_period_row_added_to_the_file_is_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = yaml.safe_load(reference_data.FUNDS_AND_PERIODS.read_text(encoding="utf-8"))
    rows["periods"].append({"code": "2028-2034", "start_year": 2028, "end_year": 2034})
    rows["funds"].append({"code": "NEWF", "name": "A fund of the next period"})
    path = tmp_path / "funds-and-periods.yaml"
    path.write_text(yaml.safe_dump(rows), encoding="utf-8")
    monkeypatch.setattr(reference_data, "FUNDS_AND_PERIODS", path)
    reference_data.load(apps)
    assert ProgrammingPeriod.objects.get(code="2028-2034").years[-1] == 2034
    assert Fund.objects.filter(code="NEWF").exists()


def test_partial_catalogues_say_so() -> None:
    for path in [*reference_data.INTERVENTION_CATALOGUES, *reference_data.INDICATOR_CATALOGUES[1:]]:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert data["reference"].startswith("Regulation (EU) 2021/1147, Annex")
        assert "verify against the Official Journal" in data["status"]
