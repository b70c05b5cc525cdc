"""The description similarity across the languages of Belgium: a Dutch application and a French
project about the same course score well above zero; unrelated ones stay at zero."""

from __future__ import annotations

from decimal import Decimal

from amis.integrity.rules.match import STOPWORDS, similarity
from amis.integrity.rules.terms import language_of, terms


def test_a_dutch_and_a_french_text_about_the_same_course_are_alike() -> None:
    nl = "Nederlandse taallessen en jobcoaching voor erkende vluchtelingen in Antwerpen"
    fr = "Cours de néerlandais et accompagnement vers l'emploi pour réfugiés reconnus à Anvers"
    assert similarity(nl, fr) >= Decimal("0.70")


def test_german_and_english_meet_the_same_concepts() -> None:
    de = "Sprachkurse und Beratung für Flüchtlinge"
    en = "Language courses and counselling for refugees"
    assert similarity(de, en) >= Decimal("0.70")


def test_texts_about_different_things_stay_apart_in_any_language() -> None:
    assert similarity("Huisvesting voor gezinnen", "Cours de langue pour jeunes") == Decimal("0.00")


def test_the_language_is_told_by_its_function_words() -> None:
    assert language_of("de les voor de nieuwkomers".split()) == "nl"
    assert language_of("les cours pour les jeunes".split()) == "fr"
    assert language_of("zzz".split()) == "en"


def test_dutch_compounds_are_split_into_their_concepts() -> None:
    assert terms("taallessen", STOPWORDS) == ["language", "course"]
    assert terms("jobcoaching", STOPWORDS) == ["work", "coaching"]


def test_numbers_and_names_outside_the_vocabulary_are_kept() -> None:
    assert "2027" in terms("Project 2027 NT2 Kortrijk", STOPWORDS)
    assert "kortrijk" in terms("Project 2027 NT2 Kortrijk", STOPWORDS)
