"""Issue 11, section 1: the 2021-2027 programme as the CPR Annex V template holds it (format 2).

A small hand-made AMIF 2021-2027 file that passes every rule; each test writes one mistake into it and
checks the one finding, with the article of the programme's own period. Then the Belgian 2021-2027
file, the round trips, and a property test over generated programmes.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from amis.programme import selectors, services
from amis.programme.exchange.schema import schema_errors
from amis.programme.exchange.yamlio import dumps_json, dumps_yaml, loads
from amis.programme.models import AllocationLine, ProgrammeVersion
from amis.programme.rules.annex_v import tables_from_document
from amis.programme.rules.validate import validate_document
from amis.programme.tests.strategies import documents_2021

SMALL = """\
format: amis-programme/2
programme:
  cci: 2021FI65AMPR001
  member_state: FI
  fund: AMIF
  period: "2021-2027"
  title: {en: "Small programme"}
  languages: [en, fi, sv]
version: {number: 1, status: draft}
authorities:
  - {kind: managing, name: "Ministry of the Interior"}
  - {kind: audit, name: "Audit authority"}
  - {kind: body_receiving_payments, name: "Accounting office"}
specific_objectives:
  - code: SO1
    name: {en: "Asylum"}
    indicators:
      - {code: O.1.1, kind: programme_specific, name: {en: "Participants"}, unit: number, type: output,
         baseline: "0.00", milestone: "10.00", target: "40.00"}
      - {code: R.1.1, kind: programme_specific, name: {en: "Share"}, unit: percent, type: result,
         baseline: "20.00", reference_year: 2021, target: "60.00"}
    interventions:
      - {dimension: intervention_field, code: "001", amount: "600000.00"}
  - code: SO2
    name: {en: "Integration"}
    interventions:
      - {dimension: intervention_field, code: "002", amount: "300000.00"}
special_cases:
  types:
    - code: resettlement
      name: {en: "Resettlement"}
      category: resettlement
      annual_amounts: {"2024": "100000.00"}
      pledges:
        - {name: {en: "pledge"}, lump_sum: "10000.00", persons: {"2024-2025": 10}}
appropriations:
  initial_allocation: {"2021": "300000.00", "2022": "300000.00", "2023": "300000.00"}
  thematic_facility: {"2024": "150000.00"}
  transfer_in: {"2025": "50000.00"}
  transfer_out: {"2026": "50000.00"}
allocations:
  - {specific_objective: SO1, type_of_action: regular, basis: total, eu_contribution: "450000.00",
     national_public: "150000.00", national_private: "0.00", total: "600000.00", co_financing_rate: "75.00"}
  - {specific_objective: SO2, type_of_action: specific_actions, basis: public, eu_contribution: "150000.00",
     national_public: "16666.67", national_private: "5000.00", total: "171666.67", co_financing_rate: "90.00"}
  - {specific_objective: SO2, type_of_action: operating_support, basis: total, eu_contribution: "150000.00",
     national_public: "0.00", national_private: "0.00", total: "150000.00", co_financing_rate: "100.00"}
  - {specific_objective: TA, type_of_action: technical_assistance, basis: total, eu_contribution: "45000.00",
     national_public: "0.00", national_private: "0.00", total: "45000.00", co_financing_rate: "100.00"}
  - {specific_objective: SO1, type_of_action: annex_iv, basis: total, eu_contribution: "150000.00",
     national_public: "16666.67", national_private: "0.00", total: "166666.67", co_financing_rate: "90.00"}
  - {specific_objective: SO2, type_of_action: emergency_assistance, basis: total, eu_contribution: "0.00",
     national_public: "0.00", national_private: "0.00", total: "0.00", co_financing_rate: "0.00"}
fund_transfers:
  - {direction: in, counterpart: ISF, year: 2025, amount: "50000.00"}
  - {direction: out, counterpart: BMVI, year: 2026, amount: "50000.00"}
thematic_facility:
  - {specific_objective: SO2, modality: specific_action, eu_contribution: "150000.00", description: {en: "x"}}
