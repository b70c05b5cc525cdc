"""Identifiers as people read them: the enterprise number with dots, the IBAN in groups of four."""

from __future__ import annotations

from django import template

from amis.organisations import identifiers

register = template.Library()


@register.filter
def enterprise_number(value: str | None) -> str:
    return identifiers.format_enterprise_number(value or "")


@register.filter
def iban(value: str | None) -> str:
    return identifiers.format_iban(value) if value else ""
