"""The differences between two versions as a reader says them: `specific_objectives[SO1].
national_objectives[NO2].amount` becomes "SO1 › NO2 Integration: amount", with the difference of
the amounts beside the two values (the rules in `rules/versions.py` keep the stable paths)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

from amis.programme.rules.versions import LIST_KEYS, Change

SEGMENT = re.compile(r"([^.\[\]]+)(?:\[([^\]]+)\])?")
LANGUAGES = {"en", "nl", "fr", "de", "es", "it", "pt", "pl", "cs", "sk", "sl", "hr", "ro", "bg", "el", "hu"}
FIELD_LABELS = {
    "amount": _("amount"),
    "name": _("name"),
    "text": _("text"),
    "title": _("title"),
    "baseline": _("baseline"),
    "target": _("target"),
    "unit": _("unit"),
    "source": _("source"),
    "scope": _("scope"),
    "desired_outcomes": _("desired outcomes"),
    "annual": _("per year"),
    "total": _("total"),
    "programme": _("programme"),
    "authorities": _("authorities"),
    "management_and_control_system": _("management and control system"),
}


def _name(item: Any, language: str) -> str:
    if not isinstance(item, dict):
        return ""
    for key in ("name", "title"):
        value = item.get(key)
        if isinstance(value, dict) and value:
            return str(value.get(language) or value.get("en") or next(iter(value.values())))
        if isinstance(value, str):
            return value
    return ""


def _find(items: Any, key_name: str, key: str) -> Any:
    if isinstance(items, list):
        for item in items:
            if isinstance(item, dict) and str(item.get(key_name)) == key:
                return item
    return None


def change_label(path: str, documents: list[dict[str, Any]], language: str) -> str:
    """ "SO1 › NO2 Integration: amount" for `specific_objectives[SO1].national_objectives[NO2].amount`
    (the names from the first document that has the item)."""
    items: list[str] = []
    fields: list[str] = []
    nodes: list[Any] = list(documents)
    last_name = ""
    for key, index in SEGMENT.findall(path):
        nodes = [n.get(key) if isinstance(n, dict) else None for n in nodes]
        if index:
            key_name = LIST_KEYS.get(key, "")
            nodes = [_find(n, key_name, index) if key_name else None for n in nodes]
            items.append(index)
            last_name = next((name for n in nodes if (name := _name(n, language))), "")
            fields = []
        elif key in LANGUAGES and fields:
            fields[-1] = f"{fields[-1]} ({key.upper()})"
        else:
            fields.append(str(FIELD_LABELS.get(key, key.replace("_", " "))))
    head = " › ".join(items)
    if head and last_name:
        head = f"{head} {last_name}"
    field = " › ".join(fields)
    return f"{head}: {field}" if head and field else head or field


def _number(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool | dict | list):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def change_rows(
    changes: list[Change], old: dict[str, Any], new: dict[str, Any], language: str
) -> list[dict[str, Any]]:
    """Each change with its readable label and, for amounts, the difference (after - before)."""
    rows = []
    for c in changes:
        before, after = _number(c.before), _number(c.after)
        numeric = (before is not None or c.before is None) and (after is not None or c.after is None)
        numeric = numeric and (before is not None or after is not None)
        rows.append(
            {
                "label": change_label(c.path, [new, old], language),
                "path": c.path,
                "before": c.before,
                "after": c.after,
                "numeric": numeric,
                "difference": (after or Decimal(0)) - (before or Decimal(0)) if numeric else None,
                "needs_decision": c.needs_decision,
                "reason": c.reason,
            }
        )
    return rows
