"""Reference data comes from files and loads idempotently, with the models of any migration state."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from django.apps import apps

from amis.programme import reference_data, selectors, services
from amis.programme.exchange.yamlio import loads
from amis.programme.models import (
    CommonIndicator,
    Fund,
    InterventionCode,
    InterventionDimension,
    ProgrammeVersion,
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


def test_the_2021_2027_catalogues_say_where_they_were_verified() -> None:
    for path in [*reference_data.INTERVENTION_CATALOGUES, *reference_data.INDICATOR_CATALOGUES[1:]]:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        assert data["reference"].startswith("Regulation (EU) 2021/1147, Annex")
        assert data["status"].startswith("verified against the regulation text")
        assert "legalize-dev/legalize-eu, eu/32021R1147.md" in text
        assert "partial" not in data["status"] and "blocked" not in text


def _annex_vi(dimension: str) -> dict[str, list[str]]:
    """{specific objective: codes} of a loaded Annex VI dimension."""
    rows: dict[str, list[str]] = {}
    for row in InterventionCode.objects.filter(
        dimension__fund__code="AMIF", dimension__period__code="2021-2027", dimension__code=dimension
    ).order_by("specific_objective", "code"):
        rows.setdefault(row.specific_objective, []).append(row.code)
    return rows


def _numbered(count: int) -> list[str]:
    return [f"{n:03d}" for n in range(1, count + 1)]


@pytest.mark.django_db
def test_the_migrations_load_annex_vi_of_2021_1147_table_by_table() -> None:
    """Table 1 restarts at 001 in each specific objective (I-IV and V technical assistance)."""
    assert _annex_vi("intervention_field") == {
        "SO1": _numbered(7),
        "SO2": _numbered(12),
        "SO3": _numbered(10),
        "SO4": _numbered(6),
        "TA": _numbered(4),
    }
    assert _annex_vi("type_of_action") == {"": _numbered(13)}
    assert _annex_vi("implementation_modality") == {"": _numbered(5)}
    assert _annex_vi("special_intervention_themes") == {"": _numbered(3)}
    field = InterventionCode.objects.filter(
        dimension__code="intervention_field", dimension__fund__code="AMIF"
    )
    assert field.get(specific_objective="SO1", code="001").label == "Reception conditions"
    assert field.get(specific_objective="SO3", code="004").label == "Assisted voluntary return"
    assert (
        field.get(specific_objective="SO4", code="001").label
        == "Transfers to another Member State (‘relocation’)"
    )
    assert field.get(specific_objective="TA", code="004").label == "Capacity building"
    table3 = InterventionCode.objects.get(dimension__code="implementation_modality", code="003")
    assert table3.label == "Actions listed in Annex IV"
    assert selectors.intervention_catalogue("AMIF", "2021-2027")["intervention_field"] >= {
        "SO2:012",
        "TA:004",
    }


@pytest.mark.django_db
def test_the_migrations_load_annex_viii_of_2021_1147_per_specific_objective() -> None:
    rows = CommonIndicator.objects.filter(fund__code="AMIF", period__code="2021-2027")
    codes = {
        (so, kind): sorted(rows.filter(specific_objective=so, kind=kind).values_list("code", flat=True))
        for so in ("SO1", "SO2", "SO3", "SO4")
        for kind in ("output", "result")
    }
    assert codes == {
        ("SO1", "output"): [
            "O.1.1",
            "O.1.1.1",
            "O.1.1.2",
            "O.1.1.3",
            "O.1.2",
            "O.1.3",
            "O.1.3.1",
            "O.1.4",
            "O.1.4.1",
        ],
        ("SO1", "result"): ["R.1.5", "R.1.6", "R.1.7", "R.1.7.1", "R.1.7.2"],
        ("SO2", "output"): [
            "O.2.1",
            "O.2.2",
            "O.2.3",
            "O.2.3.1",
            "O.2.3.2",
            "O.2.3.3",
            "O.2.4",
            "O.2.5",
            "O.2.6",
            "O.2.7",
        ],
        ("SO2", "result"): ["R.2.10", "R.2.11", "R.2.8", "R.2.9"],
        ("SO3", "output"): ["O.3.1", "O.3.2", "O.3.3", "O.3.4", "O.3.5"],
        ("SO3", "result"): ["R.3.6", "R.3.7", "R.3.8"],
        ("SO4", "output"): ["O.4.1", "O.4.2"],
        ("SO4", "result"): ["R.4.3", "R.4.4", "R.4.5"],
    }
    assert rows.count() == 41 and set(rows.values_list("unit", flat=True)) == {"number"}
    assert rows.get(specific_objective="SO1", code="R.1.5").name == (
        "Number of participants who consider the training useful for their work"
    )
    assert rows.get(specific_objective="SO4", code="R.4.4").name == "Number of persons resettled"


BELGIAN_2021_FILE = reference_data.REFERENCE.parent / "programmes" / "2021BE65AMPR001.yaml"


def _belgian_2021_with(old: str, new: str) -> dict[str, Any]:
    text = BELGIAN_2021_FILE.read_text(encoding="utf-8")
    assert old in text, old
    return loads(text.replace(old, new, 1), "2021BE65AMPR001.yaml")


def _refusal(document: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(services.ProgrammeFileError) as refused:
        services.programme_import(document=document)
    return refused.value.problems


@pytest.mark.django_db
def test_a_2021_2027_file_with_an_intervention_code_outside_annex_vi_is_refused() -> None:
    # 013 is in no specific objective's list of Table 1
    problems = _refusal(
        _belgian_2021_with('code: "004", amount: "49000000.00"', 'code: "013", amount: "49000000.00"')
    )
    assert [code for code, _ in problems] == ["INTERVENTION.CODE"]
    assert "SO3: code 013" in problems[0][1]
    # 008 is a Table 1 code of SO2 and SO3, but not of SO4 (001-006)
    problems = _refusal(
        _belgian_2021_with('code: "001", amount: "9000000.00"', 'code: "008", amount: "9000000.00"')
    )
    assert [code for code, _ in problems] == ["INTERVENTION.CODE"]
    assert "SO4: code 008" in problems[0][1]
    assert not ProgrammeVersion.objects.exists()


@pytest.mark.django_db
def test_a_2021_2027_file_with_an_unknown_common_indicator_or_unit_is_refused() -> None:
    # O.4.3 is no Annex VIII indicator of SO4 (it has O.4.1, O.4.2 and R.4.3-R.4.5)
    problems = _refusal(_belgian_2021_with("- code: O.4.1\n", "- code: O.4.3\n"))
    assert [code for code, _ in problems] == ["IND.UNKNOWN"]
    assert "O.4.3" in problems[0][1] and "Regulation (EU) 2021/1147" in problems[0][1]
    # every Annex VIII indicator counts: a percentage is not its unit
    problems = _refusal(
        _belgian_2021_with(
            'name: {en: "Number of participants supported"}\n        unit: number',
            'name: {en: "Number of participants supported"}\n        unit: percent',
        )
    )
    assert [code for code, _ in problems] == ["IND.UNIT"]
    assert "O.1.1" in problems[0][1] and "number" in problems[0][1]
    assert not ProgrammeVersion.objects.exists()
