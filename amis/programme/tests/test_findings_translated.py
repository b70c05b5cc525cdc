"""The validation findings and the reasons of a version diff reach the reader in their language, with
amounts written as that language writes them, and keep citing their articles."""

from __future__ import annotations

import copy
from typing import Any

from django.utils import translation

from amis.programme.rules.validate import validate_document
from amis.programme.rules.versions import diff

NNBSP = "\u202f"


def _broken(doc: dict[str, Any]) -> dict[str, Any]:
    broken = copy.deepcopy(doc)
    broken["specific_objectives"][2]["national_objectives"][1]["amount"] = "22629929.53"
    return broken


def _mismatch(findings: list[Any]) -> Any:
    return next(f for f in findings if f.code == "TOTAL.MISMATCH")


def test_a_finding_is_in_the_readers_language_with_its_amounts_and_article(
    belgian_doc: dict[str, Any],
) -> None:
    doc = _broken(belgian_doc)
    with translation.override("fr"):
        fr = _mismatch(validate_document(doc))
    assert fr.message == (
        f"Le total de contrôle « table1.SO3.NO » est de 29{NNBSP}780{NNBSP}695,26, mais ses parties "
        f"totalisent 29{NNBSP}780{NNBSP}695,27."
    )
    with translation.override("de"):
        de = _mismatch(validate_document(doc))
    assert "ergeben 29.780.695,27" in de.message
    with translation.override("nl"):
        nl = _mismatch(validate_document(doc))
    assert nl.message.startswith("Controletotaal ‘table1.SO3.NO’ is 29.780.695,26")
    with translation.override("en"):
        en = _mismatch(validate_document(doc))
    assert (
        en.message == "Control total 'table1.SO3.NO' is 29,780,695.26 but its parts add up to 29,780,695.27."
    )
    assert fr.reference == de.reference == nl.reference == en.reference  # the citation is not translated
    assert "802/2014" in fr.reference


def test_the_validated_line_and_the_decision_rule_are_translated(belgian_doc: dict[str, Any]) -> None:
    with translation.override("de"):
        findings = validate_document(belgian_doc)
    assert findings[0].message == "Die Programmversion wurde validiert."
    assert findings[1].message.startswith(
        "Für Versionen > 1 ist ein neuer Kommissionsbeschluss erforderlich."
    )


def test_the_reasons_of_a_diff_are_translated(belgian_doc: dict[str, Any]) -> None:
    new = copy.deepcopy(belgian_doc)
    objective = new["specific_objectives"][0]["national_objectives"]
    first, second = objective[0], objective[1]
    first["amount"] = f"{float(first['amount']) + 100:.2f}"
    second["amount"] = f"{float(second['amount']) - 100:.2f}"
    with translation.override("fr"):
        reasons = {c.reason for c in diff(belgian_doc, new)}
    assert "Montant déplacé entre objectifs nationaux de SO1 ; leur total est inchangé." in reasons
    with translation.override("en"):
        reasons = {c.reason for c in diff(belgian_doc, new)}
    assert "Amount moved between national objectives of SO1; their total is unchanged." in reasons
