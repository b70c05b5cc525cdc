"""Reading and writing programme files.

YAML keeps money exact: floats are never resolved, so `2000000.00` stays the string it looks like.
A file is untrusted input, so reading it is bounded before anything else looks at it: at most 10 MB
of UTF-8, no YAML anchors or aliases (a "billion laughs" file expands a few lines into gigabytes), at
most 20 levels of nesting (the format has 8) and no integer longer than 20 digits.
"""

from __future__ import annotations

import codecs
import json
import re
from typing import Any

import yaml

from amis.core.parsing import depth_exceeds

MAX_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 20
MAX_DIGITS = 20
_UTF16_32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


class _Refused(yaml.MarkedYAMLError):
    """Valid YAML that a programme file may not hold (an alias, deep nesting, a huge integer)."""


class _ExactLoader(yaml.SafeLoader):
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Refused(
                None, None, "anchors and aliases (&name, *name) are not accepted", event.start_mark
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(None, None, f"it nests more than {MAX_DEPTH} levels deep", event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_yaml_int(self, node: Any) -> int:
        if len(str(node.value)) > MAX_DIGITS:
            raise _Refused(
                None,
                None,
                f"an integer of {len(node.value):,} digits is no number of this format",
                node.start_mark,
            )
        return super().construct_yaml_int(node)

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        """A key written twice is refused with both lines: YAML would let the later value win silently."""
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, Any] = {}
            for key_node, _ in node.value:
                key = str(self.construct_object(key_node, deep=True))  # 2014 and "2014" are one key
                if key in seen:
                    raise _Refused(
                        None,
                        None,
                        f"the key '{key}' on line {seen[key].line + 1} is written again on line "
                        f"{key_node.start_mark.line + 1}; keep one of the two values",
                        key_node.start_mark,
                    )
                seen[key] = key_node.start_mark
        return super().construct_mapping(node, deep)


_ExactLoader.add_constructor("tag:yaml.org,2002:int", _ExactLoader.construct_yaml_int)


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


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise ValueError(
            f"the key '{duplicates[0]}' is written twice in one object; keep one of the two values"
        )
    return dict(pairs)


def _json_int(digits: str) -> int:
    if len(digits) > MAX_DIGITS:
        raise ValueError(
            f"an integer of {len(digits):,} digits ({digits[:12]}...) is no number of this format"
        )
    return int(digits)


def _load(text: str, name: str, as_json: bool) -> Any:
    if as_json:
        try:
            data = json.loads(text, parse_int=_json_int, object_pairs_hook=_json_object)
        except RecursionError:
            raise FileFormatError(
                f"{name} was refused: it nests more than {MAX_DEPTH} levels deep."
            ) from None
        except ValueError as exc:
            raise FileFormatError(f"{name} is not valid YAML or JSON: {exc}") from exc
        if depth_exceeds(data, MAX_DEPTH):
            raise FileFormatError(f"{name} was refused: it nests more than {MAX_DEPTH} levels deep.")
        return data
    try:
        return yaml.load(text, Loader=_ExactLoader)  # noqa: S506 - a SafeLoader subclass
    except _Refused as exc:
        raise FileFormatError(f"{name} was refused: {exc}") from exc
    except yaml.YAMLError as exc:
        raise FileFormatError(f"{name} is not valid YAML or JSON: {exc}") from exc


def decode(data: bytes, filename: str = "") -> str:
    """The text of a file's bytes: UTF-8 (a BOM is allowed), at most MAX_BYTES; anything else is
    refused with where it goes wrong and what to do."""
    name = filename or "The file"
    if len(data) > MAX_BYTES:
        raise FileFormatError(
            f"{name} is {len(data) / 1024 / 1024:.1f} MB; a programme file has at most 10 MB."
        )
    if data.startswith(_UTF16_32_BOMS) or b"\x00" in data[:4096]:
        raise FileFormatError(f"{name} is UTF-16 or UTF-32 text (or binary): save it as UTF-8.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileFormatError(
            f"{name} is not UTF-8: byte 0x{data[exc.start]:02x} on line {line} is not UTF-8 (Latin-1 or "
            "Windows-1252?); save the file as UTF-8."
        ) from exc


def loads(text: str, filename: str = "") -> dict[str, Any]:
    name = filename or "The file"
    data = _load(text, name, filename.endswith(".json") or text.lstrip().startswith("{"))
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
