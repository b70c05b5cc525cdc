"""Numbers as each interface language writes them: amounts, money and percentages, typed and shown.

Pure Python (no Django), so rules, forms, template filters and tests share one definition. The
styles follow CLDR (checked against Babel in the tests); docs/translations.md gives the choices:

| language | amount        | money             | percent |
| -------- | ------------- | ----------------- | ------- |
| fr       | 12 000,50     | 12 000,50 €       | 7,5 %   |
| nl       | 12.000,50     | € 12.000,50       | 7,5%    |
| de       | 12.000,50     | 12.000,50 €       | 7,5 %   |
| en       | 12,000.50     | €12,000.50        | 7.5%    |

(French groups with a narrow no-break space U+202F; the spaces before € and % are no-break spaces.)

Reading is lenient where it is unambiguous and follows the language where it is not:

- the language's own grouping and decimal mark (`12 000,50`, `12.000,50`, `12,000.50`);
- spaces of any kind (space, U+00A0, U+202F, U+2009) as grouping, in every language;
- a dot as grouping in French too (Belgian usage: `12.000,50`);
- plain `12000.50` in every language: a single dot that is not followed by exactly three digits is a
  decimal point;
- a leading € / EUR or trailing € / EUR (and % for percentages) is ignored.

Ambiguous input is read by the language's rule: `1.234` is 1234 in Dutch, French and German (the dot
groups thousands there) and 1.234 in English; `1,234` is 1234 in English and 1.234 in the others.
Anything else (`12,000.50` in German, `1.2.3`, `12 0`, letters) is refused with a `NumberError`;
the page says so in the reader's language with an example in their format (`amis.core.formfields`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

# NUMERIC(15, 2): 13 digits before the point (as amis.core.parsing).
INTEGER_DIGITS = 13
SPACES = " \u00a0\u202f\u2009"
_MINUS = "-\u2212"
_CURRENCY = re.compile(r"^(?:€|eur\b)\s*|\s*(?:€|\beur)$", re.IGNORECASE)


@dataclass(frozen=True)
class NumberStyle:
    decimal: str
    group: str  # the mark used when showing
    group_marks: str  # marks accepted as grouping when reading (besides spaces)
    money: str  # "{n}" is the formatted amount
    percent: str
    sign_outside: bool = False  # `-€12.00` (English) rather than `€ -12,00` (Dutch)


NBSP, NNBSP = "\u00a0", "\u202f"
STYLES: dict[str, NumberStyle] = {
    "fr": NumberStyle(",", NNBSP, ".", "{n}" + NBSP + "€", "{n}" + NBSP + "%"),
    "nl": NumberStyle(",", ".", ".", "€" + NBSP + "{n}", "{n}%"),
    "de": NumberStyle(",", ".", ".", "{n}" + NBSP + "€", "{n}" + NBSP + "%"),
    "en": NumberStyle(".", ",", ",", "€{n}", "{n}%", sign_outside=True),
}


def style(language: str | None) -> NumberStyle:
    """The style of a language code (`fr`, `fr-be`, `nl_BE`); English for one AMIS does not speak."""
    code = (language or "en").lower().replace("_", "-").split("-")[0]
    return STYLES.get(code, STYLES["en"])


class NumberError(ValueError):
    """Text that is not a number in the reader's format. `code`: `invalid`, `too_large`, `decimals`."""

    def __init__(self, code: str, text: str, places: int | None = None) -> None:
        super().__init__(f"{code}: {text!r}")
        self.code = code
        self.text = text
        self.places = places


# -- showing ---------------------------------------------------------------------------------------


def format_number(value: Decimal | int | str, language: str | None, places: int | None = 2) -> str:
    """`value` grouped by thousands with the language's marks; `places` decimals (None: as many as
    the value has, none when it is whole)."""
    s = style(language)
    number = Decimal(value)
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places))
    sign, digits, exponent = number.as_tuple()
    text = format(abs(number), "f")
    whole, _, fraction = text.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = s.group.join(groups)
    if fraction:
        out += s.decimal + fraction
    negative = sign == 1 and any(digits)
    return ("-" if negative else "") + out


def format_amount(value: Decimal | int | str, language: str | None) -> str:
    """An amount: two decimals, grouped (`12 000,50` in French); no currency sign."""
    return format_number(value, language, 2)


