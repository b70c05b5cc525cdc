"""Filters for the project pages and the agreement PDF: readable names of terms, categories, kinds."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import formats

from amis.core.templatetags.amis import eur, percent
from amis.projects import labels

register = template.Library()


@register.filter
def term_label(key: str) -> str:
    return str(labels.TERM_LABELS.get(key, key))


@register.filter
def category_label(code: str) -> str:
    return str(labels.CATEGORY_LABELS.get(code, code))


@register.filter
def sco_kind_label(code: str) -> str:
    return str(labels.SCO_KIND_LABELS.get(code, code))


@register.filter
def report_kind_label(code: str) -> str:
    return str(labels.REPORT_KIND_LABELS.get(code, code))


@register.filter
def funding_source(code: str) -> str:
    return str(labels.FUNDING_LABELS.get(code, code))


@register.filter
def iso_date(value: Any) -> Any:
    """A date stored as ISO text, as the reader writes it."""
    if not value:
        return ""
    try:
        return formats.date_format(dt.date.fromisoformat(str(value)), "SHORT_DATE_FORMAT")
    except ValueError:
        return value


@register.simple_tag
def term_value(key: str, value: Any) -> str:
    """A term's value, readably: amounts and rates in the reader's format, dates as dates, lists
    and records as short text (the diff shows what changed; the version page shows it all)."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if key in labels.MONEY_TERMS:
        return eur(value) + " €"
    if key in labels.RATE_TERMS:
        return percent(value)
    if key in labels.DATE_TERMS:
        return str(iso_date(value))
    if key == "funding" and isinstance(value, dict):
        return "; ".join(f"{funding_source(k)}: {eur(v)} €" for k, v in value.items())
    if key == "simplified_costs" and isinstance(value, list):
        return "; ".join(
            f"{o.get('code')} ({sco_kind_label(str(o.get('kind')))}, "
            f"{category_label(str(o.get('category')))}: "
            + (percent(o["rate"]) if o.get("rate") else f"{eur(o.get('amount'))} €")
            + (f" / {o['unit']}" if o.get("unit") else "")
            + ")"
            for o in value
        )
    if key == "calendar" and isinstance(value, list):
        return "; ".join(
            f"{e.get('number')}. {report_kind_label(str(e.get('kind')))} {iso_date(e.get('period_start'))} – "
            f"{iso_date(e.get('period_end'))} → {iso_date(e.get('due_date'))}"
            for e in value
        )
    if key == "indicators" and isinstance(value, list):
        return "; ".join(f"{i.get('code')}: {i.get('target')}" for i in value)
    if key == "beneficiary" and isinstance(value, dict):
        return ", ".join(
            str(value[k])
            for k in ("name", "enterprise_number", "vat_number", "address", "country")
            if value.get(k)
        )
    if key == "bank_account" and isinstance(value, dict):
        return " ".join(str(v) for v in value.values() if v)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(str(v.get("name", v)) if isinstance(v, dict) else str(v) for v in value)
    return str(value)
