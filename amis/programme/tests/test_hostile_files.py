"""`amis programme import` given hostile or malformed files (issue 10, section 3): each is refused
with what is wrong and where, quickly, without a traceback, and nothing is saved."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from amis.programme.exchange.yamlio import FileFormatError, dumps_json, dumps_yaml, loads
from amis.programme.models import Programme

pytestmark = pytest.mark.django_db

BILLION_LAUGHS = "\n".join(
    ['format: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"x{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
)


def refused(path: Path) -> str:
    """The import's refusal (a CommandError, never another exception), having saved nothing."""
    with pytest.raises(CommandError) as refusal:
        call_command("programme", "import", str(path))
    assert not Programme.objects.exists()
    return str(refusal.value)


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_yaml_aliases_are_refused_before_they_expand(tmp_path: Path) -> None:
    message = refused(write(tmp_path, "bomb.yaml", BILLION_LAUGHS))
    assert "anchors and aliases" in message and "line 1, column 9" in message
    with pytest.raises(FileFormatError, match="anchors and aliases"):
        loads("a: &x 1\nb: *x\n", "small.yaml")


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deep_nesting_is_refused_in_yaml_and_json(tmp_path: Path, depth: int) -> None:
    yaml_message = refused(write(tmp_path, "deep.yaml", "format: " + "[" * depth + "]" * depth))
    json_message = refused(write(tmp_path, "deep.json", '{"format": ' + "[" * depth + "]" * depth + "}"))
    for message in (yaml_message, json_message):
        assert "nests more than 20 levels" in message


def test_files_that_are_not_utf8_are_refused_with_what_to_do(
    tmp_path: Path, belgian_doc: dict[str, Any]
) -> None:
    text = dumps_yaml(belgian_doc).replace("Transcribed", "Transcrit à partir")
    assert "UTF-16" in refused(write(tmp_path, "utf16.yaml", text.encode("utf-16")))
    message = refused(write(tmp_path, "latin1.yaml", text.encode("latin-1", errors="replace")))
    assert "not UTF-8" in message and "line " in message and "save the file as UTF-8" in message


def test_an_integer_of_5000_digits_is_refused(tmp_path: Path, belgian_doc: dict[str, Any]) -> None:
    huge = "9" * 5000
    as_yaml = dumps_yaml(belgian_doc).replace("number: 2\n", f"number: {huge}\n", 1)
    assert "5,000 digits" in refused(write(tmp_path, "huge.yaml", as_yaml))
    as_json = dumps_json(belgian_doc).replace('"number": 2,', f'"number": {huge},', 1)
    assert "5,000 digits" in refused(write(tmp_path, "huge.json", as_json))


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda d: d["version"].update(note="before\x00after"), "$.version.note"),
        (lambda d: d["programme"]["title"].update(en="nul\x00"), "$.programme.title.en"),
        (lambda d: d.update(technical_assistance="-5.00"), "$.technical_assistance"),
        (lambda d: d.update(technical_assistance="99999999999999.00"), "$.technical_assistance"),
        (lambda d: d["version"].update(note="x" * 20_001), "$.version.note"),
        (lambda d: d["authorities"][0].update(name="x" * 301), "$.authorities[0].name"),
        (lambda d: d["version"].update(decision_date="2020-13-45"), "$.version.decision_date"),
        (
            lambda d: d["specific_objectives"][0]["national_objectives"][0]["actions"][0].update(
                number=40_000
            ),
            "actions[0].number",
        ),
    ],
)
def test_text_and_amounts_that_cannot_be_stored_are_refused_by_the_checks(
    tmp_path: Path, belgian_doc: dict[str, Any], change: Any, path: str
) -> None:
    change(belgian_doc)
    assert path in refused(write(tmp_path, "bad.json", json.dumps(belgian_doc)))


def test_a_file_over_10_mb_is_refused_before_it_is_read(tmp_path: Path, belgian_doc: dict[str, Any]) -> None:
    belgian_doc["version"]["note"] = "x" * (11 * 1024 * 1024)
    assert "larger than 10 MB" in refused(write(tmp_path, "big.yaml", dumps_yaml(belgian_doc)))
