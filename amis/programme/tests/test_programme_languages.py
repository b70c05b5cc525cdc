"""Every language a programme declares can be read and exported, whatever the interface language."""

from __future__ import annotations

import io
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from openpyxl import load_workbook

from amis.programme import services
from amis.programme.exchange.yamlio import loads

pytestmark = pytest.mark.django_db
CCI = "2014FI65AMNP001"
URL = f"/programmes/{CCI}/v2"


@pytest.fixture
def finnish(belgian_doc: dict[str, Any]) -> dict[str, Any]:
    """The Belgian figures as a Finnish programme written in Finnish and Swedish (one file, no mistake)."""
    belgian_doc["programme"].update(
        cci=CCI,
        member_state="FI",
        languages=["fi", "sv"],
        title={"fi": "Kansallinen ohjelma", "sv": "Nationellt program"},
    )
    belgian_doc["texts"]["executive_summary"] = {"fi": "Tiivistelmä.", "sv": "Sammanfattning."}
    so1 = belgian_doc["specific_objectives"][0]
    so1["name"] = {"fi": "Turvapaikka", "sv": "Asyl"}
    so1["national_objectives"][0]["name"] = {"fi": "Vastaanotto", "sv": "Mottagande"}
    services.programme_import(document=belgian_doc)
    return belgian_doc


def export(*args: str) -> str:
    out = StringIO()
    call_command("programme", "export", CCI, *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_yaml_export_keeps_every_language(finnish: dict[str, Any]) -> None:
    doc = loads(export("--language", "sv"), "x.yaml")
    assert doc["programme"]["title"] == {"fi": "Kansallinen ohjelma", "sv": "Nationellt program"}
    assert doc["texts"]["executive_summary"] == {"fi": "Tiivistelmä.", "sv": "Sammanfattning."}


@pytest.mark.parametrize(("language", "name"), [("fi", "SO1.NO1 Vastaanotto"), ("sv", "SO1.NO1 Mottagande")])
def test_the_workbook_exports_in_each_declared_language(
    finnish: dict[str, Any], tmp_path: Path, language: str, name: str
) -> None:
    target = tmp_path / "plan.xlsx"
    export("--format", "xlsx", "--language", language, "-o", str(target))
    sheet = load_workbook(io.BytesIO(target.read_bytes()))["Table 1 Financing plan"]
    assert name in [row[0] for row in sheet.iter_rows(values_only=True)]


def test_a_language_the_programme_does_not_declare_is_refused(finnish: dict[str, Any]) -> None:
    with pytest.raises(CommandError, match="written in fi, sv, not in de"):
        export("--format", "xlsx", "--language", "de", "-o", "x.xlsx")


def test_the_page_shows_the_programme_s_languages_in_a_dutch_interface(
    client: Client, finnish: dict[str, Any]
) -> None:
    client.post("/i18n/setlang/", {"language": "nl", "next": "/"})
    page = client.get(f"{URL}/texts/").content.decode()
    assert '<html lang="nl">' in page
    assert '<option value="fi" lang="fi">suomi (fi)</option>' in page
    assert '<option value="sv" lang="sv">svenska (sv)</option>' in page
    page = client.get(f"{URL}/texts/?text=sv").content.decode()
    assert '<div lang="sv"><p>Sammanfattning.</p></div>' in page
    assert '<h1><span lang="sv">Nationellt program</span></h1>' in page
    assert f'href="/programmes/{CCI}/v2/financing/?text=sv"' in page  # the choice follows the reader
    page = client.get(f"{URL}/texts/?text=fi").content.decode()
    assert '<div lang="fi"><p>Tiivistelmä.</p></div>' in page


def test_a_language_the_programme_does_not_have_is_ignored(client: Client, finnish: dict[str, Any]) -> None:
    page = client.get(f"{URL}/texts/?text=de").content.decode()
    assert '<div lang="fi"><p>Tiivistelmä.</p></div>' in page  # English absent: the first language


def test_the_workbook_download_follows_the_text_language(client: Client, finnish: dict[str, Any]) -> None:
    response = client.get(f"/programmes/{CCI}/v2/export.xlsx?text=sv")
    sheet = load_workbook(io.BytesIO(response.content))["Table 1 Financing plan"]
    assert "SO1.NO1 Mottagande" in [row[0] for row in sheet.iter_rows(values_only=True)]
