"""The working of the sampling figures in the reader's language.

The rules (`amis.sampling.rules`) are plain Python and write each step of their working in English,
with numbers as Python writes them (`62928.66`); the steps are frozen as they are on the records
(`Sample.working`, `AuditPopulation.working`, `Sample.projection["working"]`). This module turns a
stored step into what the reader reads, when the page is shown:

- fixed texts (step labels, formulas with words, the sources cited) are looked up in `FIXED`, whose
  entries are marked with `gettext_noop` so that makemessages extracts them;
- texts with a part that varies ("MUS: cut-off, round 2", "Stratum SO1", "2 unit(s) above") are
  read by `PATTERNS`: the English format string, read back as a regular expression, gives the
  values of its named placeholders, and the translated format string is filled with them (each value
  turned as its kind says: a number in the reader's format, a text translated in its turn, as is);
- a source cited that is made of several ("EGESIF_16-0014-01 section 6.3.1.2; Delegated Regulation
  (EU) 2023/67") is translated part by part (`citation`);
- what remains is notation (`n = (z × BV × σr / (TE − AE))²`, `(1.282 × 62928.66 …)²`): its plain
  decimal numbers are written as the reader writes them (`amis.core.numbers`: 62.928,66 in Dutch and
  German, 62 928,66 in French), and where the decimal mark is a comma, the commas that separate
  arguments or list items become semicolons (`min(max(12; 30); 45)`), as those languages write them;
- anything still in English words (a step of an older record, a text no entry knows) is kept as it
  is and marked `lang="en"` (WCAG 2.1 success criterion 3.1.2, language of parts).

Every fixed text and every pattern is a Python format string (`%%` for a per cent sign), so the
same entry serves the templates' msgids and `msgfmt --check-format`. The test
`amis/sampling/tests/test_working_i18n.py` runs the rules and fails on a step no entry knows.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import formats
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, gettext_noop, ngettext, ngettext_lazy

from amis.core import numbers

FIELDS = ("label", "formula", "substituted", "result", "citation")


# -- the fixed texts ------------------------------------------------------------------------------

LABELS = (
    # methods.py
    gettext_noop("Tolerable error"),
    gettext_noop("z coefficient"),
    gettext_noop("Sample size (MUS standard approach)"),
    gettext_noop("Reliability and expansion factors"),
    gettext_noop("Sample size (MUS conservative approach)"),
    gettext_noop("Sample size (simple random sampling)"),
    gettext_noop("Sample size (difference estimation)"),
    gettext_noop("Sample size within bounds"),
    gettext_noop("Weighted standard deviation of the error rates"),
    gettext_noop("Allocation to the strata"),
    gettext_noop("Weighted standard deviation of the two periods"),
    gettext_noop("Split between the periods"),
    gettext_noop("Sample size (non-statistical)"),
    gettext_noop("Sub-sample size"),
    gettext_noop("Capped sample size"),
    gettext_noop("At least 3 units in each random stratum"),
    gettext_noop("Second period's size with the actual BV2"),
    gettext_noop("Points of the period"),
    # projection.py
    gettext_noop("Errors in the 100 %% stratum"),
    gettext_noop("Systemic errors"),
    gettext_noop("Anomalous errors"),
    gettext_noop("Total projected error"),
    gettext_noop("Upper limit of error"),
    gettext_noop("Total error rate"),
    gettext_noop("Upper limit rate"),
    gettext_noop("Projected random error"),
    gettext_noop("Standard deviation of the error rates"),
    gettext_noop("Precision"),
    gettext_noop("Sampling interval"),
    gettext_noop("Basic precision"),
    gettext_noop("Incremental allowance"),
    gettext_noop("Projected random error (ratio estimation)"),
    gettext_noop("Projected random error (difference estimation)"),
    gettext_noop("Projected random error (mean per unit)"),
    gettext_noop("Corrected book value"),
    gettext_noop("Projected random error (non-statistical)"),
    gettext_noop("Error of the operation from its sub-sample"),
    gettext_noop("Residual total error rate"),
    # selection.py
    gettext_noop("Population"),
    gettext_noop("Random start"),
    gettext_noop("Selection"),
    gettext_noop("Random selection"),
    # services.py (the step of the confidence level)
    gettext_noop("Confidence level"),
    gettext_noop("Standard deviation of the error rates per stratum"),
    # periods.py (two-period sampling)
    gettext_noop("Book value of the year (planned)"),
    gettext_noop("Period 1"),
    gettext_noop("Period 2"),
    gettext_noop("Book value of the year"),
    # subsamples.py
    gettext_noop("Expenditure lines behind the item"),
    # combined.py (the year's samples combined)
    gettext_noop("Samples combined"),
    gettext_noop("Projected random errors"),
    gettext_noop("Errors of the 100 %% strata, systemic and anomalous errors"),
    gettext_noop("Financial corrections"),
)

FORMULAS = (
    gettext_noop("n_s = min(max(n, 30), units left)"),
    gettext_noop("cut-off = BV_s / n_s; units above it go to the 100 %% stratum"),
    gettext_noop("EE_e = Σ Eᵢ (high-value units, not projected)"),
    gettext_noop("the delimited extent in the population (at least the systemic errors found)"),
    gettext_noop("Σ Eᵢ (anomalous, not projected)"),
    gettext_noop("TPE = EE_e + EE_s + systemic + anomalous"),
    gettext_noop("TER = TPE / BV, compared with the 2 %% materiality"),
    gettext_noop("ULE / BV, compared with the 2 %% materiality"),
    gettext_noop("RTER = (TPE − FC) / (BV − FC), compared with 2 %%"),
    gettext_noop("CBV = BV − EE; limits CBV ± SE"),
    gettext_noop("n = ⌈N × share(category)⌉"),
    gettext_noop("s = SI × r, r drawn from the recorded seed"),
    gettext_noop("unit j selected when C_{j−1} ≤ s + k × SI < C_j, k = 0 … n−1"),
    gettext_noop("n of N units with equal probability, without replacement"),
    gettext_noop("BV = Σ net value of the units with a positive net value"),
    gettext_noop("n_s = min(n_s, 50 − high-value units); interval = BV_s / n_s"),
    gettext_noop("n2 = max(n − n1, 1), n1 as drawn in period 1"),
    gettext_noop("n_t from the split between the periods"),
    gettext_noop("σr_h as the auditor expects it in stratum h (the σr of the form where none is given)"),
    gettext_noop("BV = BV1 + BV2 (forecast)"),
    gettext_noop("payment applications submitted on or before the cut-off date; n1 from the plan"),
    gettext_noop("payment applications of the year submitted after period 1's; BV = BV1 + BV2 (actual)"),
    gettext_noop("BV = BV1 + BV2; BV_s1, BV_s2 the sampled parts, the periods as strata"),
    gettext_noop(
        "the lines the management verification kept an amount of, in the verifications declared for the unit"
    ),
    gettext_noop("each sample projected onto its own population; the populations do not overlap"),
    gettext_noop("Σ EE_e,i; Σ systemic_i; Σ anomalous_i"),
    gettext_noop("TPE = Σ TPE_i (TPE_i = EE_e,i + EE_i + systemic_i + anomalous_i)"),
    gettext_noop("SE_i' = SE_i × z / z_i (brought to the highest confidence level of the year's samples)"),
)

WORDS = (
    gettext_noop("no unit"),
    gettext_noop("none"),
    # the system audits' categories (rules/tables.py CONFIDENCE_BY_CATEGORY)
    gettext_noop("works well, only minor improvements needed"),
    gettext_noop("works, but some improvements are needed"),
    gettext_noop("works partially, substantial improvements are needed"),
    gettext_noop("essentially does not work"),
    gettext_noop("high"),
    gettext_noop("moderate"),
    gettext_noop("low (none)"),
    # where the category comes from (services.py `_assurance_source`; amis/audit/rules.py SYSTEM_RULE)
    gettext_noop("no system audit completed for the year: category stated by the auditor"),
    gettext_noop(
        "A body's overall category is the worst category of its assessed key requirements; the system's "
        "category for the year is the worst overall category of the bodies whose system audit was "
        "completed that year (conservative reading of EGESIF_14-0010 section 4 and CPR Annex XI)."
    ),
)

# The sources cited (rules/tables.py and the literals of the rules), as the rules write them.
SOURCES = (
    gettext_noop("Delegated Regulation (EU) 2023/67"),
    gettext_noop(
        "EGESIF_16-0014-01 section 4 (materiality 2 %%: TE = 2 %% × BV); 2014-2020: Regulation (EU) "
        "480/2014 Art. 28(11); 2021-2027: Regulation (EU) 2021/1060 Annex XIX (annual control report), "
        "Delegated Regulation (EU) 2023/67"
    ),
    gettext_noop("EGESIF_16-0014-01 section 4 (table of z coefficients by confidence level)"),
    gettext_noop(
        "EGESIF_16-0014-01 section 6.3.4 (MUS conservative approach: table of reliability factors for "
        "zero errors and table of expansion factors by confidence level)"
    ),
    gettext_noop(
        "EGESIF_16-0014-01 section 3.2 (assurance/confidence level for the audit of operations, table "
        "relating the system audits' category to the confidence level); 2021-2027: Regulation (EU) "
        "2021/1060 Art. 79 and Delegated Regulation (EU) 2023/67"
    ),
    gettext_noop(
        "EGESIF_16-0014-01 section 6.4 (non-statistical sampling); 2014-2020: Regulation (EU) 1303/2013 "
        "Art. 127(1) (at least 5 %% of the operations and 10 %% of the expenditure); 2021-2027: "
        "Regulation (EU) 2021/1060 Art. 79(2)"
    ),
    gettext_noop("EGESIF_16-0014-01 section 7 (sub-sampling within an operation)"),
    gettext_noop("Delegated Regulation (EU) 2023/67 (sub-sampling)"),
    gettext_noop(
        "EGESIF_16-0014-01 section 5 (a statistical sample should in general not be below 30 units)"
    ),
    gettext_noop("EGESIF_16-0014-01 section 4 (random, systemic and anomalous errors)"),
    gettext_noop("EGESIF_16-0014-01 section 6.3.1.2 (high-value items)"),
    gettext_noop("EGESIF_16-0014-01 section 7 (negative sampling units)"),
    gettext_noop("EGESIF_16-0014-01 section 4 (systematic selection with a random start)"),
    # the sources as the Regulations' articles are cited since December 2026 (docs/sampling-sources.md);
    # each part between "; " on its own, as `citation` reads them
    gettext_noop(
        "2014-2020: Delegated Regulation (EU) No 480/2014 Art. 28(11) (maximum materiality 2 %% of the "
        "expenditure: TE = 2 %% × BV)"
    ),
    gettext_noop(
        "2021-2027: Regulation (EU) 2021/1060 Annex XIX (annual control report), Delegated Regulation "
        "(EU) 2023/67 Annexes I-II"
    ),
    gettext_noop("EGESIF_16-0014-01 (materiality)"),
    gettext_noop("EGESIF_16-0014-01 (table of z coefficients by confidence level)"),
    gettext_noop("Φ⁻¹((1 + CL) / 2) to three decimals"),
    gettext_noop(
        "EGESIF_16-0014-01, MUS conservative approach (tables of reliability factors for zero errors and "
        "of expansion factors by confidence level; section number not verified)"
    ),
    gettext_noop(
        "2014-2020: Delegated Regulation (EU) No 480/2014 Art. 28(11) (high reliability: not less than "
        "60 %%; low reliability: not less than 90 %%)"
    ),
    gettext_noop("2021-2027: Delegated Regulation (EU) 2023/67 recital (11) and Annex I"),
    gettext_noop(
        "EGESIF_16-0014-01 section 3.2 (assurance/confidence level for the audit of operations: the "
        "table relating the system audits' category to the confidence level, categories 2-3)"
    ),
    gettext_noop(
        "2014-2020: Regulation (EU) No 1303/2013 Art. 127(1) (at least 5 %% of the operations and 10 %% "
        "of the expenditure)"
    ),
    gettext_noop(
        "2021-2027: Regulation (EU) 2021/1060 Art. 79(2) and Delegated Regulation (EU) 2023/67 Art. 6 "
        "(fewer than 300 sampling units; at least 10 %% of the sampling units)"
    ),
    gettext_noop("EGESIF_16-0014-01 (non-statistical sampling)"),
    gettext_noop(
        "2014-2020: Delegated Regulation (EU) No 480/2014 Art. 28(9) (not less than 30 underlying payment "
        "claims or invoices for each sampling unit)"
    ),
    gettext_noop("2021-2027: Delegated Regulation (EU) 2023/67 Art. 7 (subsampling) and Art. 8(3)"),
    gettext_noop(
        "Delegated Regulation (EU) 2023/67 Art. 5(5) (at least 30 units and at least 3 units in each "
        "random stratum of a sampling period)"
    ),
    gettext_noop(
        "2014-2020: EGESIF_16-0014-01 (a statistical sample should in general not be below 30 units)"
    ),
    gettext_noop(
        "Delegated Regulation (EU) 2023/67 Art. 5(7) and recital (10) (capped sample size of 50 "
        "sampling units)"
    ),
    gettext_noop("Delegated Regulation (EU) 2023/67 Art. 8(1)"),
    gettext_noop("2014-2020: Delegated Regulation (EU) No 480/2014 Art. 28(14)"),
    gettext_noop("2021-2027: Delegated Regulation (EU) 2023/67 Art. 8(1) (total error rate)"),
    gettext_noop("EGESIF_16-0014-01 sections 6.3.2 and 6.3.3 (strata and periods combined)"),
    gettext_noop("AMIS: verification.LineDecision of the unit's declared items"),
)

# Phrases the rules add inside notation ("a: 0.05 (σr of the form)", "4921.62 (approximation: …)"):
# translated where they stand, the notation around them as notation.
EMBEDDED = (
    gettext_noop(" (σr of the form)"),
    gettext_noop(" (approximation: a conservative MUS precision is not z-based)"),
)


def _english(msgid: str) -> str:
    return msgid % {}


FIXED: dict[str, str] = {_english(m): m for m in (*LABELS, *FORMULAS, *WORDS, *SOURCES)}
EMBEDDED_TEXTS: dict[str, str] = {_english(m): m for m in EMBEDDED}
SOURCE_TEXTS = frozenset(_english(m) for m in SOURCES)


# -- the texts with a part that varies --------------------------------------------------------------

# How a placeholder's value is shown: "number" in the reader's format, "text" translated in its turn
# (fixed text, pattern or notation), "raw" as it is (a seed, a stratum's name), "bodies" the list of
# audited bodies with their category.
Kinds = Mapping[str, str]


@dataclass(frozen=True)
class Pattern:
    message: str  # the msgid (its singular, for a plural)
    kinds: Kinds = field(default_factory=dict)
    english: str = ""  # the format string the rules write, when it is not the message itself
    plural: str = ""  # the plural msgid; the placeholder `count` chooses
    regex: re.Pattern[str] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "regex", _compile(self.english or self.message))


def _compile(template: str) -> re.Pattern[str]:
    parts: list[str] = []
    for token in re.split(r"(%\(\w+\)s|%%)", template):
        if token == "%%":
            parts.append("%")
        elif token.startswith("%("):
            parts.append(f"(?P<{token[2:-2]}>.+?)")
        else:
            parts.append(re.escape(token))
    return re.compile("".join(parts), re.DOTALL)


def _plural(message: Promise, english: str, kinds: Kinds) -> Pattern:
    """A pattern with a plural: `message` is an `ngettext_lazy` (so makemessages extracts both
    forms); its msgids are read back from it."""
    reduced: Any = message.__reduce__()  # (unpickle, (func, resultclass, number, kwargs))
    forms = reduced[1][3]
    return Pattern(forms["singular"], kinds, english, forms["plural"])


N = "number"
LABEL_PATTERNS = (
    Pattern(gettext_noop("MUS: cut-off, round %(round)s"), {"round": N}),
    Pattern(gettext_noop("MUS conservative: cut-off, round %(round)s"), {"round": N}),
    Pattern(gettext_noop("Stratum %(name)s"), {"name": "raw"}),
    # a period of two-period sampling (periods.py: the label of its MUS rounds)
    Pattern(gettext_noop("Period %(period)s: cut-off, round %(round)s"), {"period": "raw", "round": N}),
    # combined.py
    Pattern(
        gettext_noop("Precision of sample %(sample)s at %(confidence)s %%"),
        {"sample": "raw", "confidence": N},
    ),
)
TEXT_PATTERNS = (
    # formulas
    Pattern(
        gettext_noop("from the system audits' category (at least %(minimum)s %%, chosen %(chosen)s %%)"),
        {"minimum": N, "chosen": N},
    ),
    # values substituted
    Pattern(gettext_noop("found %(found)s, delimited %(delimited)s"), {"found": N, "delimited": N}),
    Pattern(gettext_noop("found %(found)s"), {"found": N}),
    Pattern(
        gettext_noop(
            "%(lines)s lines, %(units)s units, %(excluded)s unit(s) at zero or below left out (%(value)s)"
        ),
        {"lines": N, "units": N, "excluded": N, "value": N},
    ),
    Pattern(gettext_noop("seed %(seed)s"), {"seed": "raw"}),
    _plural(
        ngettext_lazy(
            "%(count)s point over %(units)s units", "%(count)s points over %(units)s units", "count"
        ),
        "%(count)s points over %(units)s units",
        {"count": N, "units": N},
    ),
    Pattern(gettext_noop("%(n)s of %(total)s, seed %(seed)s"), {"n": N, "total": N, "seed": "raw"}),
    _plural(ngettext_lazy("%(count)s rate", "%(count)s rates", "count"), "%(count)s rates", {"count": N}),
    Pattern(
        gettext_noop("category %(category)s: %(assessment)s; %(source)s"),
        {"category": N, "assessment": "text", "source": "text"},
    ),
    Pattern(
        gettext_noop("system audits completed for the year: %(bodies)s; %(rule)s"),
        {"bodies": "bodies", "rule": "text"},
    ),
    # results
    _plural(
        ngettext_lazy("%(count)s unit above", "%(count)s units above", "count"),
        "%(count)s unit(s) above",
        {"count": N},
    ),
    Pattern(gettext_noop("%(rate)s (not above 2 %% = %(te)s)"), {"rate": N, "te": N}),
    Pattern(gettext_noop("%(rate)s (above 2 %% = %(te)s)"), {"rate": N, "te": N}),
    Pattern(gettext_noop("%(rate)s (not above 2 %%)"), {"rate": N}),
    Pattern(gettext_noop("%(rate)s (above 2 %%)"), {"rate": N}),
    Pattern(gettext_noop("%(value)s (%(low)s to %(high)s)"), {"value": N, "low": N, "high": N}),
    _plural(
        ngettext_lazy(
            "%(count)s unit selected, %(high)s in the 100 %% stratum",
            "%(count)s units selected, %(high)s in the 100 %% stratum",
            "count",
        ),
        "%(count)s unit(s) selected, %(high)s in the 100 %% stratum",
        {"count": N, "high": N},
    ),
    _plural(ngettext_lazy("%(count)s unit", "%(count)s units", "count"), "%(count)s unit(s)", {"count": N}),
    # methods.capped_design
    Pattern(gettext_noop("n_s = %(ns)s, n = %(n)s, interval %(interval)s"), {"ns": N, "n": N, "interval": N}),
    # periods.py
    Pattern(gettext_noop("cut-off %(day)s, BV1 = %(bv)s"), {"day": "date", "bv": N}),
    # subsamples.py
    _plural(
        ngettext_lazy(
            "%(count)s line, Σ eligible = %(total)s; the item's book value %(bv)s",
            "%(count)s lines, Σ eligible = %(total)s; the item's book value %(bv)s",
            "count",
        ),
        "%(count)s line(s), Σ eligible = %(total)s; the item's book value %(bv)s",
        {"count": N, "total": N, "bv": N},
    ),
)
# The items of a list the rules write ("sample 1, sample 2"), each read by one of these.
ITEM_PATTERNS = (Pattern(gettext_noop("sample %(number)s"), {"number": "raw"}),)
BODY = Pattern(gettext_noop("%(name)s (category %(category)s)"), {"name": "raw", "category": N})
SECTION = Pattern(gettext_noop("EGESIF_16-0014-01 section %(section)s"), {"section": "raw"})


# -- rendering --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    text: str
    english: bool = False  # left in English: marked lang="en" on a page in another language


Parts = list[Part]

_NUMBER = re.compile(r"(?<![A-Za-z0-9_.,])(\d+(?:\.\d+)?)(?![A-Za-z0-9_]|\.\d)", re.ASCII)
_WORD = re.compile(r"[A-Za-z]*[a-z][A-Za-z]*")
NOTATION_WORDS = frozenset({"min", "max"})


def _language() -> str:
    return get_language() or "en"


def _comma_decimal(language: str) -> bool:
    return numbers.style(language).decimal == ","


def localise_numbers(text: str, language: str | None = None) -> str:
    """The plain decimal numbers of `text` as the reader writes them (62928.66 → 62.928,66 in
    Dutch); digits inside names (SO1, C_j) stay as they are."""
    language = language or _language()

    def one(match: re.Match[str]) -> str:
        try:
            return numbers.format_number(Decimal(match.group(1)), language, None)
        except InvalidOperation:  # pragma: no cover - the regex only matches decimals
            return match.group(1)

    return _NUMBER.sub(one, text)


def has_words(text: str) -> bool:
    """Whether `text` holds words (lower case, three letters or more) besides notation."""
    return any(len(w) >= 3 and w not in NOTATION_WORDS for w in _WORD.findall(text))


def _notation(text: str, language: str) -> Parts:
    for phrase in EMBEDDED_TEXTS:
        if phrase in text:
            out: Parts = []
            for index, piece in enumerate(text.split(phrase)):
                if index:
                    out.extend(_fixed_of(EMBEDDED_TEXTS, phrase))
                if piece:
                    out.extend(_notation(piece, language))
            return out
    shown = localise_numbers(text, language)
    if _comma_decimal(language):
        shown = shown.replace(", ", "; ")
    return [Part(shown, english=has_words(text))]


def _fill(pattern: Pattern, values: Mapping[str, str], language: str) -> Parts:
    """The pattern's translation with its placeholders' values shown, as parts (a value left in
    English stays a part of its own)."""
    shown: dict[str, Parts] = {}
    for name, text in values.items():
        kind = pattern.kinds.get(name, "raw")
        if kind == "number":
            shown[name] = [Part(localise_numbers(text, language))]
        elif kind == "text":
            shown[name] = _text(text, language)
        elif kind == "bodies":
            shown[name] = _bodies(text, language)
        elif kind == "date":
            shown[name] = [Part(_day(text))]
        else:
            shown[name] = [Part(text)]
    if pattern.plural:
        template = ngettext(pattern.message, pattern.plural, _count(values.get("count", "")))
    else:
        template = gettext(pattern.message)
    markers = {name: f"\x00{name}\x00" for name in values}
    english = False
    try:
        filled = template % markers
    except (KeyError, TypeError, ValueError):  # a translation that does not fit its msgid: English
        plural = pattern.plural and _count(values.get("count", "")) != 1
        filled, english = (pattern.plural if plural else pattern.message) % markers, True
    out: Parts = []
    for index, token in enumerate(re.split("\x00(\\w+)\x00", filled)):
        if index % 2:
            out.extend(shown[token])
        elif token:
            out.append(Part(token, english=english))
    return out


def _fixed(text: str) -> Parts:
    """A fixed text in the reader's language; English when its translation does not fit."""
    return _fixed_of(FIXED, text)


