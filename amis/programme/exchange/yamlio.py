"""YAML that keeps money exact: floats are never resolved, so `2000000.00` stays the string it looks like."""

from __future__ import annotations

import json
import re
from typing import Any

import yaml


class _ExactLoader(yaml.SafeLoader):
    pass


# Drop the float resolver: an unquoted 1234.50 is read as the string "1234.50", never a binary float.
_ExactLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:float"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
# Dates stay strings too: the schema checks their shape and the importer parses them.
_ExactLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _ExactLoader.yaml_implicit_resolvers.items()
}


def _normalise(value: Any) -> Any:
    """Mapping keys become strings (a YAML year key 2014 is the string "2014" in the format)."""
    if isinstance(value, dict):
        return {str(key): _normalise(child) for key, child in value.items()}
    if isinstance(value, list):
        return [_normalise(child) for child in value]
    return value


class FileFormatError(ValueError):
    pass


def loads(text: str, filename: str = "") -> dict[str, Any]:
    stripped = text.lstrip()
    try:
        if filename.endswith(".json") or stripped.startswith("{"):
            data = json.loads(text)
        else:
            data = yaml.load(text, Loader=_ExactLoader)  # noqa: S506 - a SafeLoader subclass
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise FileFormatError(f"{filename or 'The file'} is not valid YAML or JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise FileFormatError(f"{filename or 'The file'} does not contain a programme document (a mapping).")
    return _normalise(data)


class _Dumper(yaml.SafeDumper):
    pass


_NEEDS_QUOTES = re.compile(r"^(-?[0-9][0-9_.:\-]*|true|false|yes|no|on|off|null|~)$", re.IGNORECASE)


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    if _NEEDS_QUOTES.match(value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str_representer)


def dumps_yaml(doc: dict[str, Any]) -> str:
    return yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def dumps_json(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
