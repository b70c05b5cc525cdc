"""Names of beneficiaries: normalised keys and the similarity rapidfuzz gives them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from amis.integrity.rules.names import NameIndex, name_key, score


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ASBL Lire et Écrire", "Lire et Ecrire asbl"),
        ("vzw De Rode Antraciet", "De Rode Antraciet VZW"),
        ("Caritas International a.s.b.l.", "CARITAS INTERNATIONAL"),
        ("Fedasil NV", "fedasil"),
    ],
)
def test_legal_forms_case_accents_and_punctuation_do_not_count(a: str, b: str) -> None:
    assert name_key(a) == name_key(b) and name_key(a)


def test_a_name_of_only_a_legal_form_has_no_key() -> None:
    assert name_key("VZW") == "" and name_key(" asbl ") == ""


def test_word_order_does_not_matter_and_the_score_is_a_confidence() -> None:
    assert score("ecrire lire et", "lire et ecrire") == Decimal("1.00")
    assert score("integratie gent", "integratie genk") < Decimal("1.00")


def test_the_index_finds_equal_and_alike_names_only_through_shared_words() -> None:
    index = NameIndex(["lire et ecrire", "lire et ecrire namur", "rode antraciet", "integratiedienst gent"])
    assert index.similar("lire et ecrire") == [("lire et ecrire", Decimal("1.00"))]
    assert [k for k, _c in index.similar("de rode antraciet")] == ["rode antraciet"]
    assert index.similar("gent") == [] and index.similar("") == []
