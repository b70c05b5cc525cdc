"""Readable, translated names for cost categories and funding sources (stored as stable codes)."""

from __future__ import annotations

from django import template

from amis.applications.labels import COST_LABELS, FUNDING_LABELS

register = template.Library()


@register.filter
def cost_label(code: str) -> str:
    return str(COST_LABELS.get(code, code))


@register.filter
def funding_label(code: str) -> str:
    return str(FUNDING_LABELS.get(code, code))
