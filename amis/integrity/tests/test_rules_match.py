"""Flagging: same enterprise number and overlapping periods, scored by how alike the descriptions are."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from amis.integrity.rules import ApplicationRecord, OtherFundProject, find_flags, similarity
from amis.integrity.rules.match import overlap_days, tokens

KBO = "0401234560"
OTHER_KBO = "0412345614"


def _project(
    start: date = date(2023, 1, 1),
    end: date = date(2024, 12, 31),
    kbo: str | None = KBO,
    identifier: str = "ESF-2023-117",
    title: str = "Taal en werk",
    description: str = "Nederlandse les voor nieuwkomers op de werkvloer",
) -> OtherFundProject:
    return OtherFundProject(
        "ESF", "Vzw Integratie", kbo, identifier, title, description, start, end, None, None, source_row=2
    )


def _application(
    start: date = date(2024, 5, 1),
    end: date = date(2025, 12, 31),
    kbo: str | None = KBO,
    reference: str = "AMIF-2024-001",
    text: str = "Nederlandse les voor nieuwkomers",
) -> ApplicationRecord:
    return ApplicationRecord(reference, "Vzw Integratie", kbo, "Taal", text, "", start, end)


def test_same_kbo_and_overlap_gives_a_flag_with_the_shared_days() -> None:
    [flag] = find_flags([_application()], [_project()])
    assert flag.application_reference == "AMIF-2024-001"
    assert flag.other.identifier == "ESF-2023-117"
    assert flag.overlap_days == 245  # 2024-05-01 .. 2024-12-31 inclusive
    assert flag.reason == (
        "Same beneficiary (KBO 0401.234.560) has ESF project ESF-2023-117 'Taal en werk' from 2023-01-01 "
        f"to 2024-12-31, overlapping 245 days; descriptions are {int(flag.similarity * 100)} % similar."
    )


def test_one_shared_day_counts() -> None:
    [flag] = find_flags([_application(start=date(2024, 12, 31))], [_project()])
    assert flag.overlap_days == 1
    assert "overlapping 1 day;" in flag.reason


def test_same_kbo_without_overlap_gives_no_flag() -> None:
    assert find_flags([_application(start=date(2025, 1, 1))], [_project()]) == []


def test_different_kbo_gives_no_flag() -> None:
    assert find_flags([_application(kbo=OTHER_KBO)], [_project()]) == []


def test_a_missing_kbo_matches_by_name_with_its_confidence() -> None:
    [flag] = find_flags([_application(kbo=None)], [_project(kbo=None)])
    assert (flag.basis, flag.confidence) == ("name", Decimal("1.00"))
    assert flag.reason.startswith("A beneficiary named 'Vzw Integratie' (name 100 % alike) has ESF project")
    assert len(find_flags([_application(kbo=None)], [_project()])) == 1
    assert len(find_flags([_application()], [_project(kbo=None)])) == 1


def test_names_differing_only_in_legal_form_order_and_accents_match() -> None:
    from dataclasses import replace

    app = replace(_application(kbo=None), organisation_name="ASBL Lire et Écrire")
    project = OtherFundProject(
        "ESF",
        "Lire et Ecrire asbl",
        None,
        "ESF-1",
        "Alphabétisation",
        "",
        date(2023, 1, 1),
        date(2024, 12, 31),
        None,
        None,
        source_row=2,
    )
    [flag] = find_flags([app], [project])
    assert flag.basis == "name" and flag.confidence == Decimal("1.00")
    other = replace(project, beneficiary_name="Lire et Écrire Bruxelles")
    assert find_flags([app], [other]) == []  # 'lire et ecrire bruxelles': below the threshold


def test_two_different_numbers_never_match_by_name() -> None:
    assert find_flags([_application(kbo=OTHER_KBO)], [_project()]) == []


def test_written_forms_of_the_same_kbo_match() -> None:
    assert len(find_flags([_application(kbo="BE 0401.234.560")], [_project()])) == 1


def test_flags_are_sorted_by_similarity_then_overlap() -> None:
    bikes = "Fietsen herstellen in de gevangenis"
    projects = [
        _project(identifier="far", title="Fietsherstel", description=bikes),
        _project(identifier="close", title="Taal", description="Nederlandse les voor nieuwkomers"),
        _project(identifier="far-long", title="Fietsherstel", description=bikes, end=date(2030, 1, 1)),
    ]
    flags = find_flags([_application()], projects)
    assert [f.other.identifier for f in flags] == ["close", "far-long", "far"]
    assert flags[0].similarity == Decimal("1.00")


def test_similarity_of_identical_and_disjoint_texts() -> None:
    text = "Opvang en begeleiding van niet-begeleide minderjarigen in Brussel"
    assert similarity(text, text) == Decimal("1.00")
    assert similarity(text, "Formation professionnelle des femmes à Liège") == Decimal("0.00")
    assert similarity("", text) == Decimal("0.00")


def test_tokens_drop_case_accents_short_words_and_stopwords() -> None:
    assert tokens("Het Accueil des Élèves, à Liège: 2024 OK") == ["accueil", "eleves", "liege", "2024"]


def test_similarity_is_rounded_half_up_to_two_decimals() -> None:
    # a = {x: 1, y: 1}, b = {x: 1}: cosine = 1 / sqrt(2) = 0.7071...
    assert similarity("alpha beta", "alpha") == Decimal("0.71")
    # a = {x:1, y:1, z:1, w:1}, b = {x:1}: cosine = 1/2 exactly
    assert similarity("alpha beta gamma delta", "alpha") == Decimal("0.50")


days = st.dates(min_value=date(2020, 1, 1), max_value=date(2026, 12, 31))
lengths = st.integers(min_value=0, max_value=500)


def _days(start: date, end: date) -> set[date]:
    return {start + timedelta(n) for n in range((end - start).days + 1)}


@given(days, lengths, days, lengths)
def test_overlap_is_symmetric_and_counts_the_shared_days(a: date, len_a: int, b: date, len_b: int) -> None:
    end_a, end_b = a + timedelta(len_a), b + timedelta(len_b)
    shared = len(_days(a, end_a) & _days(b, end_b))
    assert overlap_days(a, end_a, b, end_b) == overlap_days(b, end_b, a, end_a) == shared
    flags = find_flags([_application(start=a, end=end_a)], [_project(start=b, end=end_b)])
    assert [f.overlap_days for f in flags] == ([shared] if shared else [])


words = st.text(alphabet="abcdeéèàçü ÀÉ,.-0123", max_size=80)


@given(words, words)
def test_similarity_is_between_zero_and_one_with_two_decimals(a: str, b: str) -> None:
    score = similarity(a, b)
    assert Decimal(0) <= score <= Decimal(1)
    assert score.as_tuple().exponent == -2
    assert score == similarity(b, a)


@given(st.text(max_size=200))
def test_similarity_of_a_text_with_itself_is_one_unless_it_has_no_words(text: str) -> None:
    assert similarity(text, text) == (Decimal("1.00") if tokens(text) else Decimal("0.00"))


def test_the_page_explains_a_flag_in_the_readers_language() -> None:
    from django.utils import translation

    from amis.integrity.rules.match import explain

    figures: dict[str, Any] = {
        "enterprise_number": KBO,
        "fund": "ESF",
        "identifier": "ESF-2023-117",
        "title": "Taal en werk",
        "start": date(2023, 1, 1),
        "end": date(2024, 12, 31),
        "score": Decimal("0.62"),
    }
    with translation.override("fr"):
        fr = explain(**figures, days=245)
    assert fr == (
        "Le même bénéficiaire (BCE 0401.234.560) a le projet ESF ESF-2023-117 « Taal en werk » du "
        "01/01/2023 au 31/12/2024, qui se chevauchent sur 245 jours ; les descriptions sont "
        "similaires à 62\u00a0%."  # a no-break space before the per cent sign
    )
    with translation.override("de"):
        assert "vom 01.01.2023 bis 31.12.2024, 1 Tag überlappend" in explain(**figures, days=1)
    with translation.override("en"):
        assert "from 01/01/2023 to 31/12/2024, overlapping 1 day;" in explain(**figures, days=1)


def test_another_member_states_vat_number_matches_as_each_side_writes_it() -> None:
    # a French partner organisation: the list has its VAT number compact (as parse gives it),
    # the application's organisation written with spaces and in lower case
    flags = find_flags([_application(kbo="fr 40 303 265 045")], [_project(kbo="FR40303265045")])
    assert [(f.basis, f.confidence) for f in flags] == [("enterprise_number", Decimal("1.00"))]
    # another French number, or a Belgian one, is another organisation
    assert find_flags([_application(kbo="FR40303265045")], [_project(kbo="FR83404833048")]) == []
    assert find_flags([_application(kbo=KBO)], [_project(kbo="FR40303265045")]) == []


def test_a_symbol_that_stands_for_letters_is_read_as_those_letters() -> None:
    # found by hypothesis: '㌀' (U+3300) decomposes to katakana letters, which tokens() counted as a
    # word and the terms did not, so the text was not similar to itself
    assert similarity("㌀", "㌀") == Decimal("1.00")
    assert similarity("Taallessen ① en ②", "Taallessen 1 en 2") == Decimal("1.00")
