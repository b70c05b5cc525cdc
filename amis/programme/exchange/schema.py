"""Checking a document against the published JSON Schema, with the path of each bad field."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

SCHEMA_PATH = Path(__file__).with_name("programme.schema.json")


@cache
def validator() -> Draft202012Validator:
    # dates are checked as dates, not only as digits: 2020-13-45 matches the pattern but is no date
    return Draft202012Validator(
        json.loads(SCHEMA_PATH.read_text(encoding="utf-8")),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def json_path(parts: Any) -> str:
    path = "$"
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def schema_errors(doc: dict[str, Any]) -> list[tuple[str, str]]:
    """[(path, message)] sorted by path; empty when the document matches the schema."""
    errors = [(json_path(error.absolute_path), error.message) for error in validator().iter_errors(doc)]
    return sorted(errors)
