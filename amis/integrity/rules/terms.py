"""Words of a project text as terms that survive translation, for the description similarity.

An AMIF application in Dutch and an ESF project described in French share almost no words, so a
plain word comparison scores them 0.00 even when they fund the same language course. Each text is
therefore turned into terms that the languages of Belgium (and English and German) share:

1. its language is guessed from its function words (nl, fr, de, en);
2. each word is stemmed with that language's Snowball stemmer (`snowballstemmer`), so that
   "vluchtelingen" and "vluchteling", "réfugiés" and "réfugié" are one term;
3. stems found in `CONCEPTS` — the field's vocabulary (refugee, asylum, integration, language,
   course, work, coaching, housing, ...) in the four languages — become the concept's name, so
   "vluchteling", "réfugié", "Flüchtling" and "refugee" are one term;
4. numbers and other words (place names, names of organisations and methods) stay as they are:
   "Gent" and "Gand" do not meet, but "Antwerpen", "2027" or "NT2" do.

What the score cannot see is said in docs/double-funding.md: words outside the vocabulary are
compared only within one language, and the score never decides — an officer does.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

_WORD = re.compile(r"[^\W_]+")
LANGUAGES = {"nl": "dutch", "fr": "french", "de": "german", "en": "english"}
# Frequent function words that tell the language of a short text.
_MARKERS = {
    "nl": set("de het een en van voor met op aan door naar bij ook zijn wordt worden die dat".split()),
    "fr": set("le la les un une et des du pour avec dans sur par aux est sont qui que".split()),
    "de": set("der die das und ein eine für mit von zu auf im ist sind werden den dem".split()),
    "en": set("the a an and of for with to in on by is are be this that".split()),
}
# fmt: off
CONCEPTS: dict[str, tuple[str, ...]] = {
    "refugee": ("refugee", "refugees", "vluchteling", "vluchtelingen", "réfugié", "réfugiés",
                "flüchtling", "flüchtlinge"),
    "asylum": ("asylum", "asiel", "asielzoeker", "asielzoekers", "asile", "demandeur", "asyl"),
    "newcomer": ("newcomer", "newcomers", "nieuwkomer", "nieuwkomers", "arrivant", "arrivants",
                 "neuankömmling", "neuankömmlinge"),
    "migrant": ("migrant", "migrants", "migranten", "immigrant", "immigrants", "migration", "migratie"),
    "integration": ("integration", "integratie", "inburgering", "inburgeringstraject", "intégration",
                    "integrationskurs"),
    "language": ("language", "languages", "taal", "talen", "langue", "langues", "sprache", "sprachen"),
    "course": ("course", "courses", "class", "classes", "training", "cursus", "cursussen", "les",
               "lessen", "opleiding", "opleidingen", "cours", "formation", "formations", "kurs", "kurse",
               "schulung"),
    "dutch": ("dutch", "nederlands", "nederlandse", "néerlandais", "niederländisch", "nt2"),
    "french": ("french", "frans", "français", "französisch", "fle"),
    "work": ("work", "job", "jobs", "employment", "werk", "tewerkstelling", "werkvloer", "werkplek",
             "emploi", "travail", "arbeit", "beschäftigung", "arbeitsmarkt", "arbeidsmarkt", "marché"),
    "coaching": ("coaching", "guidance", "counselling", "mentoring", "begeleiding", "trajectbegeleiding",
                 "accompagnement", "begleitung", "beratung", "mentor", "buddy", "parrainage", "mentorat"),
    "housing": ("housing", "huisvesting", "woning", "wonen", "logement", "wohnung", "wohnen"),
    "health": ("health", "gezondheid", "santé", "gesundheit"),
    "psychosocial": ("psychosocial", "psychosociaal", "psychosoziale", "trauma", "mental"),
    "child": ("child", "children", "kind", "kinderen", "enfant", "enfants", "kinder"),
    "youth": ("youth", "young", "jongeren", "jongere", "jeunes", "jeune", "jugend", "jugendliche"),
    "minor": ("minor", "minors", "minderjarige", "minderjarigen", "mineur", "mineurs", "minderjährige"),
    "women": ("women", "woman", "vrouwen", "vrouw", "femmes", "femme", "frauen", "frau"),
    "family": ("family", "families", "gezin", "gezinnen", "familie", "famille", "familles"),
    "school": ("school", "scholen", "école", "écoles", "schule", "schulen"),
    "education": ("education", "onderwijs", "enseignement", "éducation", "bildung"),
    "literacy": ("literacy", "alfabetisering", "geletterdheid", "alphabétisation", "alphabetisierung"),
    "orientation": ("orientation", "oriëntatie", "maatschappelijke", "citizenship", "burgerschap",
                    "citoyenneté", "orientierung"),
    "volunteer": ("volunteer", "volunteers", "vrijwilliger", "vrijwilligers", "bénévole", "bénévoles",
                  "freiwillige", "ehrenamtliche"),
    "return": ("return", "terugkeer", "retour", "rückkehr"),
    "reception": ("reception", "opvang", "accueil", "aufnahme"),
    "interpreting": ("interpreting", "interpreter", "tolk", "tolken", "interprète", "interprétariat",
                     "dolmetscher", "dolmetschen"),
    "legal": ("legal", "juridisch", "juridische", "juridique", "rechtlich", "rechtsberatung"),
    "digital": ("digital", "digitaal", "digitale", "numérique", "digitale"),
    "pathway": ("pathway", "pathways", "traject", "trajecten", "parcours", "itinéraire", "weg"),
    "learning": ("learning", "leren", "apprentissage", "lernen"),
    "recognised": ("recognised", "recognized", "erkend", "erkende", "reconnu", "reconnus", "anerkannt",
                   "anerkannte"),
    # places with a name in each language
    "antwerp": ("antwerp", "antwerpen", "anvers"),
    "ghent": ("ghent", "gent", "gand"),
    "brussels": ("brussels", "brussel", "bruxelles", "brüssel"),
    "liege": ("liège", "luik", "lüttich"),
    "mons": ("mons", "bergen"),
    "leuven": ("leuven", "louvain"),
    "mechelen": ("mechelen", "malines"),
    "flanders": ("flanders", "vlaanderen", "flandre", "flandern"),
    "wallonia": ("wallonia", "wallonië", "wallonie", "wallonien"),
}
# fmt: on


@lru_cache(maxsize=4)
def _stemmer(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(LANGUAGES[language])


_SYMBOL = re.compile(r"[^\w\s\x00-\x7f]")


def _compatible(text: str) -> str:
    """Symbols that stand for letters or digits ('㌀' is アパート, '①' is 1) written as those, as
    `match.tokens` reads them: both see the same words. Letters are left as they are."""
    if text.isascii():
        return text
    return _SYMBOL.sub(lambda m: _plain(m.group()), text)


def _plain(word: str) -> str:
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=200_000)
def _stem(word: str, language: str) -> str:
    """Cached: the Snowball stemmers are pure Python, and a call's texts repeat their words (the
    check of a 5,000-application call stems a few hundred thousand words, a few thousand distinct)."""
    return _plain(_stemmer(language).stemWord(word))


def _concept_index() -> dict[tuple[str, str], str]:
    """(language, stem) -> concept, every word of CONCEPTS stemmed in every language (a word's own
    language is not known here, and a stemmer leaves other languages' words nearly whole)."""
    index: dict[tuple[str, str], str] = {}
    for concept, words in CONCEPTS.items():
        for word in words:
            for language in LANGUAGES:
                index.setdefault((language, _stem(word.casefold(), language)), concept)
    return index


_CONCEPTS = _concept_index()


def language_of(words: list[str]) -> str:
    """The language whose function words the text uses most (English when none is found)."""
    counts = {language: sum(1 for w in words if w in markers) for language, markers in _MARKERS.items()}
    best = max(counts, key=lambda language: counts[language])
    return best if counts[best] else "en"


def terms(text: str, stopwords: frozenset[str]) -> list[str]:
    """The text's terms (see the module's doc): concepts, stems, numbers; stopwords and words under
    three letters left out."""
    words = []
    for word in _WORD.findall(_compatible(text.casefold())):
        parts = _WORD.findall(_plain(word))  # '¼' decomposes to '1⁄4': two words, as match.tokens
        words.extend([word] if len(parts) == 1 else parts)
    language = language_of(words)
    found = []
    for word in words:
        if len(_plain(word)) < 3:  # as match.tokens counts: after decomposition
            continue
        if _plain(word) in stopwords:
            continue
        if word.isdigit():
            found.append(word)
            continue
        stem = _stem(word, language)
        concept = _CONCEPTS.get((language, stem))
        if concept is None:
            found.extend(_compound(word, language) or (stem,))
        else:
            found.append(concept or stem)
    return found


@lru_cache(maxsize=200_000)
def _compound(word: str, language: str) -> tuple[str, ...]:
    """Dutch and German join words (and English borrows them): 'taallessen' is taal + lessen,
    'jobcoaching' job + coaching.
    Split where both parts (the left one maybe with a linking s or e) are concepts; [] if none."""
    if len(word) < 7:
        return ()
    for cut in range(3, len(word) - 2):
        left, right = word[:cut], word[cut:]
        right_concept = _CONCEPTS.get((language, _stem(right, language)))
        if right_concept is None:
            continue
        for head in (left, left[:-1] if left.endswith(("s", "e")) else left):
            left_concept = _CONCEPTS.get((language, _stem(head, language)))
            if left_concept is not None:
                return (left_concept, right_concept)
    return ()
