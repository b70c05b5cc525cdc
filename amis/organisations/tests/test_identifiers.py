"""Identifier checks: the libraries accept real numbers, refuse bad check digits, and normalise."""

from __future__ import annotations

import pytest

from amis.organisations import identifiers


def test_enterprise_number_is_normalised() -> None:
    assert identifiers.enterprise_number("0308.357.159") == "0308357159"
    assert identifiers.enterprise_number("BE 0308 357 159") == "0308357159"
    assert identifiers.format_enterprise_number("0308357159") == "0308.357.159"


@pytest.mark.parametrize("bad", ["0308.357.158", "12345", "abc"])
def test_bad_enterprise_number_is_refused_with_an_example(bad: str) -> None:
    with pytest.raises(ValueError, match="not a valid Belgian enterprise number.*0308.357.159"):
        identifiers.enterprise_number(bad)


def test_iban_and_bic() -> None:
    assert identifiers.iban("BE71 0961 2345 6769") == "BE71096123456769"
    assert identifiers.format_iban("BE71096123456769") == "BE71 0961 2345 6769"
    assert identifiers.bic("gkccbebb") == "GKCCBEBB"
    with pytest.raises(ValueError, match="not a valid IBAN"):
        identifiers.iban("BE71 0961 2345 6768")
    with pytest.raises(ValueError, match="not a valid BIC"):
        identifiers.bic("XX")


def test_foreign_vat_number() -> None:
    assert identifiers.vat_number("NL 004495445 B01") == "NL004495445B01"
    with pytest.raises(ValueError, match="not a valid EU VAT number"):
        identifiers.vat_number("NL004495446B01")
