"""The Kohesio validator's rules (plain Python): each broken rule caught, a good file passing."""

from __future__ import annotations

import csv
import io

from amis.public import kohesio


def _good() -> dict[str, str]:
    row = dict.fromkeys(kohesio.COLUMNS, "")
    row.update(
        {
            "Operation_Unique_Identifier": "P-1",
            "Operation_Name_Programme_Language": "Opvang",
            "Country": "Belgium",
            kohesio.START: "01/03/2019",
            kohesio.END: "31/12/2020",
            kohesio.CURRENCY: "EUR",
            kohesio.POSTCODE: "2000",
        }
    )
    return row


def _file(*rows: dict[str, str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(kohesio.COLUMNS)
    for row in rows:
        writer.writerow([row[c] for c in kohesio.COLUMNS])
    return "\ufeff" + out.getvalue()


def _fields(text: str) -> list[tuple[int, str]]:
    return [(p.line, p.field) for p in kohesio.validate_csv(text)]


def test_a_good_file_passes() -> None:
    assert kohesio.validate_csv(_file(_good(), _good())) == []


def test_dates_are_written_dd_mm_yyyy() -> None:
    for value in ("2019-03-01", "1/3/2019", "31/02/2019", "01/03/19"):
        assert _fields(_file({**_good(), kohesio.START: value})) == [(2, kohesio.START)], value
    assert _fields(_file({**_good(), kohesio.END: "2020-12-31"})) == [(2, kohesio.END)]
    assert _fields(_file({**_good(), kohesio.START: ""})) == [(2, kohesio.START)]
    assert _fields(_file({**_good(), kohesio.END: ""})) == []  # an end date may be unknown


def test_the_start_is_not_after_the_end() -> None:
    problems = kohesio.validate_csv(_file(_good(), {**_good(), kohesio.START: "01/01/2021"}))
    assert [(p.line, p.field) for p in problems] == [(3, kohesio.START)]
    assert "after the end" in str(problems[0]) and "line 3" in str(problems[0])
    assert _fields(_file({**_good(), kohesio.START: "31/12/2020"})) == []  # the same day is fine


def test_at_least_one_location_field() -> None:
    assert _fields(_file({**_good(), kohesio.POSTCODE: ""})) == [(2, "")]
    for name in kohesio.LOCATION_FIELDS:
        assert _fields(_file({**_good(), kohesio.POSTCODE: "", name: "BE211"})) == [], name


def test_an_exchange_rate_when_the_currency_is_not_euro() -> None:
    assert _fields(_file({**_good(), kohesio.CURRENCY: "PLN"})) == [(2, kohesio.EXCHANGE_RATE)]
    assert _fields(_file({**_good(), kohesio.CURRENCY: "PLN", kohesio.EXCHANGE_RATE: "4.31"})) == []


def test_required_fields_header_and_record_length() -> None:
    assert _fields(_file({**_good(), "Country": ""})) == [(2, "Country")]
    assert _fields(_file({**_good(), "Operation_Name_Programme_Language": " "})) == [
        (2, "Operation_Name_Programme_Language")
    ]
    assert _fields("a,b\n1,2\n") == [(1, "")]
    assert _fields("") == [(1, "")]
    short = _file(_good()) + "P-2,x\n"
    assert _fields(short) == [(3, "")]