def _fixed_of(catalogue: Mapping[str, str], text: str) -> Parts:
    try:
        return [Part(gettext(catalogue[text]) % {})]
    except (KeyError, TypeError, ValueError):
        return [Part(text, english=True)]


def _list(text: str, language: str) -> Parts | None:
    """A list whose every item one of `ITEM_PATTERNS` reads ("sample 1, sample 2"), or None."""
    out: Parts = []
    for index, item in enumerate(text.split(", ")):
        matched = _match(ITEM_PATTERNS, item)
        if matched is None:
            return None
        if index:
            out.append(Part(", "))
        out.extend(_fill(matched[0], matched[1], language))
    return out


def _day(text: str) -> str:
    """An ISO day in the reader's short date format (as it is when it is not one)."""
    try:
        return formats.date_format(dt.date.fromisoformat(text), "SHORT_DATE_FORMAT")
    except ValueError:
        return text


def _count(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        return 0


def _match(patterns: Iterable[Pattern], text: str) -> tuple[Pattern, dict[str, str]] | None:
    for pattern in patterns:
        found = pattern.regex.fullmatch(text)
        if found:
            return pattern, found.groupdict()
    return None


def _text(text: str, language: str, patterns: Iterable[Pattern] = TEXT_PATTERNS) -> Parts:
    """A fixed text, a text of a pattern, or notation, in the reader's language."""
    if text in FIXED:
        return _fixed(text)
    matched = _match(patterns, text)
    if matched:
        return _fill(matched[0], matched[1], language)
    return _list(text, language) or _notation(text, language)


def _bodies(text: str, language: str) -> Parts:
    """ "FPS Home Affairs (category 2), Other body (category 1)": each body's category in words."""
    found = list(re.finditer(r"(?P<name>.+?) \(category (?P<category>\d+)\)(?:, |$)", text))
    if not found or "".join(m.group(0) for m in found) != text:
        return [Part(text, english=has_words(text))]
    out: Parts = []
    for index, match in enumerate(found):
        if index:
            out.append(Part(", "))
        out.extend(_fill(BODY, {"name": match["name"], "category": match["category"]}, language))
    return out


def label(text: str, language: str | None = None) -> Parts:
    language = language or _language()
    if text in FIXED:
        return _fixed(text)
    matched = _match(LABEL_PATTERNS, text)
    if matched:
        return _fill(matched[0], matched[1], language)
    return [Part(text, english=True)]


def _citation_part(text: str, language: str) -> Parts | None:
    if text in SOURCE_TEXTS:
        return _fixed(text)
    found = SECTION.regex.fullmatch(text)
    if found and re.fullmatch(r"[0-9.]+", found["section"]):
        return _fill(SECTION, found.groupdict(), language)
    return None


def _citation(text: str, language: str) -> Parts | None:
    whole = _citation_part(text, language)
    if whole is not None:
        return whole
    start = 0
    while True:
        cut = text.find("; ", start)
        if cut < 0:
            return None
        head = _citation(text[:cut], language)
        tail = _citation(text[cut + 2 :], language) if head is not None else None
        if head is not None and tail is not None:
            return [*head, Part("; "), *tail]
        start = cut + 2


def citation(text: str, language: str | None = None) -> Parts:
    """A source cited in the reader's language, part by part; one no entry knows stays in English."""
    language = language or _language()
    return _citation(text, language) or [Part(text, english=True)]


def formula(text: str, language: str | None = None) -> Parts:
    """A formula: notation stays as it is (its numbers in the reader's format), words translated."""
    language = language or _language()
    if text in FIXED:
        return _fixed(text)
    matched = _match(TEXT_PATTERNS, text)
    if matched:
        return _fill(matched[0], matched[1], language)
    return _notation(text, language)


def value(text: str, language: str | None = None) -> Parts:
    """The values substituted or a result."""
    return _text(text, language or _language())


RENDER: dict[str, Callable[[str, str | None], Parts]] = {
    "label": label,
    "formula": formula,
    "substituted": value,
    "result": value,
    "citation": citation,
}


def parts(step: Mapping[str, Any], name: str, language: str | None = None) -> Parts:
    return RENDER[name](str(step.get(name) or ""), language)


def plain(parts: Parts) -> str:
    return "".join(p.text for p in parts)


def html(parts: Parts, language: str | None = None) -> SafeString:
    """The parts escaped; those left in English in a `<span lang="en">` on a page in another
    language."""
    english_page = (language or _language()).lower().startswith("en")
    out = []
    for part in parts:
        if part.english and not english_page and part.text.strip():
            out.append(f'<span lang="en">{escape(part.text)}</span>')
        else:
            out.append(str(escape(part.text)))
    return mark_safe("".join(out))  # noqa: S308 - every part escaped above


def step_html(step: Mapping[str, Any], language: str | None = None) -> dict[str, SafeString]:
    language = language or _language()
    return {name: html(parts(step, name, language), language) for name in FIELDS}


def step_text(step: Mapping[str, Any], language: str | None = None) -> dict[str, str]:
    language = language or _language()
    return {name: plain(parts(step, name, language)) for name in FIELDS}


def untranslated(step: Mapping[str, Any]) -> list[str]:
    """The fields of a step that no entry knows (a label is always text; the other fields may be
    notation but then hold no words). For the test that keeps the catalogue complete."""
    missing = []
    for name in FIELDS:
        if any(p.english for p in parts(step, name, "en")):
            missing.append(name)
    return missing
