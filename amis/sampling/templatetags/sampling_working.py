"""The working of the sampling figures in the reader's language (`amis.sampling.working_i18n`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import template
from django.utils.safestring import SafeString

from amis.sampling import working_i18n

register = template.Library()


@register.filter
def working_steps(steps: Iterable[Mapping[str, Any]] | None) -> list[dict[str, SafeString]]:
    """Each stored step with its label, formula, values, result and source translated and its
    numbers in the reader's format; what stays in English is marked lang="en"."""
    return [working_i18n.step_html(step) for step in steps or []]


@register.filter
def working_text(text: str | None) -> SafeString:
    """A fixed text of the sampling rules (a category's assessment, a source cited) translated, or
    marked lang="en"."""
    if not text:
        return SafeString("")
    parts = working_i18n.citation(str(text))
    if any(p.english for p in parts):
        parts = working_i18n.value(str(text))
    return working_i18n.html(parts)
