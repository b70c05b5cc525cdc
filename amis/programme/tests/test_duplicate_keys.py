"""A key written twice in a programme file is refused, never silently overwritten by the later value."""

from __future__ import annotations

import pytest

from amis.programme.exchange.yamlio import FileFormatError, loads


def test_a_duplicate_yaml_key_is_refused_with_its_lines() -> None:
    text = "programme:\n  cci: 2014BE65AMNP001\n  fund: AMIF\n  cci: 2014FI65AMNP001\n"
    with pytest.raises(FileFormatError, match="'cci' on line 2.*written again on line 4"):
        loads(text, "twice.yaml")


def test_a_year_written_twice_as_number_and_string_is_refused() -> None:
    with pytest.raises(FileFormatError, match="'2014' on line 2"):
        loads('amounts:\n  2014: "1.00"\n  "2014": "2.00"\n', "twice.yaml")


def test_a_duplicate_json_key_is_refused() -> None:
    with pytest.raises(FileFormatError, match="'cci' is written twice"):
        loads('{"programme": {"cci": "a", "cci": "b"}}', "twice.json")
