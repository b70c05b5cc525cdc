"""Lists as authorities really get them, one problem per file (issue 16 §1): each is refused or
warned about with its row and column, never imported in silence."""

from __future__ import annotations

from decimal import Decimal

import pytest

from amis.integrity.rules import read_projects
from amis.integrity.rules.records import RowError, grouped

HEADER = "Projectnummer;Titel;Begunstigde;Ondernemingsnummer;Begindatum;Einddatum;Totale kost;EU-bijdrage"


def _read(*rows: str, number_format: str = "") -> tuple[list[RowError], list[RowError], list[str]]:
    data = ("\r\n".join((HEADER, *rows)) + "\r\n").encode("utf-8")
    result = read_projects(data, "esf.csv", "ESF", number_format)
    return result.errors, result.warnings, [p.identifier for p in result.projects]


def _row(
    identifier: str = "P1", *, kbo: str = "0401.234.560", total: str = "1.000,00", eu: str = "500,00"
) -> str:
    return f"{identifier};Taal en werk;Vzw Integratie;{kbo};01/01/2023;31/12/2023;{total};{eu}"


def test_an_eu_amount_above_the_total_is_refused_on_its_row_and_column() -> None:
    errors, _warnings, _ids = _read(_row("P1"), _row("P2", total="812.016,00", eu="900.000,00"))
    assert [(e.row, e.column) for e in errors] == [(3, "EU-bijdrage")]
    assert errors[0].message == "The EU amount 900,000.00 is above the total cost 812,016.00."


def test_a_negative_amount_is_refused() -> None:
    errors, _w, _ids = _read(_row("P1", eu="-5,00"))
    assert [(e.row, e.column) for e in errors] == [(2, "EU-bijdrage")]
    assert "negative" in errors[0].message


def test_a_missing_identifier_is_refused() -> None:
    errors, _w, _ids = _read(_row(""))
    assert [(e.row, e.column) for e in errors] == [(2, "Projectnummer")]
    assert "missing" in errors[0].message


def test_duplicate_identifiers_are_refused_naming_both_rows() -> None:
    errors, _w, ids = _read(_row("P1"), _row("P2"), _row("P1"), _row("P2"))
    assert [(e.row, e.column) for e in errors] == [(4, "Projectnummer"), (5, "Projectnummer")]
    assert errors[0].message == "The project identifier 'P1' is already on row 2: each project once."
    assert "row 3" in errors[1].message
    assert ids == ["P1", "P2"]  # the caller refuses the whole file: errors is not empty


def test_an_identifier_over_100_characters_is_refused() -> None:
    errors, _w, _ids = _read(_row("E" * 101))
    assert [(e.row, e.column) for e in errors] == [(2, "Projectnummer")]
    assert "At most 100 characters (this cell has 101)" in errors[0].message


@pytest.mark.parametrize(
    ("total", "number_format", "expected"),
    [
        ("1.340.000", "", Decimal("1340000.00")),  # dots repeated: grouping, whatever the format
        ("334.445", "comma", Decimal("334445.00")),
        ("812 016,00", "comma", Decimal("812016.00")),
        ("334,445", "point", Decimal("334445.00")),
        ("1,340,000.50", "point", Decimal("1340000.50")),
    ],
)
def test_amounts_in_the_files_number_format(total: str, number_format: str, expected: Decimal) -> None:
    data = f"{HEADER}\r\n{_row(total=total, eu='')}\r\n".encode()
    result = read_projects(data, "esf.csv", "ESF", number_format)
    assert result.errors == [] and result.projects[0].total_cost == expected


def test_334_445_without_a_number_format_is_ambiguous_and_says_so() -> None:
    errors, _w, _ids = _read(_row(total="334.445", eu=""))
    assert [(e.row, e.column) for e in errors] == [(2, "Totale kost")]
    assert errors[0].message.startswith(
        "'334.445' can be read as 334445 or as 334.445: choose the number format"
    )
    assert "decimals" not in errors[0].message


def test_a_belgian_amount_in_a_point_file_names_the_format() -> None:
    errors, _w, _ids = _read(_row(total="812.016,00", eu=""), number_format="point")
    assert "is not an amount in this file's number format" in errors[0].message


def test_a_list_without_any_enterprise_number_says_in_words_it_is_matched_by_name_only() -> None:
    errors, warnings, ids = _read(_row("P1", kbo=""), _row("P2", kbo=""), _row("P3", kbo=""))
    assert errors == [] and ids == ["P1", "P2", "P3"]
    assert warnings[0].row == 0
    assert warnings[0].message.startswith(
        "This list has no valid enterprise (KBO/BCE) number: its 3 projects"
    )
    groups = grouped(warnings[1:])
    assert [(g.column, g.rows, g.count) for g in groups] == [("Ondernemingsnummer", (2, 3, 4), 3)]


def test_rows_without_beneficiary_or_amounts_are_warned_about_not_refused() -> None:
    row = "P1;Taal en werk;;0401.234.560;01/01/2023;31/12/2023;;"
    errors, warnings, ids = _read(row)
    assert errors == [] and ids == ["P1"]
    assert [(w.row, w.column) for w in warnings] == [(2, "Begunstigde")]


def test_grouping_keeps_every_count_and_the_first_rows() -> None:
    problems = [RowError(n, "KBO", "none") for n in range(2, 2_002)] + [RowError(7, "Titel", "x")]
    [kbo, title] = grouped(problems)
    assert (kbo.count, len(kbo.rows), kbo.rows[0]) == (2_000, 1_000, 2)
    assert (title.count, title.rows) == (1, (7,))


def test_a_list_without_numbers_nor_names_says_nothing_can_be_matched() -> None:
    data = b"Projectnummer;Titel;Begindatum;Einddatum\r\nP1;Titel;01/01/2023;31/12/2023\r\n"
    result = read_projects(data, "esf.csv", "ESF")
    assert result.warnings[0].message.startswith("No project of this list (1 read) can be matched")
