"""The audit trail as people read it: a change's before/after as a list of fields and values, not
the stored JSON; an object type by its name ("Application"), not its label (`applications.Application`)."""

from __future__ import annotations

from typing import Any

from django import template
from django.apps import apps
from django.utils.text import capfirst

register = template.Library()
LONG = 120  # characters of a value shown; the export has the whole entry


def _value(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, dict):
        return "; ".join(f"{_name(k)}: {_value(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value)
    text = str(value)
    return text if len(text) <= LONG else text[: LONG - 1] + "…"


def _name(key: Any) -> str:
    return capfirst(str(key).replace("_", " "))


@register.filter
def field_list(data: Any) -> list[tuple[str, str]]:
    """[(field, value)] of an entry's `before` or `after`, for a <dl>."""
    if not data:
        return []
    if not isinstance(data, dict):
        return [("", _value(data))]
    return [(_name(k), _value(v)) for k, v in data.items()]


def object_type_name(label: str) -> str:
    try:
        return str(capfirst(apps.get_model(label)._meta.verbose_name))
    except (LookupError, ValueError):
        return label


@register.filter
def type_name(label: str) -> str:
    """`applications.Application` -> "Application" (the model's name, translated)."""
    return object_type_name(label)


def object_types() -> list[tuple[str, str]]:
    """(label, name) of every AMIS model, by name: the audit trail's filter offers these."""
    rows = [
        (model._meta.label, str(capfirst(model._meta.verbose_name)))
        for model in apps.get_models()
        if model.__module__.startswith("amis.")
    ]
    return sorted(rows, key=lambda row: row[1].lower())
