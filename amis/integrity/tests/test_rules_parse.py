"""Importing ESF/ISF project lists: CSV and XLSX, headers in EN/NL/FR, every problem with its row."""

from __future__ import annotations

import io
import time
import zipfile
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook

from amis.integrity.rules import RowError, parse, read_projects

NL_HEADER = (
    "Projectnummer;Titel;Begunstigde;Ondernemingsnummer;Omschrijving;"
    "Begindatum;Einddatum;Totale kost;EU-bijdrage"
)


def _csv(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def test_semicolon_csv_with_belgian_dates_and_amounts() -> None:
    data = _csv(
        NL_HEADER,
        "ESF-2023-117;Taal en werk;Vzw Integratie;0401.234.560;Nederlands op de werkvloer;"
        "01/01/2023;31/12/2024;1.234,56;740,74",
    )
    result = read_projects(data, "esf.csv", "ESF")
    assert result.errors == []
    assert result.warnings == []
    [project] = result.projects
    assert project.fund == "ESF"
    assert project.identifier == "ESF-2023-117"
    assert project.title == "Taal en werk"
    assert project.beneficiary_name == "Vzw Integratie"
    assert project.enterprise_number == "0401234560"
    assert project.description == "Nederlands op de werkvloer"
    assert (project.start, project.end) == (date(2023, 1, 1), date(2024, 12, 31))
    assert project.total_cost == Decimal("1234.56")
    assert project.eu_amount == Decimal("740.74")
    assert project.source_row == 2


def test_french_headers_comma_delimiter_quoted_amounts() -> None:
    data = _csv(
        "Numéro de projet,Titre,Bénéficiaire,Numéro d'entreprise,Description,Date de début,Date de fin,"
        "Coût total (EUR),Contribution UE",
        "FSI-22-3,Accueil,ASBL Accueil,BE0412345614,Accueil des primo-arrivants,2022-09-01,2023-08-31,"
        '"1,234,567.89","617,283.95"',
    )
    result = read_projects(data, "isf.csv", "ISF")
    assert result.errors == []
    [project] = result.projects
    assert project.enterprise_number == "0412345614"
    assert project.total_cost == Decimal("1234567.89")
    assert project.eu_amount == Decimal("617283.95")
    assert project.start == date(2022, 9, 1)


def test_tab_delimiter_and_english_aliases_in_any_case() -> None:
    data = _csv(
        "PROJECT ID\tProject Title\tVAT\tStart Date\tEnd Date",
        "X-1\tSkills\t0876543270\t01-02-2024\t28-02-2025",
    )
    result = read_projects(data, "export.txt", "ESF")
    assert result.errors == []
    [project] = result.projects
    assert (project.identifier, project.enterprise_number) == ("X-1", "0876543270")
    assert project.total_cost is None and project.eu_amount is None and project.description == ""


def test_utf8_bom_is_ignored() -> None:
    data = "\ufeff".encode() + _csv(NL_HEADER, "P1;Titel;Org;0401234560;;1/1/2023;31/12/2023;;")
    result = read_projects(data, "esf.csv", "ESF")
    assert result.errors == []
    assert result.projects[0].identifier == "P1"


def test_xlsx_first_sheet_with_excel_dates_and_numbers() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["ID", "Title", "KBO", "Begindatum", "Date de fin", "Total", "EU amount"])
    sheet.append(["ISF-9", "Border training", 401234560, datetime(2023, 5, 1), "30/04/2025", 1234.56, 1000])
    sheet.append([117, "Numeric id", "0401.234.560", 45000, date(2024, 1, 1), None, None])
    workbook.create_sheet("Notes").append(["ignored"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = read_projects(buffer.getvalue(), "isf.xlsx", "ISF")
    assert result.errors == []
    first, second = result.projects
    assert first.enterprise_number == "0401234560"  # the leading zero Excel dropped is restored
    assert (first.start, first.end) == (date(2023, 5, 1), date(2025, 4, 30))
    assert (first.total_cost, first.eu_amount) == (Decimal("1234.56"), Decimal("1000.00"))
    assert second.identifier == "117"
    assert (second.start, second.end, second.source_row) == (date(2023, 3, 15), date(2024, 1, 1), 3)


def test_every_bad_row_is_reported_with_its_row_number() -> None:
    data = _csv(
        NL_HEADER,
        "P1;Goed;Org;0401234560;;01/01/2023;31/12/2023;100;50",
        ";Zonder nummer;Org;0401234560;;01/01/2023;31/12/2023;;",
        "",
        "P4;Slechte datum;Org;0401234560;;31/02/2023;;1.234;x",
        "P5;Omgekeerd;Org;0401234560;;01/01/2024;31/12/2023;;",
    )
    result = read_projects(data, "esf.csv", "ESF")
    assert [p.identifier for p in result.projects] == ["P1"]
    found = {(e.row, e.column) for e in result.errors}
    assert found == {
        (3, "Projectnummer"),
        (5, "Begindatum"),
        (5, "Einddatum"),
        (5, "Totale kost"),
        (5, "EU-bijdrage"),
        (6, "Einddatum"),
    }
    messages = {(e.row, e.column): e.message for e in result.errors}
    assert "missing" in messages[(3, "Projectnummer")]
    assert "31/02/2023" in messages[(5, "Begindatum")]
    assert "can be read as 1234 or as 1.234" in messages[(5, "Totale kost")]
    assert "before the start date" in messages[(6, "Einddatum")]


def test_invalid_enterprise_number_is_a_warning_and_none() -> None:
    data = _csv(
        NL_HEADER, "P1;Titel;Org;0401.234.561;;01/01/2023;31/12/2023;;", "P2;Titel;Org;;;1/1/2023;2/1/2023;;"
    )
    result = read_projects(data, "esf.csv", "ESF")
    assert result.errors == []
    assert [p.enterprise_number for p in result.projects] == [None, None]
    assert [(w.row, w.column) for w in result.warnings] == [
        (0, ""),  # none of the projects can be matched: said once, in words
        (2, "Ondernemingsnummer"),
        (3, "Ondernemingsnummer"),
    ]
    assert "0401.234.561" in result.warnings[1].message


def test_missing_required_columns_and_unknown_columns() -> None:
    result = read_projects(_csv("Titel;Kleur;Begindatum", "T;rood;1/1/2023"), "esf.csv", "ESF")
    assert result.projects == []
    assert {(e.row, e.column) for e in result.errors} == {(1, "identifier"), (1, "end")}
    assert RowError(1, "Kleur", "Column 'Kleur' is not recognised and is ignored.") in result.warnings
    assert any(w.column == "enterprise_number" for w in result.warnings)


def test_two_columns_for_the_same_field_is_an_error() -> None:
    result = read_projects(_csv("ID;Titel;Title;Start;End"), "esf.csv", "ESF")
    assert [(e.row, e.column) for e in result.errors] == [(1, "Title")]


def test_file_level_problems_are_errors_on_row_zero() -> None:
    assert read_projects(b"", "esf.csv", "ESF").errors[0].row == 0
    assert read_projects(_csv(NL_HEADER), "esf.csv", "ESF").errors[0].row == 0  # headers, no projects
    assert "UTF-8" in read_projects(b"ID;Titel\n\xe9t\xe9", "esf.csv", "ESF").errors[0].message
    assert ".xlsx" in read_projects(b"PK\x03\x04garbage", "esf.xlsx", "ESF").errors[0].message
    assert ".xls" in read_projects(b"\xd0\xcf\x11\xe0rest", "esf.xls", "ESF").errors[0].message


# ---------------------------------------------------------------------------------------------------
# Limits (issue 10): a file that would take minutes or gigabytes is refused before it is read whole.


def _zip_bytes(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_an_xlsx_that_inflates_a_million_rows_is_refused_from_its_declared_sizes() -> None:
    row = b'<row><c t="inlineStr"><is><t>ESF-1</t></is></c></row>'
    sheet = b"<worksheet><sheetData>" + row * 1_000_000 + b"</sheetData></worksheet>"
    bomb = _zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": sheet})
    started = time.monotonic()
    errors = read_projects(bomb, "esf.xlsx", "ESF").errors
    assert time.monotonic() - started < 10
    assert (
        errors[0].row == 0
        and "would unpack to" in errors[0].message
        and "times its size" in errors[0].message
    )


def test_more_rows_than_the_limit_are_refused_without_reading_the_rest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(parse, "MAX_ROWS", 1000)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["ID", "Title", "Begindatum", "Einddatum"])
    for number in range(1001):
        sheet.append([f"ESF-{number}", "Project", "2024-01-01", "2024-12-31"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    for data, name in (
        (buffer.getvalue(), "esf.xlsx"),
        (
            _csv(
                *(["ID;Titel;Begindatum;Einddatum"] + [f"{n};x;2024-01-01;2024-12-31" for n in range(1001)])
            ),
            "esf.csv",
        ),
    ):
        errors = read_projects(data, name, "ESF").errors
        assert [(e.row, e.message) for e in errors] == [
            (0, "The file has more than 1,000 rows; split it into smaller lists.")
        ]


def test_a_file_over_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse, "MAX_BYTES", 1024 * 1024)
    errors = read_projects(b"ID;Titel\n" + b"x" * (1024 * 1024), "esf.csv", "ESF").errors
    assert errors[0].row == 0 and "at most 1 MB" in errors[0].message


def test_cells_longer_than_their_column_are_refused_and_control_characters_removed() -> None:
    data = _csv(
        "ID;Titel;Begindatum;Einddatum",
        f"ESF-1;{'x' * 501};2024-01-01;2024-12-31",
        "ESF-2;a\x00b\x0bc\x85d;2024-01-01;2024-12-31",
    )
    result = read_projects(data, "esf.csv", "ESF")
    assert [(e.row, e.column) for e in result.errors] == [(2, "Titel")]
    assert "At most 500 characters" in result.errors[0].message
    assert result.projects[0].title == "a b c d"
    assert [(w.row, w.column) for w in result.warnings if "Control characters" in w.message] == [(3, "Titel")]


def test_vat_numbers_of_other_member_states_are_read_and_checked() -> None:
    data = _csv(
        "ID;Titel;Begunstigde;USt-IdNr;Begindatum;Einddatum",
        "ESF-1;Sprache;Verein Integration;DE 136 695 976;2024-01-01;2024-12-31",
        "ESF-2;Langue;Association Accueil;FR40303265045;2024-01-01;2024-12-31",
        "ESF-3;Taal;Stichting Taal;NL004495445B01;2024-01-01;2024-12-31",
        "ESF-4;Langue;Association Fausse;FR40303265046;2024-01-01;2024-12-31",
        "ESF-5;Taal;Vzw Integratie;BE0401.234.560;2024-01-01;2024-12-31",
    )
    result = read_projects(data, "esf.csv", "ESF")
    assert result.errors == []
    assert [p.enterprise_number for p in result.projects] == [
        "DE136695976",
        "FR40303265045",
        "NL004495445B01",
        None,
        "0401234560",
    ]
    [bad] = result.warnings
    assert (bad.row, bad.column) == (5, "USt-IdNr") and "not a valid EU VAT number" in bad.message