def format_money(value: Decimal | int | str, language: str | None) -> str:
    """An amount with the euro sign where the language puts it (`12 000,50 €`, `€ 12.000,50`)."""
    s = style(language)
    shown = format_amount(value, language)
    if s.sign_outside and shown.startswith("-"):
        return "-" + s.money.format(n=shown[1:])
    return s.money.format(n=shown)


def format_percent(fraction: Decimal | int | str, language: str | None) -> str:
    """A rate stored as a fraction, shown in per cent without trailing zeros: 0.0750 -> `7,5 %`."""
    percent = (Decimal(fraction) * 100).normalize()
    if percent == percent.to_integral_value():
        percent = percent.quantize(Decimal(1))
    return style(language).percent.format(n=format_number(percent, language, None))


def example_amount(language: str | None) -> str:
    """The amount the refusal messages show as an example (`12 000,50`)."""
    return format_amount(Decimal("12000.50"), language)


# -- reading ---------------------------------------------------------------------------------------


def _grouped(whole: str, mark: str) -> str | None:
    """`whole` with its grouping `mark` removed, or None when the groups are not 1-3 digits then 3s."""
    parts = whole.split(mark)
    if not parts[0] or len(parts[0]) > 3 or any(len(p) != 3 for p in parts[1:]):
        return None
    return "".join(parts)


def parse_number(text: str, language: str | None, places: int | None = None) -> Decimal:
    """The number `text` writes in `language` (see the module's rules); at most `places` decimals
    when given. Raises NumberError."""
    s = style(language)
    raw = text
    value = _CURRENCY.sub("", text.strip()).strip()
    sign = ""
    if value and value[0] in _MINUS:
        sign, value = "-", value[1:].lstrip()
    elif value and value[0] == "+":
        value = value[1:].lstrip()
    value = _CURRENCY.sub("", value).strip()  # `-€12.00`
    spaced = any(c in SPACES for c in value)
    for space in SPACES:
        value = value.replace(space, " ")
    if not value or any(c not in "0123456789., " for c in value):
        raise NumberError("invalid", raw)
    marks = {c for c in value if c in ".,"}
    other = "." if s.decimal == "," else ","
    whole, fraction = value, ""
    group = " " if spaced else ""
    if len(marks) == 2:
        # both marks: they must be the language's decimal (last) and one it groups with
        if (
            other not in s.group_marks
            or value.count(s.decimal) != 1
            or value.rfind(other) > value.find(s.decimal)
        ):
            raise NumberError("invalid", raw)
        whole, fraction = value.split(s.decimal)
        group = other
    elif marks == {s.decimal}:
        if value.count(s.decimal) != 1:
            raise NumberError("invalid", raw)
        whole, fraction = value.split(s.decimal)
    elif marks == {other}:
        if not spaced and other in s.group_marks and _grouped(value, other) is not None:
            group = other  # `1.234` in German, `1,234` in English: the language's grouping
        elif other == "." and value.count(".") == 1:
            whole, fraction = value.split(".")  # plain 12000.50
            if spaced and len(fraction) == 3 and "." in s.group_marks:
                raise NumberError("invalid", raw)  # `12 000.000` in German: grouping or decimals?
        else:
            raise NumberError("invalid", raw)
    if spaced and group not in ("", " "):
        # spaces and a mark both grouping one number (`12 000.000,50`): refuse rather than guess
        raise NumberError("invalid", raw)
    if " " in fraction:
        raise NumberError("invalid", raw)
    if group:
        if not whole:
            raise NumberError("invalid", raw)
        grouped = _grouped(whole, group)
        if grouped is None:
            raise NumberError("invalid", raw)
        whole = grouped
    if not whole and not fraction:
        raise NumberError("invalid", raw)
    number = Decimal(f"{sign}{whole or '0'}.{fraction}" if fraction else f"{sign}{whole}")
    if number != 0 and number.adjusted() >= INTEGER_DIGITS:
        raise NumberError("too_large", raw)
    if places is not None and len(fraction.rstrip("0")) > places:
        raise NumberError("decimals", raw, places)
    return number


def parse_amount(text: str, language: str | None) -> Decimal:
    """An amount in euro: at most two decimals, given back with exactly two."""
    return parse_number(text, language, 2).quantize(Decimal("0.01"))


def parse_percent(text: str, language: str | None, places: int = 2) -> Decimal:
    """A rate typed in per cent (`7,5 %`, `7.5`), given back as a fraction (0.075); `places`: the
    decimals allowed in the per-cent figure."""
    value = text.strip()
    if value.endswith("%"):
        value = value[:-1].rstrip()
    return parse_number(value, language, places) / 100
