"""`amis programme ...` as a user runs it: JSON on stdout, clear errors, nothing saved on refusal."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from amis.demo.programme import BELGIAN_FILE
from amis.programme.exchange.yamlio import loads
from amis.programme.models import Programme

pytestmark = pytest.mark.django_db
CCI = "2014BE65AMNP001"


def run(*args: str) -> str:
    out = StringIO()
    call_command("programme", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_import_then_financing_plan_json() -> None:
    assert "Imported 2014BE65AMNP001 version 2 (adopted)" in run("import", str(BELGIAN_FILE))
    data = json.loads(run("financing-plan", CCI, "--version", "2", "--format", "json"))
    assert data["cci"] == CCI and data["version"] == 2 and data["total"] == "177261833.12"
    assert [(so["code"], so["total"]) for so in data["specific_objectives"]] == [
        ("SO1", "30010132.27"),
        ("SO2", "32718973.19"),
        ("SO3", "37534358.38"),
        ("SO4", "0.00"),
    ]
    assert data["specific_objectives"][0]["national_objectives"][0] == {
        "code": "NO1",
        "name": {"en": "Reception/asylum"},
        "total": "19617518.37",
        "programmed": True,
    }
    assert (data["technical_assistance"], data["special_cases"]) == ("6442369.28", "70556000.00")


def test_financing_plan_table_is_readable(belgian: Any) -> None:
    text = run("financing-plan", CCI, "--version", "2")
    assert "TOTAL SO1 Asylum" in text and "177,261,833.12" in text


def test_validate_json(belgian: Any) -> None:
    findings = json.loads(run("validate", CCI, "--version", "2", "--format", "json"))
    assert [(f["severity"], f["code"]) for f in findings] == [("info", "VALID"), ("warning", "2.15")]
    assert set(findings[0]) == {"severity", "code", "message", "reference"}


def test_diff_json_of_the_demo_draft(belgian: Any) -> None:
    data = json.loads(run("diff", CCI, "2", "3", "--format", "json"))
    assert data["needs_new_decision"] is False
    assert [(c["path"], c["before"], c["after"]) for c in data["changes"]] == [
        ("specific_objectives[SO3].national_objectives[NO2].amount", "22629929.52", "22379929.52"),
        ("specific_objectives[SO3].national_objectives[NO3].amount", "2250240.97", "2500240.97"),
    ]
    assert "No new Commission decision is needed." in run("diff", CCI, "2", "3")


def test_export_yaml_json_xlsx(belgian: Any, tmp_path: Path) -> None:
    yaml_file, json_file, xlsx_file = tmp_path / "p.yaml", tmp_path / "p.json", tmp_path / "p.xlsx"
    run("export", CCI, "--version", "2", "-o", str(yaml_file))
    run("export", CCI, "--version", "2", "--format", "json", "-o", str(json_file))
    run("export", CCI, "--version", "2", "--format", "xlsx", "-o", str(xlsx_file))
    assert loads(yaml_file.read_text(), "p.yaml") == json.loads(json_file.read_text())
    assert load_workbook(xlsx_file).sheetnames[0] == "Table 1 Financing plan"
    latest = loads(run("export", CCI), "x.yaml")
    assert latest["version"]["number"] == 3


def test_importing_a_bad_file_names_the_field_and_saves_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        BELGIAN_FILE.read_text().replace(
            'technical_assistance: "6442369.28"', "technical_assistance: 6442369.2"
        )
    )
    with pytest.raises(CommandError) as refused:
        run("import", str(bad))
    assert "$.technical_assistance" in str(refused.value)
    assert "6442369.2" in str(refused.value)
    assert not Programme.objects.exists()


def test_unreadable_and_missing_files_are_refused(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("format: [unclosed\n")
    with pytest.raises(CommandError, match="not valid YAML or JSON"):
        run("import", str(broken))
    with pytest.raises(CommandError, match="no such file"):
        run("import", str(tmp_path / "missing.yaml"))


def test_unknown_programme_or_version(belgian: Any) -> None:
    with pytest.raises(CommandError, match="No programme version 9 of 2014BE65AMNP001"):
        run("validate", CCI, "--version", "9")
    assert json.loads(run("list", "--format", "json"))[0]["versions"] == [
        {"number": 2, "status": "adopted"},
        {"number": 3, "status": "draft"},
    ]


def test_validate_and_diff_write_their_messages_in_the_chosen_language(belgian: Any) -> None:
    french = run("validate", CCI, "--version", "2", "--messages", "fr")
    assert "La version du programme a été validée." in french
    assert "Programme version has been validated." in run("validate", CCI, "--version", "2")
    german = json.loads(run("validate", CCI, "--version", "2", "--format", "json", "--messages", "de"))
    assert german[0]["message"] == "Die Programmversion wurde validiert."
    assert "Regulation" in german[0]["reference"] or "802/2014" in german[0]["reference"]  # cited as is
    with pytest.raises(CommandError):
        run("validate", CCI, "--version", "2", "--messages", "xx")
