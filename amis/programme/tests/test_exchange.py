"""The programme file format: schema, import, export, round trip, and refusal of bad files."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from openpyxl import load_workbook

from amis.core.models import AuditEntry
from amis.programme import selectors, services
from amis.programme.exchange.schema import schema_errors
from amis.programme.exchange.xlsx import workbook_bytes
from amis.programme.exchange.yamlio import dumps_json, dumps_yaml, loads
from amis.programme.models import NationalObjective, Programme, ProgrammeVersion

pytestmark = pytest.mark.django_db


def test_the_belgian_file_matches_the_schema(belgian_doc: dict[str, Any]) -> None:
    assert schema_errors(belgian_doc) == []


def test_import_export_import_is_lossless(belgian_doc: dict[str, Any]) -> None:
    first = services.programme_import(document=belgian_doc)
    exported = selectors.version_document(first)
    # the export is the file; it declares every total, the file only those the seed prints
    declared = belgian_doc.pop("control_totals")
    computed = exported.pop("control_totals")
    assert declared.items() <= computed.items()
    assert set(computed) - set(declared) == {"table1.SO4.NO", "table1.SO4.SA"}
    assert exported == {**belgian_doc, "timetable": exported["timetable"]}
    exported["control_totals"] = computed
    assert [{k: v for k, v in row.items() if v is not None} for row in exported["timetable"]] == [
        {k: v for k, v in row.items() if v is not None} for row in belgian_doc["timetable"]
    ]
    # through text, into a second programme, and out again: identical
    for dump in (dumps_yaml, dumps_json):
        again = loads(dump(exported), "x.json" if dump is dumps_json else "x.yaml")
        again["programme"]["cci"] = "2014BE65AMNP00" + ("2" if dump is dumps_yaml else "3")
        second = services.programme_import(document=again)
        assert selectors.version_document(second) == again


def test_unquoted_money_in_yaml_stays_exact() -> None:
    doc = loads("amount: 2000000.10\nyears: {2014: 1.10}\n", "x.yaml")
    assert doc == {"amount": "2000000.10", "years": {"2014": "1.10"}}


def test_a_bad_file_is_refused_with_the_path_and_nothing_is_saved(belgian_doc: dict[str, Any]) -> None:
    belgian_doc["specific_objectives"][0]["national_objectives"][0]["amount"] = "19617518.375"
    belgian_doc["authorities"][0]["kind"] = "boss"
    audit_before = AuditEntry.objects.count()
    with pytest.raises(services.ProgrammeFileError) as refused:
        services.programme_import(document=belgian_doc)
    paths = [p for p, _ in refused.value.problems]
    assert "$.specific_objectives[0].national_objectives[0].amount" in paths
    assert "$.authorities[0].kind" in paths
    assert "19617518.375" in refused.value.message
    assert Programme.objects.count() == 0 and AuditEntry.objects.count() == audit_before


def test_parts_that_do_not_add_up_to_a_control_total_are_refused(belgian_doc: dict[str, Any]) -> None:
    belgian_doc["specific_objectives"][2]["national_objectives"][1]["amount"] = "22629929.53"
    with pytest.raises(services.ProgrammeFileError) as refused:
        services.programme_import(document=belgian_doc)
    assert "'table1.SO3.NO' is 29,780,695.26 but its parts add up to 29,780,695.27" in refused.value.message
    assert not Programme.objects.exists()


def test_a_version_cannot_be_imported_twice(belgian_doc: dict[str, Any]) -> None:
    services.programme_import(document=belgian_doc)
    with pytest.raises(services.ProgrammeFileError, match="already has version 2"):
        services.programme_import(document=belgian_doc)
    assert ProgrammeVersion.objects.count() == 1


def test_an_unknown_fund_is_refused(belgian_doc: dict[str, Any]) -> None:
    belgian_doc["programme"]["member_state"] = "XX"
    with pytest.raises(services.ProgrammeFileError, match="'XX' is not a member state known to AMIS"):
        services.programme_import(document=belgian_doc)


def test_import_is_audited(belgian_doc: dict[str, Any]) -> None:
    version = services.programme_import(document=belgian_doc, actor_label="test import")
    entries = AuditEntry.objects.filter(actor_label="test import")
    assert {(e.action, e.object_type) for e in entries} == {
        ("create", "programme.Programme"),
        ("import", "programme.ProgrammeVersion"),
    }
    assert entries.get(action="import").object_id == str(version.pk)


def test_excel_export_has_numbers_as_numbers(belgian: Any) -> None:
    wb = load_workbook(io.BytesIO(workbook_bytes(selectors.version_document(belgian))))
    assert wb.sheetnames == [
        "Table 1 Financing plan",
        "Table 2 Special cases",
        "Table 3 Annual commitments",
        "Pledging plans",
        "Indicators",
    ]
    t1 = {row[0]: row[1] for row in wb["Table 1 Financing plan"].iter_rows(min_row=4, values_only=True)}
    assert t1["TOTAL"] == pytest.approx(177261833.12, abs=0.001)
    assert isinstance(t1["TOTAL SO1 Asylum"], float | int)
    assert wb["Table 1 Financing plan"]["B4"].number_format == "#,##0.00"
    t3 = list(wb["Table 3 Annual commitments"].iter_rows(min_row=4, values_only=True))
    assert t3[-1][0] == "TOTAL" and t3[-1][-1] == pytest.approx(177261833.12, abs=0.001)
    t2 = list(wb["Table 2 Special cases"].iter_rows(min_row=4, values_only=True))
    assert t2[-1][-1] == pytest.approx(70556000.00)


def test_exported_json_is_the_document(belgian: Any) -> None:
    doc = selectors.version_document(belgian)
    assert json.loads(dumps_json(doc)) == doc
    assert NationalObjective.objects.filter(specific_objective__version=belgian).count() == 9


def test_excel_export_writes_texts_as_text_and_amounts_as_numbers(belgian: Any) -> None:
    """A name that starts like a formula stays text (issue 10, §4.1); amounts stay numbers."""
    doc = selectors.version_document(belgian)
    indicators = [ind for so in doc["specific_objectives"] for ind in so.get("indicators", [])]
    indicators[0]["name"] = {"en": '=HYPERLINK("http://x","y")'}
    indicators[1]["unit"] = "-1+2"
    sheet = load_workbook(io.BytesIO(workbook_bytes(doc)))["Indicators"]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not any(cell.data_type == "f" for cell in cells)
    texts = [cell for cell in cells if isinstance(cell.value, str)]
    assert all(cell.data_type == "s" for cell in texts)
    assert {cell.value for cell in texts if cell.quotePrefix} == {'=HYPERLINK("http://x","y")', "-1+2"}
    numbers = [row[4:6] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert numbers and all(isinstance(value, float | int) for pair in numbers for value in pair)


def test_spreadsheet_cells_neutralise_formula_starts() -> None:
    from decimal import Decimal

    from amis.core.spreadsheet import csv_row

    assert csv_row(["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "ok", -5, Decimal("-1.50")]) == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
        "ok",
        -5,
        Decimal("-1.50"),
    ]


def test_an_import_refusal_is_in_the_readers_language(belgian_doc: dict[str, Any]) -> None:
    from django.utils import translation

    services.programme_import(document=belgian_doc)
    with translation.override("fr"), pytest.raises(services.ProgrammeFileError) as refused:
        services.programme_import(document=belgian_doc)
    assert refused.value.message.startswith("Le fichier du programme n’a pas été importé (1 problème) :")
    assert "Le programme 2014BE65AMNP001 a déjà une version 2." in refused.value.message