simplified_costs:
  - {specific_objective: SO2, kind: unit_cost, operation: {en: "Language course"}, unit: hour,
     amount: "18.50"}
  - {specific_objective: SO1, kind: flat_rate, operation: {en: "Indirect costs"}, rate: "7.00", share: "5.00"}
financing_not_linked_to_costs:
  - {specific_objective: SO1, operation: {en: "Packages"}, conditions: {en: "on completion"},
     amount: "1000.00"}
enabling_conditions:
  - {code: HEC3, name: {en: "Charter of Fundamental Rights"}, fulfilled: true}
texts:
  partnership: {en: "Partners were consulted."}
  communication_visibility: {en: "One website."}
"""
# EU: SO1 450,000 + 150,000 = 600,000; SO2 150,000 + 150,000 + 0 = 300,000; TA 45,000 (6 % of 900,000 is
# 54,000). Appropriations: initial 795,000 + thematic facility 150,000 + transfer in 50,000 - transfer
# out 50,000 = 945,000 = the allocations' EU contribution. SO1 is 75.5 %, SO2 37.7 % of the initial.
SMALL = SMALL.replace('"300000.00", "2023": "300000.00"}', '"300000.00", "2023": "195000.00"}')


def small(mistake: tuple[str, str] | None = None) -> dict[str, Any]:
    """The small file, with one piece of text replaced by a mistake."""
    text = SMALL
    if mistake:
        assert mistake[0] in text, mistake[0]
        text = text.replace(mistake[0], mistake[1], 1)
    return loads(text, "small.yaml")


def errors(doc: dict[str, Any], interventions: dict[str, frozenset[str]] | None = None) -> list[Any]:
    return [f for f in validate_document(doc, None, interventions) if f.severity == "error"]


def only(doc: dict[str, Any], code: str, **kwargs: Any) -> Any:
    found = errors(doc, **kwargs)
    assert [f.code for f in found] == [code], [(f.code, f.message) for f in found]
    return found[0]


def test_the_small_file_is_valid_and_cites_the_period_of_2021_2027() -> None:
    doc = small()
    assert schema_errors(doc) == []
    findings = validate_document(doc)
    assert [(f.severity, f.code) for f in findings] == [("info", "VALID")]
    assert findings[0].reference == "Regulation (EU) 2021/1060, Art. 22 and Annex V"


def test_a_total_that_is_not_eu_plus_national_is_refused() -> None:
    finding = only(small(('total: "600000.00"', 'total: "600000.01"')), "TOTAL.ALLOCATION")
    assert "Allocation line 1 (SO1, regular)" in finding.message and "600,000.00" in finding.message


def test_a_rate_that_is_not_eu_over_the_basis_is_refused() -> None:
    finding = only(small(('co_financing_rate: "75.00"', 'co_financing_rate: "74.99"')), "TOTAL.RATE")
    assert "75.00 %" in finding.message


def test_the_rate_of_a_public_basis_leaves_out_the_private_contribution() -> None:
    # 150,000 / (150,000 + 16,666.67) = 90.00 %; on the total basis it would be 87.38 %
    doc = small(('basis: public, eu_contribution: "150000.00"', 'basis: total, eu_contribution: "150000.00"'))
    assert only(doc, "TOTAL.RATE").message.endswith("= 87.38 %.")


def test_regular_actions_above_75_percent_cite_amif_article_15() -> None:
    doc = small(
        (
            '"150000.00", national_private: "0.00", total: "600000.00"',
            '"149999.00", national_private: "0.00", total: "599999.00"',
        )
    )
    finding = only(doc, "COFIN.CEILING")
    assert finding.reference == "Regulation (EU) 2021/1147, Art. 15(1)"
    assert "ceiling of 75 %" in finding.message


def test_annex_iv_actions_above_90_percent_cite_their_paragraph() -> None:
    doc = small(
        (
            '"16666.67", national_private: "0.00", total: "166666.67", co_financing_rate: "90.00"',
            '"16000.00", national_private: "0.00", total: "166000.00", co_financing_rate: "90.36"',
        )
    )
    assert only(doc, "COFIN.CEILING").reference == "Regulation (EU) 2021/1147, Art. 15(3)"


def test_specific_actions_above_90_percent_are_refused() -> None:
    doc = small(
        (
            '"16666.67", national_private: "5000.00", total: "171666.67"',
            '"16666.00", national_private: "5000.00", total: "171666.00"',
        )
    )
    assert only(doc, "COFIN.CEILING").reference == "Regulation (EU) 2021/1147, Art. 15(2)"


def test_technical_assistance_above_the_flat_rate_cites_the_cpr() -> None:
    # 6 % of 900,000 = 54,000: TA of 54,000.01 is over it (the appropriations follow, so one mistake)
    doc = small(
        (
            '"45000.00",\n     national_public: "0.00", national_private: "0.00", total: "45000.00"',
            '"54000.01",\n     national_public: "0.00", national_private: "0.00", total: "54000.01"',
        )
    )
    doc["appropriations"]["initial_allocation"]["2023"] = "204000.01"
    finding = only(doc, "TA.FLAT_RATE")
    assert finding.reference.startswith("Regulation (EU) 2021/1060, Art. 36(5)")


def test_a_specific_objective_under_its_minimum_share_of_the_initial_allocation() -> None:
    # SO2 receives 300,000 of an initial allocation of 2,295,000 (13.07 % < 15 %); SO1 gets the rest
    doc = small(('initial_allocation: {"2021": "300000.00"', 'initial_allocation: {"2021": "1800000.00"'))
    doc["allocations"][0]["eu_contribution"] = "1950000.00"
    doc["allocations"][0]["national_public"] = "650000.00"
    doc["allocations"][0]["total"] = "2600000.00"
    doc["specific_objectives"][0]["interventions"][0]["amount"] = "2100000.00"
    finding = only(doc, "SHARE.SO2")
    assert "13.07 % of the initial allocation 2,295,000.00" in finding.message
    assert "basic allocation" not in finding.message and "516/2014" not in finding.reference
    doc["texts"]["minimum_share_justification"] = {"en": "Few arrivals of third-country nationals."}
    assert errors(doc) == []
    assert "SHARE.SO2" in [f.code for f in validate_document(doc) if f.severity == "warning"]


def test_appropriations_outside_the_period_are_refused() -> None:
    only(small(('transfer_out: {"2026"', 'transfer_out: {"2028"')), "APPROP.YEAR")


def test_allocations_that_differ_from_the_appropriations_are_refused() -> None:
    finding = only(
        small(
            (
                'thematic_facility: {"2024": "150000.00"}',
                'thematic_facility: {"2024": "150000.00"}\n  mid_term_review: {"2025": "1.00"}',
            )
        ),
        "APPROP.ALLOCATIONS",
    )
    assert "0.01" not in finding.message and "1.00" in finding.message


def test_a_thematic_facility_appendix_that_does_not_add_up_is_refused() -> None:
    only(
        small(
            (
                'modality: specific_action, eu_contribution: "150000.00"',
                'modality: specific_action, eu_contribution: "140000.00"',
            )
        ),
        "THEMATIC.SUM",
    )


def test_an_allocation_line_for_a_specific_objective_the_programme_lacks() -> None:
    only(
        small(
            (
                "specific_objective: SO2, type_of_action: emergency_assistance",
                "specific_objective: SO9, type_of_action: emergency_assistance",
            )
        ),
        "STRUCT.ALLOCATION",
    )


def test_types_of_intervention_that_do_not_add_up_to_the_objective() -> None:
    finding = only(
        small(('code: "002", amount: "300000.00"', 'code: "002", amount: "299999.99"')), "INTERVENTION.SUM"
    )
    assert "SO2" in finding.message and "300,000.00" in finding.message


def test_an_intervention_dimension_or_code_not_in_the_reference_data() -> None:
    loaded = {"intervention_field": frozenset({"001", "002"}), "type_of_action": frozenset()}
    assert errors(small(), interventions=loaded) == []
    only(small(('code: "002", amount', 'code: "099", amount')), "INTERVENTION.CODE", interventions=loaded)
    only(
        small(('dimension: intervention_field, code: "002"', 'dimension: delivery_mode, code: "002"')),
        "INTERVENTION.DIMENSION",
        interventions=loaded,
    )
    # a code that belongs to one specific objective (Annex VI Table 1) counts only under it
    per_objective = {"intervention_field": frozenset({"SO1:001", "SO2:002", "SO2:003"})}
    assert errors(small(), interventions=per_objective) == []
    finding = only(
        small(('code: "001", amount', 'code: "003", amount')),
        "INTERVENTION.CODE",
        interventions=per_objective,
    )
    assert "SO1: code 003" in finding.message
    # a dimension whose code list is not loaded yet takes any code
    assert (
        errors(
            small(('dimension: intervention_field, code: "002"', 'dimension: type_of_action, code: "002"')),
            interventions=loaded,
        )
        == []
    )


def test_an_output_indicator_without_its_2024_milestone() -> None:
    only(small(('milestone: "10.00", ', "")), "IND.MILESTONE")


def test_a_result_indicator_without_a_reference_year() -> None:
    only(small(("reference_year: 2021, ", "")), "IND.REFERENCE_YEAR")


def test_an_indicator_that_is_neither_output_nor_result() -> None:
    only(small(("type: output,\n", "\n")), "IND.TYPE")


def test_a_lump_sum_per_resettled_person_of_another_period_is_refused() -> None:
    doc = small(('annual_amounts: {"2024": "100000.00"}', 'annual_amounts: {"2024": "75000.00"}'))
    doc["special_cases"]["types"][0]["pledges"][0]["lump_sum"] = "7500.00"  # 10 persons x 7,500
    finding = only(doc, "T2.RATE")
    assert finding.reference.endswith("as amended by Regulation (EU) 2024/1350, Art. 14")


def test_persons_times_lump_sum_that_is_not_the_amount() -> None:
    finding = only(small(('persons: {"2024-2025": 10}', 'persons: {"2024-2025": 11}')), "T2.LUMPSUM")
    assert "2021/1147" in finding.reference


def test_a_declared_appropriation_total_that_differs_is_refused() -> None:
    doc = small()
    doc["control_totals"] = {"appropriations.total": "945000.00", "allocations.total": "1.00"}
    finding = only(doc, "TOTAL.MISMATCH")
    assert "allocations.total" in finding.message


def test_no_2014_2020_citation_in_the_findings_of_a_2021_2027_programme() -> None:
    doc = small(('total: "600000.00"', 'total: "600000.01"'))
    doc["version"]["number"] = 2
    doc["control_totals"] = {"table1.total": "1.00"}
    cited = " ".join(f"{f.message} {f.reference}" for f in validate_document(doc))
    for old in ("802/2014", "516/2014", "514/2014", "SFC2014", "basic allocation"):
        assert old not in cited
    assert "Regulation (EU) 2021/1060, Art. 24" in cited


@pytest.mark.django_db
def test_the_small_file_imports_exports_and_reimports_losslessly() -> None:
    version = services.programme_import(document=small())
    assert version.file_format == 2
    exported = selectors.version_document(version)
    assert exported["format"] == "amis-programme/2"
    text = dumps_yaml(exported)
    assert schema_errors(loads(text)) == []
    again = loads(text)
    again["version"]["number"] = 2
    second = services.programme_import(document=again)
    redone = selectors.version_document(second)
    redone["version"]["number"] = 1
    assert dumps_yaml(redone) == text
    # the declared totals and rates are not stored; the export computes them
    assert not hasattr(AllocationLine, "total") and not hasattr(AllocationLine, "co_financing_rate")
    line = exported["allocations"][1]
    assert (line["total"], line["co_financing_rate"]) == ("171666.67", "90.00")
    assert exported["control_totals"]["appropriations.total"] == "945000.00"
    assert exported["control_totals"]["allocations.eu_contribution"] == "945000.00"
    assert exported["control_totals"]["appropriations.2026"] == "-50000.00"


@pytest.mark.django_db
def test_an_adopted_file_with_a_ceiling_error_is_refused_and_a_draft_is_not() -> None:
    mistake = (
        '"150000.00", national_private: "0.00", total: "600000.00"',
        '"149999.00", national_private: "0.00", total: "599999.00"',
    )
    adopted = small(mistake)
    adopted["version"].update(status="adopted", decision_reference="C(2022) 1", decision_date="2022-01-01")
    with pytest.raises(services.ProgrammeFileError) as refused:
        services.programme_import(document=adopted)
    assert "COFIN.CEILING" in refused.value.message
    assert services.programme_import(document=small(mistake)).status == "draft"


@pytest.mark.django_db
def test_a_total_that_does_not_reconcile_refuses_even_a_draft() -> None:
    with pytest.raises(services.ProgrammeFileError) as refused:
        services.programme_import(document=small(('total: "600000.00"', 'total: "600000.01"')))
    assert "TOTAL.ALLOCATION" in refused.value.message
    assert not ProgrammeVersion.objects.exists()


@pytest.mark.django_db
def test_a_format_1_file_still_loads_and_exports_as_format_1(belgian_doc: dict[str, Any]) -> None:
    version = services.programme_import(document=belgian_doc)
    assert version.file_format == 1
    assert selectors.version_document(version)["format"] == "amis-programme/1"
    assert selectors.annex_v_data(version) is None


@pytest.mark.django_db
def test_the_belgian_2021_2027_programme_imports_with_no_findings() -> None:
    from amis.demo.programme import BELGIAN_2021_FILE, belgian_2021_document

    doc = belgian_2021_document()
    version = services.programme_import(document=doc)
    assert version.status == "adopted" and version.file_format == 2
    findings = validate_document(
        selectors.version_document(version),
        selectors.version_catalogue(version),
        selectors.version_intervention_catalogue(version),
    )
    assert [(f.severity, f.code) for f in findings] == [("info", "VALID")]
    text = BELGIAN_2021_FILE.read_text(encoding="utf-8")
    assert "ASSUMED" in text and "Public (from the regulations)" in text
    data = selectors.annex_v_data(version)
    assert data is not None
    assert data["initial_allocation"] == Decimal("168000000.00")
    assert data["appropriations_total"] == data["allocations_eu"] == Decimal("196000000.00")
    exported = selectors.version_document(version)
    assert {k: v for k, v in exported.items() if k != "control_totals"} == {
        k: v for k, v in loads(dumps_json(exported)).items() if k != "control_totals"
    }


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(documents_2021())
def test_generated_2021_2027_programmes_round_trip_and_reconcile_to_the_cent(doc: dict[str, Any]) -> None:
    assert schema_errors(doc) == []
    assert errors(doc) == [], [f.message for f in errors(doc)]
    ProgrammeVersion.objects.filter(programme__cci="2021BE65AMPR999").delete()
    version = services.programme_import(document=doc)
    exported = selectors.version_document(version, with_control_totals=False)
    # lossless: every part of the file comes back (the declared totals and rates as computed, equal)
    for key in ("format", "programme", "appropriations", "allocations", "texts"):
        assert exported[key] == doc[key], key
    assert exported.get("thematic_facility", []) == doc.get("thematic_facility", [])
    for mine, theirs in zip(exported["specific_objectives"], doc["specific_objectives"], strict=True):
        assert (mine["code"], mine["indicators"], mine["interventions"]) == (
            theirs["code"],
            theirs["indicators"],
            theirs["interventions"],
        )
    again = loads(dumps_yaml(exported))
    again["version"]["number"] = 2
    second = selectors.version_document(services.programme_import(document=again), with_control_totals=False)
    second["version"]["number"] = 1
    assert dumps_yaml(second) == dumps_yaml(exported)
    tables = tables_from_document(exported)
    for line in exported["allocations"]:
        eu, public, private = (
            Decimal(line[k]) for k in ("eu_contribution", "national_public", "national_private")
        )
        assert Decimal(line["total"]) == eu + public + private
        base = eu + public + (private if line["basis"] == "total" else 0)
        assert abs(Decimal(line["co_financing_rate"]) * base / 100 - eu) <= base / 20000  # half a basis point
    assert tables.appropriations_total == tables.eu_total
    assert sum(Decimal(line["total"]) for line in exported["allocations"]) == tables.total


@pytest.fixture
def belgian_2021(db: None) -> ProgrammeVersion:
    from amis.demo.programme import belgian_2021_document

    return services.programme_import(document=belgian_2021_document())


def _page(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return str(response.content.decode())


def test_the_pages_show_the_2021_2027_parts(client: Any, belgian_2021: ProgrammeVersion) -> None:
    url = "/programmes/2021BE65AMPR001/v1"
    overview = _page(client, f"{url}/")
    for expected in (
        "Programme authorities",
        "Managing authority",
        "Body which receives payments",
        "Indicative breakdown of the EU resources by type of intervention",
        'data-testid="interventions-SO1"',
        "Reception conditions",  # SO1 001 of Annex VI Table 1, not SO2 001 or SO3 001
        "Assisted voluntary return",  # SO3 004, not SO2 004 (language training)
        "Integration measures – language training",
        "Enabling conditions",
        "Charter of Fundamental Rights",
    ):
        assert expected in overview, expected
    assert "Development of integration strategies" not in overview  # SO2 001: the file has no SO2 001
    assert "Indicative timetable" not in overview  # a 2014-2020 part the 2021-2027 template lacks
    financing = _page(client, f"{url}/financing/")
    for expected in (
        "Financial appropriations by year",
        "Initial allocation",
        "Mid-term review",
        "Total allocations by specific objective and type of action",
        "Actions listed in Annex IV",
        "Operating support",
        "Co-financing rate",
        'data-testid="allocations-eu">196,000,000.00',
        'data-testid="appropriations-total">196,000,000.00',
        "Share of each specific objective in the initial allocation",
        "Thematic facility",
        "Appendix 1: unit costs, lump sums and flat rates",
        "Appendix 2: financing not linked to costs",
    ):
        assert expected in financing, expected
    assert "Table 1: financing plan" not in financing and "basic allocation" not in financing
    indicators = _page(client, f"{url}/indicators/")
    assert "Milestone (2024)" in indicators and "Target (2029)" in indicators and "4,000.00" in indicators
    texts = _page(client, f"{url}/texts/")
    assert "Communication and visibility" in texts and "Partnership" in texts
    assert "6.2 Monitoring committee" not in texts  # a 2014-2020 section the file has no text for


def test_the_pages_of_a_2014_2020_programme_keep_their_tables(client: Any, belgian: Any) -> None:
    financing = _page(client, "/programmes/2014BE65AMNP001/v2/financing/")
    assert "Table 1: financing plan" in financing and "Financial appropriations by year" not in financing
    assert "Milestone (2024)" not in _page(client, "/programmes/2014BE65AMNP001/v2/indicators/")


def test_the_documented_2021_2027_example_passes_every_rule() -> None:
    from django.conf import settings as django_settings

    text = (django_settings.BASE_DIR / "docs" / "programme-format.md").read_text(encoding="utf-8")
    example = text.split("### A complete 2021-2027 example")[1].split("```yaml\n")[1].split("```")[0]
    doc = loads(example, "example.yaml")
    assert schema_errors(doc) == []
    assert [f.code for f in validate_document(doc)] == ["VALID"]
    assert doc == small()


@pytest.mark.django_db
def test_the_workbook_of_a_2021_2027_programme_has_its_financing_tables(
    belgian_2021: ProgrammeVersion,
) -> None:
    import io

    from openpyxl import load_workbook

    from amis.programme.exchange.xlsx import workbook_bytes

    wb = load_workbook(io.BytesIO(workbook_bytes(selectors.version_document(belgian_2021))))
    allocations = wb["Allocations"]
    rows = list(allocations.iter_rows(min_row=4, values_only=True))
    assert rows[0][:8] == ("SO1", "regular", "total", 48000000, 16000000, 0, 64000000, 75)
    assert rows[-1][0] == "TOTAL" and rows[-1][3] == 196000000
    appropriations = list(wb["Appropriations"].iter_rows(min_row=4, values_only=True))
    assert appropriations[0][0] == "initial_allocation" and appropriations[-1][-1] == 196000000
    assert [c.value for c in wb["Indicators"][3]][-1] == "Milestone (2024)"


def _moved(amount: str, to: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """The small file, and a copy that moves `amount` of EU contribution from SO1's regular line to line
    `to`, the national contributions unchanged."""
    old, new = small(), small()
    new["version"]["number"] = 2
    lines = new["allocations"]
    lines[0]["eu_contribution"] = f"{Decimal(lines[0]['eu_contribution']) - Decimal(amount):.2f}"
    lines[to]["eu_contribution"] = f"{Decimal(lines[to]['eu_contribution']) + Decimal(amount):.2f}"
    return old, new


def test_a_move_between_types_of_action_of_one_objective_needs_no_decision() -> None:
    from amis.programme.rules.versions import diff, needs_new_decision

    changes = diff(*_moved("10000.00", 4))  # SO1 regular -> SO1 Annex IV
    assert {c.path for c in changes} == {
        "allocations[SO1.regular].eu_contribution",
        "allocations[SO1.annex_iv].eu_contribution",
    }
    assert not needs_new_decision(changes)
    assert "within SO1" in changes[0].reason


def test_a_transfer_between_objectives_within_article_24_5_needs_no_decision() -> None:
    from amis.programme.rules.versions import diff, needs_new_decision

    # 30,000 is 5 % of SO1's 600,000 and 3.2 % of the programme's 945,000
    changes = diff(*_moved("30000.00", 2))  # SO1 regular -> SO2 operating support
    assert not needs_new_decision(changes)
    assert all("Regulation (EU) 2021/1060, Art. 24(5)" in c.reason for c in changes)
    # 30,000.01 is more than 5 % of SO1's initial allocation
    assert needs_new_decision(diff(*_moved("30000.01", 2)))


def test_a_change_of_a_thematic_facility_line_needs_a_decision() -> None:
    from amis.programme.rules.versions import diff, needs_new_decision

    changes = diff(*_moved("1000.00", 1))  # SO1 regular -> SO2 specific actions
    assert needs_new_decision(changes)
    assert any("thematic facility" in c.reason for c in changes if c.needs_decision)


@pytest.mark.django_db
def test_the_cli_imports_the_belgian_2021_file_and_prints_its_financing_tables() -> None:
    import json
    from io import StringIO

    from django.core.management import call_command

    from amis.demo.programme import BELGIAN_2021_FILE

    def run(*args: str) -> str:
        out = StringIO()
        call_command("programme", *args, stdout=out, stderr=StringIO())
        return out.getvalue()

    assert "Imported 2021BE65AMPR001 version 1 (adopted)" in run("import", str(BELGIAN_2021_FILE))
    data = json.loads(run("financing-plan", "2021BE65AMPR001", "--version", "1", "--format", "json"))
    annex = data["annex_v"]
    assert (annex["eu_contribution"], annex["appropriations_total"]) == ("196000000.00", "196000000.00")
    assert annex["allocations"][5]["co_financing_rate"] == "90.00"  # SO2 specific actions, public basis
    assert annex["share_of_initial_allocation"]["SO1"] == "47.02"  # 79,000,000 / 168,000,000
    table = run("financing-plan", "2021BE65AMPR001", "--version", "1")
    assert "SO2  specific_actions" in table and "196,000,000.00" in table
    exported = run("export", "2021BE65AMPR001", "--version", "1", "--format", "json")
    assert json.loads(exported)["format"] == "amis-programme/2"


@pytest.mark.django_db
def test_the_api_gives_the_2021_2027_tables_and_indicator_milestones(client: Any, belgian_2021: Any) -> None:
    base = "/api/v1/programmes/2021BE65AMPR001/versions/1"
    plan = client.get(f"{base}/financing-plan").json()
    assert plan["annex_v"]["total"] == "246666666.67"
    indicators = client.get(f"{base}/indicators").json()
    assert (indicators[0]["type"], indicators[0]["milestone"]) == ("output", "4000.00")


@pytest.mark.django_db
def test_a_new_draft_of_a_2021_2027_version_keeps_its_template_parts(belgian_2021: ProgrammeVersion) -> None:
    draft = services.version_create_draft(source=belgian_2021)
    assert draft.file_format == 2
    before = selectors.version_document(belgian_2021)
    after = selectors.version_document(draft)
    for key in (
        "appropriations",
        "allocations",
        "thematic_facility",
        "simplified_costs",
        "enabling_conditions",
    ):
        assert after[key] == before[key], key
    assert after["control_totals"] == before["control_totals"]


@pytest.mark.django_db
def test_a_format_1_file_round_trips_byte_for_byte(belgian_doc: dict[str, Any]) -> None:
    text = dumps_yaml(selectors.version_document(services.programme_import(document=belgian_doc)))
    assert text.startswith("format: amis-programme/1\n")
    again = loads(text.replace("2014BE65AMNP001", "2014BE65AMNP002"), "again.yaml")
    second = dumps_yaml(selectors.version_document(services.programme_import(document=again)))
    assert second == text.replace("2014BE65AMNP001", "2014BE65AMNP002")


@pytest.mark.django_db
def test_the_contributions_of_a_2021_2027_draft_are_changed_audited_and_locked(
    belgian_2021: ProgrammeVersion,
) -> None:
    from amis.core.errors import ApplicationError, StaleObjectError
    from amis.core.models import AuditEntry

    draft = services.version_create_draft(source=belgian_2021)
    new = {
        "eu_contribution": Decimal("47000000.00"),
        "national_public": Decimal("16000000.00"),
        "national_private": Decimal("0.00"),
    }
    moved = {
        "eu_contribution": Decimal("10000000.00"),
        "national_public": Decimal("0.00"),
        "national_private": Decimal("0.00"),
    }
    changed = services.version_update_allocations(
        version=draft,
        expected_lock_version=draft.lock_version,
        contributions={
            "SO1.regular": new,
            "SO1.operating_support": {**moved, "eu_contribution": Decimal("13000000.00")},
        },
        actor_label="test",
    )
    line = AllocationLine.objects.get(version=draft, specific_objective="SO1", type_of_action="regular")
    assert line.eu_contribution == Decimal("47000000.00")
    exported = selectors.version_document(changed)
    assert exported["allocations"][0]["co_financing_rate"] == "74.60"  # 47 / 63 million
    entry = AuditEntry.objects.filter(actor_label="test", action="update").latest("id")
    assert entry.before == {
        "SO1.regular.eu_contribution": "48000000.00",
        "SO1.operating_support.eu_contribution": "12000000.00",
    }
    with pytest.raises(StaleObjectError):
        services.version_update_allocations(
            version=draft, expected_lock_version=draft.lock_version, contributions={}
        )
    with pytest.raises(ApplicationError, match="zero or more"):
        services.version_update_allocations(
            version=changed,
            expected_lock_version=changed.lock_version,
            contributions={"SO1.regular": {**new, "national_public": Decimal("-1.00")}},
        )
    with pytest.raises(ApplicationError, match="only a draft"):
        services.version_update_allocations(
            version=belgian_2021, expected_lock_version=belgian_2021.lock_version, contributions={}
        )


@pytest.mark.django_db
def test_the_allocation_form_of_a_2021_2027_draft(client: Any, belgian_2021: ProgrammeVersion) -> None:
    from amis.programme.tests.test_views import _authority

    draft = services.version_create_draft(source=belgian_2021)
    client.force_login(_authority("officer@amis.example", "ra_officer"))
    url = f"/programmes/2021BE65AMPR001/v{draft.number}/financing/edit/"
    form = _page(client, url)
    assert 'name="SO1.regular.eu_contribution" value="48,000,000.00"' in form  # as English writes it
    data = {"lock_version": str(draft.lock_version)}
    for line in selectors.version_document(draft)["allocations"]:
        for field in ("eu_contribution", "national_public", "national_private"):
            data[f"{line['specific_objective']}.{line['type_of_action']}.{field}"] = line[field]
    data["SO1.regular.national_public"] = "abc"
    refused = client.post(url, data)
    assert refused.status_code == 400 and "SO1.regular.national_public" in refused.content.decode()
    data["SO1.regular.national_public"] = "17000000.00"
    assert client.post(url, data).status_code == 302
    line = AllocationLine.objects.get(version=draft, specific_objective="SO1", type_of_action="regular")
    assert line.national_public == Decimal("17000000.00")
    assert client.post(url, data).status_code == 409  # the old lock version: stale
