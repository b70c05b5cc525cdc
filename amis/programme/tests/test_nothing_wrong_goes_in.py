"""Issue 11, section 2: nothing wrong goes in silently, in either period.

Each test makes one mistake in an otherwise correct document (the Belgian programme, or a small
hand-made YAML file) and checks that import, validation or the decision logic says so.
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from amis.core.models import AuditEntry
from amis.programme import selectors, services
from amis.programme.exchange.yamlio import dumps_yaml
from amis.programme.models import Programme, ProgrammeVersion
from amis.programme.rules.validate import validate_document

RESETTLEMENT = 0  # special_cases.types[0]


def codes(doc: dict[str, Any], catalogue: dict[tuple[str, str], str] | None = None) -> list[str]:
    return [f.code for f in validate_document(doc, catalogue) if f.severity == "error"]


def messages(doc: dict[str, Any]) -> str:
    return "\n".join(f"{f.message} ({f.reference})" for f in validate_document(doc))


def draft(doc: dict[str, Any]) -> dict[str, Any]:
    doc["version"]["status"] = "draft"
    return doc


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("programme", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path: Path, doc: dict[str, Any], name: str = "programme.yaml") -> Path:
    path = tmp_path / name
    path.write_text(dumps_yaml(doc), encoding="utf-8")
    return path


# -- 2. checks that were missing -----------------------------------------------------------------


def test_a_lump_sum_that_is_not_a_rate_of_the_period(belgian_doc: dict[str, Any]) -> None:
    belgian_doc["special_cases"]["types"][RESETTLEMENT]["pledges"][0]["lump_sum"] = "7500.00"
    findings = [f for f in validate_document(belgian_doc) if f.code == "T2.RATE"]
    assert len(findings) == 1
    assert "pledge 1" in findings[0].message and "7,500.00" in findings[0].message
    assert "6,000.00, 10,000.00" in findings[0].message
    assert findings[0].reference.startswith("Regulation (EU) No 516/2014, Art. 17")  # from period-rules.yaml


def test_the_2021_2027_rates_are_the_2021_2027_rates(belgian_doc: dict[str, Any]) -> None:
    belgian_doc["programme"].update(cci="2021BE65AMPR001", period="2021-2027")
    belgian_doc["special_cases"]["types"][RESETTLEMENT]["pledges"][0]["lump_sum"] = "7500.00"
    finding = next(f for f in validate_document(belgian_doc) if f.code == "T2.RATE")
    assert "2021/1147" in finding.reference and "2021-2027" in finding.message


def test_a_member_state_that_is_not_the_cci_s(belgian_doc: dict[str, Any]) -> None:
    belgian_doc["programme"].update(cci="2014FI65AMNP001", member_state="SE")
    finding = next(f for f in validate_document(belgian_doc) if f.code == "CCI.MISMATCH")
    assert "names member state FI, but the file declares SE" in finding.message
    assert finding.reference.startswith("Implementing Regulation (EU) No 802/2014")


@pytest.mark.parametrize(
    ("programme", "message"),
    [
        ({"cci": "2014BE65ISNP001"}, "fund code IS (ISF), but the file declares AMIF"),
        ({"cci": "2021BE65AMNP001"}, "starts with 2021, but the period 2014-2020 starts in 2014"),
        ({"cci": "2014BE65AMPR001"}, "programme type PR, but a 2014-2020 programme is NP"),
        ({"period": "2021-2027"}, "starts with 2014, but the period 2021-2027 starts in 2021"),
    ],
)
def test_a_cci_that_does_not_match_the_declared_fund_or_period(
    belgian_doc: dict[str, Any], programme: dict[str, str], message: str
) -> None:
    belgian_doc["programme"].update(programme)
    assert message in messages(belgian_doc)


def test_a_2021_2027_cci_is_read_too(belgian_doc: dict[str, Any]) -> None:
    belgian_doc["programme"].update(cci="2021BE65AMPR001", period="2021-2027")
    assert not [c for c in codes(belgian_doc) if c.startswith("CCI")]
    belgian_doc["programme"]["cci"] = "2021BE65BVPR001"
    finding = next(f for f in validate_document(belgian_doc) if f.code == "CCI.MISMATCH")
    assert "fund code BV (BMVI)" in finding.message and "2021/1060" in finding.reference


def test_a_table3_year_outside_the_period(belgian_doc: dict[str, Any]) -> None:
    belgian_doc["annual_commitments"][1]["amounts"]["2021"] = "0.00"
    finding = next(f for f in validate_document(belgian_doc) if f.code == "T3.YEAR")
    assert "row 2 (integration_and_return) has an amount for 2021" in finding.message
    assert "Table 3" in finding.reference


def test_no_table3_at_all(belgian_doc: dict[str, Any]) -> None:
    del belgian_doc["annual_commitments"]
    belgian_doc["control_totals"] = {
        k: v for k, v in belgian_doc["control_totals"].items() if not k.startswith("table3")
    }
    assert codes(belgian_doc) == ["T3.MISSING"]


CATALOGUE = {("SO1", "C1"): "number", ("SO1", "C2.2"): "percent"}


def test_an_indicator_code_not_in_the_catalogue(belgian_doc: dict[str, Any]) -> None:
    del belgian_doc["specific_objectives"][1:]
    belgian_doc["specific_objectives"][0]["indicators"] = [
        dict(belgian_doc["specific_objectives"][0]["indicators"][0], code="C9")
    ]
    findings = [f for f in validate_document(belgian_doc, CATALOGUE) if f.code.startswith("IND")]
    assert [f.code for f in findings] == ["IND.UNKNOWN"]
    assert "SO1 indicator C9" in findings[0].message
    assert findings[0].reference == "Regulation (EU) No 516/2014, Annex IV"


def test_a_common_indicator_with_the_wrong_unit(belgian_doc: dict[str, Any]) -> None:
    del belgian_doc["specific_objectives"][1:]
    indicator = next(i for i in belgian_doc["specific_objectives"][0]["indicators"] if i["code"] == "C2.2")
    indicator["unit"] = "number"
    belgian_doc["specific_objectives"][0]["indicators"] = [indicator]
    findings = [f for f in validate_document(belgian_doc, CATALOGUE) if f.code.startswith("IND")]
    assert [f.code for f in findings] == ["IND.UNIT"]
    assert "measured in number, but the catalogue's unit for it is percent" in findings[0].message


@pytest.mark.django_db
def test_the_belgian_indicators_match_the_shipped_catalogue(belgian_doc: dict[str, Any]) -> None:
    catalogue = selectors.common_indicator_catalogue("AMIF", "2014-2020")
    assert catalogue and not [c for c in codes(belgian_doc, catalogue) if c.startswith("IND")]


# -- 1. import runs the submission check ---------------------------------------------------------


@pytest.mark.django_db
def test_an_adopted_file_with_rule_errors_is_refused_with_every_finding(belgian_doc: dict[str, Any]) -> None:
    belgian_doc["special_cases"]["types"][RESETTLEMENT]["pledges"][0]["lump_sum"] = "7500.00"
    belgian_doc["annual_commitments"][0]["amounts"]["2013"] = "0.00"
    audit_before = AuditEntry.objects.count()
    with pytest.raises(services.ProgrammeFileError) as refused:
        services.programme_import(document=belgian_doc)
    problems = [code for code, _ in refused.value.problems]
    assert {"T2.RATE", "T2.LUMPSUM", "T3.YEAR"} <= set(problems)
    assert not Programme.objects.exists() and AuditEntry.objects.count() == audit_before


@pytest.mark.django_db
def test_a_submitted_file_with_an_indicator_error_is_refused(belgian_doc: dict[str, Any]) -> None:
    belgian_doc["version"]["status"] = "submitted"
    belgian_doc["specific_objectives"][0]["indicators"][0]["code"] = "C99"
    with pytest.raises(services.ProgrammeFileError, match="IND.UNKNOWN"):
        services.programme_import(document=belgian_doc)


@pytest.mark.django_db
def test_format_problems_and_rule_findings_are_listed_together(belgian_doc: dict[str, Any]) -> None:
    belgian_doc["technical_assistance"] = "600000,00"
    belgian_doc["programme"].update(cci="2014FI65AMNP001", member_state="SE")
    with pytest.raises(services.ProgrammeFileError) as refused:
        services.programme_import(document=draft(belgian_doc))
    problems = dict(refused.value.problems)
    assert "$.technical_assistance" in problems and "CCI.MISMATCH" in problems


@pytest.mark.django_db
def test_a_draft_imports_with_its_findings_shown(belgian_doc: dict[str, Any], tmp_path: Path) -> None:
    belgian_doc["special_cases"]["types"][RESETTLEMENT]["pledges"][0]["lump_sum"] = "7500.00"
    out, _ = run("import", str(write(tmp_path, draft(belgian_doc))))
    assert "Imported 2014BE65AMNP001 version 2 (draft)" in out
    assert "T2.RATE" in out and "T2.LUMPSUM" in out and "cannot be submitted" in out
    assert ProgrammeVersion.objects.get().status == "draft"


@pytest.mark.django_db
def test_the_cli_refuses_an_adopted_file_and_lists_every_finding(
    belgian_doc: dict[str, Any], tmp_path: Path
) -> None:
    belgian_doc["special_cases"]["types"][RESETTLEMENT]["pledges"][0]["lump_sum"] = "7500.00"
    belgian_doc["annual_commitments"][0]["amounts"]["2013"] = "0.00"
    with pytest.raises(CommandError) as refused:
        run("import", str(write(tmp_path, belgian_doc)))
    assert "T2.RATE" in str(refused.value) and "T3.YEAR" in str(refused.value)
    assert not Programme.objects.exists()


# -- 3. clearer messages -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_comma_amount_says_how_amounts_are_written(belgian_doc: dict[str, Any]) -> None:
    belgian_doc["specific_objectives"][0]["national_objectives"][0]["amount"] = "600000,00"
    with pytest.raises(services.ProgrammeFileError) as refused:
        services.programme_import(document=belgian_doc)
    message = dict(refused.value.problems)["$.specific_objectives[0].national_objectives[0].amount"]
    assert "amounts are written 600000.00 (a point, two decimals, no thousands separator)" in message
    assert "is not valid under any of the given schemas" not in refused.value.message


@pytest.mark.django_db
def test_a_negative_amount_is_refused_with_its_path(belgian_doc: dict[str, Any], tmp_path: Path) -> None:
    belgian_doc["annual_commitments"][0]["amounts"]["2014"] = "-4704189.95"
    with pytest.raises(CommandError) as refused:
        run("import", str(write(tmp_path, belgian_doc)))
    assert "$.annual_commitments[0].amounts.2014: '-4704189.95' is negative" in str(refused.value)
    assert "IntegrityError" not in str(refused.value) and not Programme.objects.exists()


def test_t3_total_says_which_row_and_year_and_by_how_much(belgian_doc: dict[str, Any]) -> None:
    belgian_doc["annual_commitments"][1]["amounts"]["2016"] = "1.00"
    del belgian_doc["control_totals"]
    message = next(f.message for f in validate_document(belgian_doc) if f.code == "T3.TOTAL")
    assert "less than the Table 1 total 177,261,833.12" in message
    assert "row integration_and_return: " in message and "2016 1.00" in message


def test_t2_lumpsum_names_the_pledge(belgian_doc: dict[str, Any]) -> None:
    belgian_doc["special_cases"]["types"][RESETTLEMENT]["pledges"][1]["persons"]["2014-2015"] = 101
    del belgian_doc["control_totals"]
    message = next(f.message for f in validate_document(belgian_doc) if f.code == "T2.LUMPSUM")
    assert "10,000.00 apart" in message
    assert "pledge 2: 101 in 2014-2015, 87 in 2018-2020 x 10,000.00 = 1,880,000.00" in message


# -- 4. validate exits non-zero on errors --------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["table", "json"])
def test_validate_exits_non_zero_on_errors(belgian_doc: dict[str, Any], fmt: str) -> None:
    belgian_doc["special_cases"]["types"][RESETTLEMENT]["pledges"][0]["lump_sum"] = "7500.00"
    services.programme_import(document=draft(belgian_doc))
    out = StringIO()
    with pytest.raises(CommandError, match="has 2 error"):
        call_command("programme", "validate", "2014BE65AMNP001", "--format", fmt, stdout=out)
    if fmt == "json":
        assert {f["code"] for f in json.loads(out.getvalue())} >= {"T2.RATE", "T2.LUMPSUM"}
    else:
        assert "T2.RATE" in out.getvalue()


def test_2021_2027_table_findings_cite_the_cpr(belgian_doc: dict[str, Any]) -> None:
    belgian_doc["programme"].update(cci="2021BE65AMPR001", period="2021-2027")
    belgian_doc["control_totals"]["table1.total"] = "1.00"
    findings = {f.code: f for f in validate_document(belgian_doc)}
    assert "outside the programme's period 2021-2027" in findings["T3.YEAR"].message
    assert findings["T3.YEAR"].reference.startswith("Regulation (EU) 2021/1060")
    assert findings["TOTAL.MISMATCH"].reference == "Regulation (EU) 2021/1060, Art. 22(3)(g) and Annex V"
