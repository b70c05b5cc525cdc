"""Flags AMIF applications whose beneficiary has an overlapping project in another fund.

The beneficiary is recognised by its enterprise number, or by its name where a number is missing
(`names`); each flag says on which basis, with a confidence.

Regulation (EU) 2021/1060 Art. 63(9) and AMIF national programme BE section 6.6 (no double funding):
the same costs may not be paid by AMIF and by ESF or ISF. Whether they are is an officer's judgement,
so every application of the same beneficiary (same KBO/BCE number) running at the same time is flagged,
and the similarity of the descriptions only helps to decide which flags to look at first.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext

from amis.core import messages
from amis.core.messages import gettext as _
from amis.core.money import CENT
from amis.integrity.rules import kbo, names, terms
from amis.integrity.rules.records import ApplicationRecord, Flag, OtherFundProject

NUMBER, NAME = "enterprise_number", "name"

_WORD = re.compile(r"[^\W_]+")
# Words of three letters or more that say nothing about what is funded (accents already stripped).
STOPWORDS = frozenset(
    """
    the and for are was were with from that this these those into onto over under about will shall
    can has have had not but all any our their its who whom which what when where how also than then
    een het van voor met aan als bij dat die deze dit door naar ook maar niet wordt worden zijn zal
    hun tot uit over onder wij zij hen hoe wat wie waar
    les des une pour par avec dans sur aux est sont ont qui que quoi dont cette ces ses leur leurs
    nous vous ils elles pas plus entre sans vers
    der die das den dem des ein eine einer eines und oder mit von fur auf aus bei nach uber unter
    ist sind wird werden nicht auch als wie zum zur sich
    project projects projecten projet projets projekt projekte
    """.split()
)


def tokens(text: str) -> list[str]:
    """Lower-cased, accent-free words of letters or digits, at least 3 long, stopwords left out."""
    if not text.isascii():  # the common all-ASCII text needs no decomposition
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = text.casefold()
    return [word for word in _WORD.findall(plain) if len(word) >= 3 and word not in STOPWORDS]


class _Vector:
    __slots__ = ("counts", "norm2")

    def __init__(self, *texts: str) -> None:
        self.counts = Counter(term for text in texts for term in terms.terms(text, STOPWORDS))
        self.norm2 = sum(n * n for n in self.counts.values())

    def cosine(self, other: _Vector) -> Decimal:
        """Exact from integer counts, then rounded half-up, so the same texts always give the same score."""
        if not self.norm2 or not other.norm2:
            return Decimal("0.00")
        small, large = sorted((self.counts, other.counts), key=len)
        dot = sum(n * large[word] for word, n in small.items() if word in large)
        with localcontext() as context:
            context.prec = 28
            value = Decimal(dot) / Decimal(self.norm2 * other.norm2).sqrt()
        return min(value, Decimal(1)).quantize(CENT, rounding=ROUND_HALF_UP)


def similarity(a: str, b: str) -> Decimal:
    """Cosine similarity of the term counts of two texts (`terms`: stems and concepts shared across
    Dutch, French, German and English), 0.00 to 1.00."""
    return _Vector(a).cosine(_Vector(b))


def overlap_days(start_a: date, end_a: date, start_b: date, end_b: date) -> int:
    """Days that both periods share, both ends included; 0 when they do not meet."""
    return max(0, (min(end_a, end_b) - max(start_a, start_b)).days + 1)


def _key(enterprise_number: str | None) -> str | None:
    if not enterprise_number:
        return None
    if len(enterprise_number) == 10 and enterprise_number.isdigit():  # already compact, as parse gives it
        return enterprise_number
    return kbo.key(enterprise_number)


def explain(
    *,
    enterprise_number: str,
    fund: str,
    identifier: str,
    title: str,
    start: date,
    end: date,
    days: int,
    score: Decimal,
    basis: str = NUMBER,
    beneficiary: str = "",
    confidence: Decimal = Decimal("1.00"),
) -> str:
    """Why a flag was raised, in the reader's language (the page shows this; the flag stores the English
    `_reason` of the moment it was raised)."""
    values = {
        "kbo": kbo.display(enterprise_number),
        "fund": fund,
        "identifier": identifier,
        "title": title,
        "start": messages.date(start),
        "end": messages.date(end),
        "days": days,
        "similar": int(score * 100),
        "name": beneficiary,
        "alike": int(confidence * 100),
    }
    if basis == NAME:
        who = _("A beneficiary named '%(name)s' (name %(alike)s %% alike)") % values
    else:
        who = _("Same beneficiary (KBO %(kbo)s)") % values
    if days == 1:
        text = _(
            "%(who)s has %(fund)s project %(identifier)s '%(title)s' from %(start)s "
            "to %(end)s, overlapping 1 day; descriptions are %(similar)s %% similar."
        )
    else:
        text = _(
            "%(who)s has %(fund)s project %(identifier)s '%(title)s' from %(start)s "
            "to %(end)s, overlapping %(days)s days; descriptions are %(similar)s %% similar."
        )
    return text % {**values, "who": who}


def _reason(
    number: str | None, project: OtherFundProject, days: int, score: Decimal, confidence: Decimal = Decimal(1)
) -> str:
    """Stored with the flag, in English (what the API's `reason` and old flags hold)."""
    who = (
        f"Same beneficiary (KBO {kbo.display(number)})"
        if number
        else f"A beneficiary named '{project.beneficiary_name}' (name {int(confidence * 100)} % alike)"
    )
    return (
        f"{who} has {project.fund} project {project.identifier} "
        f"'{project.title}' from {project.start.isoformat()} to {project.end.isoformat()}, "
        f"overlapping {days} day{'s' if days != 1 else ''}; descriptions are {int(score * 100)} % similar."
    )


def _order(flag: Flag) -> tuple[Decimal, int, str, str, str, int]:
    other = flag.other
    return (
        -flag.similarity,
        -flag.overlap_days,
        flag.application_reference,
        other.fund,
        other.identifier,
        other.source_row,
    )


def _name_candidates(
    applications: list[ApplicationRecord], projects: list[OtherFundProject]
) -> dict[str, list[tuple[int, Decimal]]]:
    """application reference -> (project position, confidence) of the projects whose beneficiary's
    name is alike, when the two enterprise numbers do not say otherwise (both present and different:
    two legal persons, whatever their names)."""
    keys: defaultdict[str, list[int]] = defaultdict(list)
    for position, project in enumerate(projects):
        key = names.name_key(project.beneficiary_name)
        if key:
            keys[key].append(position)
    index = names.NameIndex(keys)
    found: dict[str, list[tuple[int, Decimal]]] = {}
    for application in applications:
        own = names.name_key(application.organisation_name)
        number = _key(application.enterprise_number)
        for key, confidence in index.similar(own):
            for position in keys[key]:
                other = _key(projects[position].enterprise_number)
                if number and other and number != other:
                    continue
                if number and other == number:
                    continue  # matched by number already
                found.setdefault(application.reference, []).append((position, confidence))
    return found


def find_flags(applications: list[ApplicationRecord], projects: list[OtherFundProject]) -> list[Flag]:
    """One flag per (application, project) of the same beneficiary with overlapping periods.

    The same beneficiary: the same enterprise number (confidence 1.00), or, where one side has no
    number, a name alike by `names` (confidence its ratio; the officer confirms or rejects it).
    Projects are indexed by number and by name, so the cost grows with the number of records and of
    flags, not with applications x projects. Most similar first.
    """
    wanted = {key for application in applications if (key := _key(application.enterprise_number))}
    index: defaultdict[str, list[int]] = defaultdict(list)
    for position, project in enumerate(projects):
        key = _key(project.enterprise_number)
        if key in wanted:
            index[key].append(position)
    by_name = _name_candidates(applications, projects)
    vectors: dict[int, _Vector] = {}
    flags: list[Flag] = []
    for application in applications:
        key = _key(application.enterprise_number)
        matches = [(p, NUMBER, Decimal("1.00")) for p in index.get(key, [])] if key else []
        matches += [(p, NAME, c) for p, c in by_name.get(application.reference, [])]
        own: _Vector | None = None
        for position, basis, confidence in matches:
            project = projects[position]
            days = overlap_days(application.start, application.end, project.start, project.end)
            if not days:
                continue
            if own is None:
                own = _Vector(application.title, application.summary, application.description)
            if position not in vectors:
                vectors[position] = _Vector(project.title, project.description)
            score = own.cosine(vectors[position])
            reason = _reason(key if basis == NUMBER else None, project, days, score, confidence)
            flags.append(Flag(application.reference, project, days, score, reason, basis, confidence))
    return sorted(flags, key=_order)
