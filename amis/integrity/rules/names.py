"""Matching beneficiaries by name when the other fund's list has no enterprise number.

Real ESF and ISF lists often name the beneficiary only. The name is normalised (case, accents,
punctuation, and the legal-form words of Belgium and its neighbours: ASBL/VZW, AISBL/IVZW, NPO,
BV/SRL, NV/SA, CV/SC, BVBA/SPRL, VOF/SNC, ...), so that "ASBL Lire et Écrire" and "Lire et Ecrire
asbl" are the same key. Keys that are not equal are compared with rapidfuzz's token-sort ratio
(word order does not matter); at or above `THRESHOLD` they are a possible match, with that ratio as
the confidence. A name match is never certain: the officer confirms or rejects it, and the decision
is remembered for the organisation and that name (Regulation (EU) 2021/1060 Art. 63(9); AMIF
national programme BE section 6.6).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from rapidfuzz import fuzz

THRESHOLD = 90  # token-sort ratio, 0-100
# Legal forms (after accents and dots are removed): they say how, not who.
LEGAL_FORMS = frozenset(
    """
    asbl vzw aisbl ivzw npo ngo ong vog fondation stichting foundation ev gmbh ag
    bv srl bvba sprl nv sa cv sc cvba scrl scri vof snc commv scs ltd plc inc llc sarl sas
    """.split()
)
_WORD = re.compile(r"[^\W_]+")
_MIN_TOKEN = 4  # words shorter than this are too common to find candidates by


def name_key(name: str) -> str:
    """'ASBL Lire et Écrire' -> 'lire et ecrire'; '' when nothing but a legal form is left."""
    decomposed = unicodedata.normalize("NFKD", name.replace(".", ""))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(word for word in _WORD.findall(plain) if word not in LEGAL_FORMS)


def score(a: str, b: str) -> Decimal:
    """How alike two name keys are, 0.00 to 1.00 (1.00: the same key)."""
    if a == b:
        return Decimal("1.00")
    return (Decimal(str(fuzz.token_sort_ratio(a, b))) / 100).quantize(Decimal("0.01"))


class NameIndex:
    """The name keys of a list, searchable by a key: equal keys at once, similar ones through the
    words they share (an inverted index), so that 5,000 applications against 200,000 projects
    compare each name with a handful of candidates, not with every project."""

    def __init__(self, keys: Iterable[str]) -> None:
        self.keys = sorted({k for k in keys if k})
        self.by_word: defaultdict[str, list[int]] = defaultdict(list)
        for position, key in enumerate(self.keys):
            for word in set(key.split()):
                if len(word) >= _MIN_TOKEN:
                    self.by_word[word].append(position)

    def similar(self, key: str) -> list[tuple[str, Decimal]]:
        """(key, confidence) of the keys at or above the threshold, best first."""
        if not key:
            return []
        candidates: set[int] = set()
        for word in set(key.split()):
            if len(word) >= _MIN_TOKEN:
                candidates.update(self.by_word.get(word, ()))
        found = []
        for position in candidates:
            other = self.keys[position]
            ratio = 100.0 if other == key else fuzz.token_sort_ratio(key, other, score_cutoff=THRESHOLD)
            if ratio >= THRESHOLD:
                found.append((other, (Decimal(str(ratio)) / 100).quantize(Decimal("0.01"))))
        if key in self.keys and not any(k == key for k, _c in found):
            found.append((key, Decimal("1.00")))
        return sorted(found, key=lambda item: (-item[1], item[0]))
