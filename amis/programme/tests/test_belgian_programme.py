"""The Belgian AMIF programme as loaded equals the seed (SFC2014 export) to the cent."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from amis.programme import selectors
from amis.programme.rules.validate import RULE_2_15, VALIDATED, validate_document

pytestmark = pytest.mark.django_db

# Every total printed in the seed's Tables 1, 2 and 3 (section 7 of 000_d6f7f531131dfca7.txt).
SEED_TABLE1 = {
    "table1.SO1.NO": "30010132.27",
    "table1.SO1.SA": "0.00",
    "table1.SO1": "30010132.27",
    "table1.SO2.NO": "32718973.19",
    "table1.SO2.SA": "0.00",
    "table1.SO2": "32718973.19",
    "table1.SO3.NO": "29780695.26",
    "table1.SO3.SA": "7753663.12",
    "table1.SO3": "37534358.38",
    "table1.SO4": "0.00",
    "table1.technical_assistance": "6442369.28",
    "table1.special_cases": "70556000.00",
    "table1.total": "177261833.12",
}
SEED_TABLE1_LINES = {
    "SO1.NO1": "19617518.37",
    "SO1.NO2": "8337445.31",
    "SO1.NO3": "2055168.59",
    "SO2.NO2": "30850638.11",
    "SO2.NO3": "1868335.08",
    "SO3.NO1": "4900524.77",
    "SO3.NO2": "22629929.52",
    "SO3.NO3": "2250240.97",
    "SO3.SA5": "7753663.12",
}
SEED_TABLE2 = {
    "table2.resettlement": "35000000.00",
    "table2.relocation_2015_1523": "8076000.00",
    "table2.relocation_2015_1601": "14688000.00",
    "table2.transfer": "0.00",
    "table2.admission_turkey_2016_1754": "12792000.00",
    "table2.2014": "2000000.00",
    "table2.2015": "2000000.00",
    "table2.2016": "23278000.00",
    "table2.2017": "23278000.00",
    "table2.2018": "6666667.00",
    "table2.2019": "6666667.00",
    "table2.2020": "6666666.00",
    "table2.total": "70556000.00",
}
SEED_TABLE3 = {
    "table3.asylum_and_solidarity": "103787316.91",
    "table3.integration_and_return": "73474516.21",
    "table3.2014": "12774422.12",
    "table3.2015": "14637620.00",
    "table3.2016": "40477112.00",
    "table3.2017": "60669847.00",
    "table3.2018": "18208468.00",
    "table3.2019": "13749191.00",
    "table3.2020": "16745173.00",
    "table3.total": "177261833.12",
}


@pytest.mark.parametrize("seed", [SEED_TABLE1, SEED_TABLE2, SEED_TABLE3], ids=["table1", "table2", "table3"])
def test_every_total_equals_the_seed(belgian: Any, seed: dict[str, str]) -> None:
    totals = selectors.version_financing_plan(belgian).totals()
    for key, amount in seed.items():
        assert totals[key] == Decimal(amount), key


def test_every_table1_line_equals_the_seed(belgian: Any) -> None:
    plan = selectors.version_financing_plan(belgian)
    lines = {
        f"{so.code}.{line.code}": line.amount
        for so in plan.specific_objectives
        for line in so.national_objectives + so.specific_actions
    }
    programmed = {key: str(value) for key, value in lines.items() if value is not None}
    assert programmed == SEED_TABLE1_LINES


def test_financing_plan_json_has_the_documented_shape(belgian: Any) -> None:
    data = selectors.financing_plan_data(belgian)
    assert (data["cci"], data["version"], data["total"]) == ("2014BE65AMNP001", 2, "177261833.12")
    so1 = data["specific_objectives"][0]
    assert (so1["code"], so1["total"]) == ("SO1", "30010132.27")
    assert [no["code"] for no in so1["national_objectives"]] == ["NO1", "NO2", "NO3"]
    assert so1["national_objectives"][0]["total"] == "19617518.37"
    assert [sa["code"] for sa in so1["specific_actions"]] == ["SA1", "SA2"]
    assert data["technical_assistance"] == "6442369.28"
    assert data["special_cases"] == "70556000.00"


def test_the_programme_has_everything_the_seed_has(belgian: Any) -> None:
    doc = selectors.version_document(belgian)
    assert [a["kind"] for a in doc["authorities"]] == ["responsible", "audit", "delegated", "delegated"]
    assert doc["authorities"][0]["designation_date"] == "2015-03-15"
    assert [so["code"] for so in doc["specific_objectives"]] == ["SO1", "SO2", "SO3", "SO4"]
    actions = sorted(
        a["number"]
        for so in doc["specific_objectives"]
        for no in so["national_objectives"]
        for a in no.get("actions", [])
    )
    assert actions == list(range(1, 22))
    assert [sa["code"] for so in doc["specific_objectives"] for sa in so["specific_actions"]] == [
        "SA1",
        "SA2",
        "SA3",
        "SA4",
        "SA8",
        "SA5",
        "SA6",
        "SA7",
    ]
    indicators = {
        so["code"]: [i["code"] for i in so.get("indicators", [])] for so in doc["specific_objectives"]
    }
    assert indicators["SO1"] == ["C1", "C2.1", "C2.2", "C3.1", "C3.2", "C4", "C5", "C6"]
    assert indicators["SO2"] == ["C1", "C2", "C3", "C4", "C5"]
    assert indicators["SO3"] == ["C1", "C2", "C3", "C4", "C5", "C6"]
    c1 = doc["specific_objectives"][0]["indicators"][0]
    assert (c1["baseline"], c1["target"], c1["unit"]) == ("0.00", "7175.00", "number")
    assert len(doc["timetable"]) == 16
    assert {t["planning_start"] for t in doc["timetable"]} == {2014}
    assert len(doc["beneficiary_types"]) == 5
    for section in (
        "executive_summary",
        "baseline",
        "partnership_preparation",
        "monitoring_committee",
        "monitoring_evaluation",
        "partnership_implementation",
        "publicity",
        "coordination",
        "direct_award",
    ):
        assert doc["texts"][section]["en"].strip(), section
    persons = {
        p_sc["code"]: sum(sum(p["persons"].values()) for p in p_sc["pledges"])
        for p_sc in doc["special_cases"]["types"]
    }
    assert persons == {
        "resettlement": 3500,
        "relocation_2015_1523": 1346,
        "relocation_2015_1601": 2448,
        "transfer": 0,
        "admission_turkey_2016_1754": 1968,
    }


def test_validation_gives_the_seeds_info_and_warning_only(belgian: Any) -> None:
    findings = validate_document(selectors.version_document(belgian))
    assert [(f.severity, f.code) for f in findings] == [("info", "VALID"), ("warning", "2.15")]
    assert findings[0].message == VALIDATED == "Programme version has been validated."
    assert findings[1].message == RULE_2_15
    assert RULE_2_15.startswith("New EC decision is required for versions > 1.")


def test_a_first_version_gets_no_2_15_warning(belgian_doc: dict[str, Any]) -> None:
    belgian_doc["version"]["number"] = 1
    assert [f.code for f in validate_document(belgian_doc)] == ["VALID"]
