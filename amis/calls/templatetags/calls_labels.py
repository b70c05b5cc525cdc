"""Readable, translated names for cost categories and funding sources (stored as stable codes)."""

from __future__ import annotations

from typing import Any

from django import template

from amis.calls.forms import COST_LABELS, FUNDING_LABELS

register = template.Library()


@register.filter
def cost_label(code: str) -> str:
    return str(COST_LABELS.get(code, code))


@register.filter
def funding_label(code: str) -> str:
    return str(FUNDING_LABELS.get(code, code))


@register.filter
def pick(form: Any, names: str) -> list[Any]:
    """The form's bound fields named in a comma-separated list, in that order (missing ones skipped)."""
    return [form[n] for n in names.split(",") if n in form.fields]
