"""The rules of each period are data (data/reference/period-rules.yaml), each value with its article."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from amis.programme.rules.cofinancing import ActionType, check_eu_share, maximum_rate
from amis.programme.rules.financing import plan_from_document
from amis.programme.rules.parameters import PERIOD_RULES_FILE, PeriodRules, build, load_rules, rules_for
from amis.programme.rules.shares import check_minimum_shares

FUNDS = ("AMIF", "ISF", "BMVI")
PERIODS = ("2014-2020", "2021-2027")
OLD_PERIOD_MARKS = ("SFC2014", "802/2014", "516/2014", "514/2014", "basic allocation")


@pytest.mark.parametrize("fund", FUNDS)
@pytest.mark.parametrize("period", PERIODS)
def test_each_fund_and_period_loads_with_a_citation_for_every_value(fund: str, period: str) -> None:
    rules = rules_for(fund, period)
    assert rules != PeriodRules()
    assert rules.share_base is not None and rules.co_financing is not None and rules.amendment is not None
    assert rules.citations
    for path, cited in rules.citations.items():
        assert cited.value.strip(), path
        assert cited.reference.strip(), path


def test_every_value_in_the_file_has_a_ref() -> None:
    raw = yaml.safe_load(PERIOD_RULES_FILE.read_text(encoding="utf-8"))

    def leaves(node: object, path: str) -> list[tuple[str, dict]]:
        if isinstance(node, dict) and "value" in node:
            return [(path, node)]
        assert isinstance(node, dict), path
        return [leaf for key, child in node.items() for leaf in leaves(child, f"{path}.{key}")]

    found = leaves(raw, "")
    assert len(found) > 50
    for path, leaf in found:
        assert str(leaf.get("ref", "")).strip(), path
        assert isinstance(leaf.get("verified"), bool), path
        assert not isinstance(leaf["value"], float), f"{path}: write numbers as strings"


def test_known_values() -> None:
    amif_new = rules_for("AMIF", "2021-2027")
    assert [(m.specific_objective, m.share) for m in amif_new.minimum_shares] == [
        ("SO1", Decimal("0.15")),
        ("SO2", Decimal("0.15")),
    ]
    assert [m.share for m in rules_for("AMIF", "2014-2020").minimum_shares] == [Decimal("0.20")] * 2
    co = amif_new.co_financing
    assert co is not None
    assert (co.standard, co.specific_actions, co.annex_iv_actions) == (
        Decimal("0.75"),
        Decimal("0.90"),
        Decimal("0.90"),
    )
    assert co.emergency_and_operating == co.technical_assistance == Decimal("1.00")
    assert co.references["annex_iv_actions"] == "Regulation (EU) 2021/1147, Art. 15(3)"
    assert rules_for("ISF", "2021-2027").co_financing.reference == "Regulation (EU) 2021/1149, Art. 12"  # type: ignore[union-attr]
    assert rules_for("BMVI", "2021-2027").co_financing.reference == "Regulation (EU) 2021/1148, Art. 12"  # type: ignore[union-attr]
    ta = amif_new.technical_assistance
    assert ta is not None and (ta.rate, ta.fixed) == (Decimal("0.06"), Decimal("0.00"))
    assert "2021/1060, Art. 36(5)" in ta.reference
    lump = {ls.kind: ls.amount for ls in amif_new.lump_sums}
    assert lump["resettlement"] == Decimal("10000.00") and lump["transfer"] == Decimal("10000.00")
    assert amif_new.amendment is not None
    assert amif_new.amendment.transfer_priority_share == Decimal("0.05")
    assert amif_new.amendment.transfer_programme_share == Decimal("0.04")
    assert amif_new.share_base is not None and amif_new.share_base.value == "initial allocation"
    assert rules_for("AMIF", "2014-2020").share_base.value == "basic allocation"  # type: ignore[union-attr]
    assert rules_for("AMIF", "2014-2020").resettlement_lump_sums == (Decimal("6000.00"), Decimal("10000.00"))


@pytest.mark.parametrize("fund", FUNDS)
def test_2021_2027_rules_cite_nothing_of_2014_2020(fund: str) -> None:
    rules = rules_for(fund, "2021-2027")
    texts = [c.reference for c in rules.citations.values()] + [c.value for c in rules.citations.values()]
    texts += [m.base for m in rules.minimum_shares] + [rules.decision_rule_reference]
    for text in texts:
        assert not any(mark in text for mark in OLD_PERIOD_MARKS), text


def test_2021_2027_findings_speak_of_the_initial_allocation() -> None:
    doc = {
        "specific_objectives": [
            {"code": "SO1", "national_objectives": [{"code": "NO1", "amount": "10.00"}]},
            {"code": "SO2", "national_objectives": [{"code": "NO1", "amount": "500.00"}]},
            {"code": "SO3", "national_objectives": [{"code": "NO1", "amount": "490.00"}]},
        ],
        "technical_assistance": "0.00",
    }
    findings = check_minimum_shares(
        plan_from_document(doc), rules_for("AMIF", "2021-2027").minimum_shares, justification=""
    )
    assert [f.code for f in findings] == ["SHARE.SO1"]
    assert "initial allocation" in findings[0].message and "basic allocation" not in findings[0].message
    assert "2021/1147" in findings[0].reference
    co = rules_for("AMIF", "2021-2027").co_financing
    assert co is not None
    [finding] = check_eu_share(
        eu_contribution=Decimal("91.00"),
        eligible_cost=Decimal("100.00"),
        ceilings=co,
        action_type=ActionType.ANNEX_IV_ACTION,
    )
    assert finding.reference == "Regulation (EU) 2021/1147, Art. 15(3)"
    assert maximum_rate(co, ActionType.TECHNICAL_ASSISTANCE) == Decimal("1.00")


def test_an_unknown_fund_or_period_gets_the_arithmetic_checks_only() -> None:
    assert rules_for("AMIF", "2028-2034") == PeriodRules()
    assert rules_for("NEWFUND", "2021-2027") == PeriodRules()


def test_a_new_period_is_data(tmp_path: Path) -> None:
    """A period added to the file needs no code: its entry loads, partial entries degrade gracefully."""
    text = PERIOD_RULES_FILE.read_text(encoding="utf-8") + (
        '\nNEWFUND:\n  "2028-2034":\n    co_financing:\n'
        '      standard: {value: "0.80", ref: "Regulation (EU) 2028/1, Art. 1", verified: false}\n'
    )
    path = tmp_path / "period-rules.yaml"
    path.write_text(text, encoding="utf-8")
    rules = load_rules(path)
    new = rules[("NEWFUND", "2028-2034")]
    assert new.co_financing is not None and new.co_financing.standard == Decimal("0.80")
    assert new.co_financing.specific_actions == Decimal("0.80")  # no specific rate: the standard one
    assert new.minimum_shares == [] and new.technical_assistance is None and new.amendment is None
    assert rules[("AMIF", "2021-2027")] == rules_for("AMIF", "2021-2027")


def test_a_value_without_a_ref_is_refused() -> None:
    with pytest.raises(ValueError, match="ref"):
        build({"co_financing": {"standard": {"value": "0.75"}}})
