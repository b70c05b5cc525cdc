"""Checking a document against the published JSON Schema, with the path of each bad field."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

SCHEMA_PATH = Path(__file__).with_name("programme.schema.json")
# Format 2 (2021-2027 programme template, Regulation (EU) 2021/1060 Annex V) is format 1 plus its parts;
# a file says which it is in `format`, and a format-1 file is read exactly as before.
SCHEMA_PATHS = {1: SCHEMA_PATH, 2: SCHEMA_PATH.with_name("programme.schema.v2.json")}
FORMATS = {1: "amis-programme/1", 2: "amis-programme/2"}


def format_version(doc: Any) -> int:
    """2 for an `amis-programme/2` document, else 1 (whose schema refuses any other format)."""
    return 2 if isinstance(doc, dict) and doc.get("format") == FORMATS[2] else 1


@cache
def validator(version: int = 1) -> Draft202012Validator:
    # dates are checked as dates, not only as digits: 2020-13-45 matches the pattern but is no date
    return Draft202012Validator(
        json.loads(SCHEMA_PATHS[version].read_text(encoding="utf-8")),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def json_path(parts: Any) -> str:
    path = "$"
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


MONEY_HINT = (
    "amounts are written 600000.00 (a point, two decimals, no thousands separator), "
    "zero or more, with at most 13 digits before the point"
)


def _is_money_schema(schema: Any) -> bool:
    if not isinstance(schema, dict):
        return False
    if schema.get("pattern") == MONEY_SCHEMA_PATTERN or schema.get("$ref") == "#/$defs/money":
        return True
    return any(_is_money_schema(option) for option in schema.get("oneOf", []))


MONEY_SCHEMA_PATTERN = "^[0-9]{1,13}\\.[0-9]{2}$"


def _message(error: Any) -> str:
    """The schema's message, or a plain-language one for the mistakes people make with amounts."""
    if error.validator in ("pattern", "oneOf", "type") and _is_money_schema(error.schema):
        value = error.instance
        if isinstance(value, str) and value.startswith("-"):
            return f"{value!r} is negative: {MONEY_HINT}"
        return f"{value!r} is not an amount: {MONEY_HINT}"
    return str(error.message)


def error_locations(doc: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Where the schema errors are, as key/index tuples (empty tuple: the document itself)."""
    return [tuple(error.absolute_path) for error in validator(format_version(doc)).iter_errors(doc)]


def schema_errors(doc: dict[str, Any]) -> list[tuple[str, str]]:
    """[(path, message)] sorted by path; empty when the document matches the schema."""
    errors = [
        (json_path(error.absolute_path), _message(error))
        for error in validator(format_version(doc)).iter_errors(doc)
    ]
    return sorted(errors)
