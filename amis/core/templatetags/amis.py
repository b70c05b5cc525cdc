"""Template filters: texts in the reader's language, and money in the reader's number format."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

from django import template
from django.utils import translation
from django.utils.html import format_html

from amis.core import numbers

register = template.Library()

# The language a page shows a programme's own texts in, when the reader chose one of the programme's
# languages (Finnish, Swedish...) other than the interface language; None: the interface language.
_text_language: ContextVar[str | None] = ContextVar("text_language", default=None)


@contextmanager
def text_language(language: str | None) -> Iterator[None]:
    token = _text_language.set(language)
    try:
        yield
    finally:
        _text_language.reset(token)


def _interface_language() -> str:
    """The interface language: numbers follow it, not the language of a programme's texts."""
    return translation.get_language() or "en"


def _reader_language() -> str:
    return _text_language.get() or translation.get_language() or "en"


def pick_language(value: dict[str, str] | None, language: str) -> tuple[str, str]:
    """(language, text): the reader's language if the text exists in it, else English, else the first."""
    if not value:
        return language, ""
    for lang in (language, "en"):
        if value.get(lang):
            return lang, value[lang]
    lang, text = next(iter(value.items()))
    return lang, text


@register.filter
def tr(value: dict[str, str] | None) -> str:
    """The text in the current language, falling back to the language it exists in."""
    return pick_language(value, _reader_language())[1]


@register.filter
def tr_lang(value: dict[str, str] | None) -> str:
    """The language `tr` picked, for the lang attribute (screen readers pronounce it right)."""
    return pick_language(value, _reader_language())[0]


@register.filter
def tr_list(value: dict[str, list[str]] | None) -> list[str]:
    if not value:
        return []
    language = _reader_language()
    return value.get(language) or value.get("en") or next(iter(value.values()), [])


@register.filter
def eur(value: Any) -> str:
    """An amount in the reader's number format, two decimals, grouped (`12 000,50`), for table
    cells under a heading that names the currency."""
    if value in (None, ""):
        return ""
    return numbers.format_amount(Decimal(value), _interface_language())


@register.filter
def amount_input(value: Any) -> str:
    """An input's value: a stored amount in the reader's format, what was typed as typed."""
    if value in (None, ""):
        return ""
    if isinstance(value, Decimal | int):
        return numbers.format_amount(Decimal(value), _interface_language())
    return str(value)


@register.filter
def money(value: Any) -> str:
    """An amount with the euro sign where the reader's language puts it (`12 000,50 €`)."""
    if value in (None, ""):
        return ""
    return numbers.format_money(Decimal(value), _interface_language())


@register.filter
def percent(value: Any) -> str:
    """A rate stored as a fraction (0.0750), in per cent as the reader writes it (`7,5 %`)."""
    if value in (None, ""):
        return ""
    return numbers.format_percent(Decimal(value), _interface_language())


@register.filter
def pct(value: Any) -> str:
    """A figure already in per cent (75.00), as the reader writes a percentage (`75 %`)."""
    if value in (None, ""):
        return ""
    return numbers.format_percent(Decimal(value) / 100, _interface_language())


@register.filter
def num(value: Any) -> str:
    """A number (a weight, a score) as the reader writes it, without trailing zeros (`12,5`)."""
    if value in (None, ""):
        return ""
    number = Decimal(str(value)).normalize()
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    return numbers.format_number(number, _interface_language(), None)


@register.filter
def qty(value: Any) -> str:
    if value in (None, ""):
        return ""
    return numbers.format_number(Decimal(value), _interface_language(), 2)


@register.simple_tag
def lang_text(value: dict[str, str] | None, tag: str = "span") -> str:
    lang, text = pick_language(value, _reader_language())
    return format_html('<{} lang="{}">{}</{}>', tag, lang, text, tag)


@register.simple_tag
def lang_plain(value: dict[str, str] | None) -> str:
    """The text of `lang_text` without its element, for where no markup may go (a page's <title>)."""
    return pick_language(value, _reader_language())[1]


@register.filter
def paragraphs(text: str) -> list[str]:
    return [p for p in (text or "").split("\n\n") if p.strip()]


@register.filter
def lines(text: str) -> list[str]:
    return [line for line in (text or "").split("\n") if line.strip()]


@register.filter
def get(mapping: dict[str, Any] | None, key: Any) -> Any:
    return (mapping or {}).get(str(key))


@register.filter
def count(value: Any) -> str:
    """A whole number (persons) grouped in the reader's format."""
    if value in (None, ""):
        return ""
    return numbers.format_number(int(value), _interface_language(), 0)


@register.filter
def pick(form: Any, names: str) -> list[Any]:
    """The form's bound fields named in a comma-separated list, in that order (missing ones skipped)."""
    return [form[n] for n in names.split(",") if n in form.fields]


@register.simple_tag
def text_fallback(languages: list[str] | None) -> str:
    """The language a programme's (or call's) texts are shown in when they do not exist in the
    reader's language, as `tr` picks it (English, else the first); "" when they exist in it."""
    available = [code for code in (languages or []) if code]
    reader = _reader_language()
    if not available or reader in available:
        return ""
    return "en" if "en" in available else available[0]


@register.filter
def language_name_translated(code: str) -> str:
    """A language's name in the interface language ("anglais" on a French page)."""
    try:
        name = str(translation.get_language_info(code)["name_translated"])
    except KeyError:
        return code
    # French writes language names in lower case in a sentence ("affichés en anglais"); Dutch,
    # German and English capitalise them
    return name.lower() if _interface_language().startswith("fr") else name


@register.filter
def language_name(code: str) -> str:
    """A language's own name ("suomi", "svenska"); the code when Django does not know it."""
    try:
        return str(translation.get_language_info(code)["name_local"])
    except KeyError:
        return code
