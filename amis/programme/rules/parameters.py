"""Rule parameters per fund and programming period.

A fund and a period are rows in the database; what the regulation of that period says about them is
data too: `data/reference/period-rules.yaml`, keyed by fund and period, each value with the article it
comes from. This module reads that file (PyYAML `safe_load`, no Django) into `PeriodRules`. A (fund,
period) pair with no entry gets `PeriodRules()`: only the arithmetic checks, which hold for every
programme. Adding a period or a fund is adding rows and, when its rules are known, a YAML entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

PERIOD_RULES_FILE = Path(__file__).resolve().parents[3] / "data" / "reference" / "period-rules.yaml"


@dataclass(frozen=True)
class Cited:
    """A value of the rules and the article it comes from."""

    value: str
    reference: str
    verified: bool = False


@dataclass(frozen=True)
class MinimumShare:
    specific_objective: str
    share: Decimal  # 0.20 = 20 %
    reference: str
    base: str = "basic allocation"  # what the share is a share of, in the words of the period


@dataclass(frozen=True)
class TechnicalAssistanceCeiling:
    rate: Decimal
    fixed: Decimal
    reference: str


@dataclass(frozen=True)
class CoFinancingCeilings:
    """Maximum EU share of a project's eligible cost, per type of action."""

    standard: Decimal
    specific_actions: Decimal
    emergency_and_operating: Decimal
    reference: str
    annex_iv_actions: Decimal | None = None  # 2021-2027: actions listed in the fund's Annex IV
    technical_assistance: Decimal | None = None  # 2021-2027: TA at the initiative of Member States
    references: dict[str, str] = field(default_factory=dict)  # per type of action


@dataclass(frozen=True)
class LumpSum:
    kind: str  # resettlement, transfer, ...
    amount: Decimal  # EUR per person
    reference: str


@dataclass(frozen=True)
class AmendmentRules:
    reference: str
    # Transfers between priorities that need no Commission decision (2021-2027: CPR Art. 24(5)).
    transfer_priority_share: Decimal | None = None
    transfer_programme_share: Decimal | None = None
    transfer_reference: str = ""


@dataclass(frozen=True)
class PeriodRules:
    minimum_shares: list[MinimumShare] = field(default_factory=list)
    technical_assistance: TechnicalAssistanceCeiling | None = None
    co_financing: CoFinancingCeilings | None = None
    # Lump sums per person for special cases (persons x lump sum = Table 2 amount).
    resettlement_lump_sums: tuple[Decimal, ...] = ()
    decision_rule_reference: str = ""
    share_base: Cited | None = None
    lump_sums: tuple[LumpSum, ...] = ()
    amendment: AmendmentRules | None = None
    # Every value of the entry with its citation, by dotted path (e.g. "co_financing.standard").
    citations: dict[str, Cited] = field(default_factory=dict)


def _cited(raw: Any, path: str) -> Cited:
    if not isinstance(raw, dict) or "value" not in raw or not str(raw.get("ref", "")).strip():
        raise ValueError(f"{PERIOD_RULES_FILE.name}: {path} needs a value and a ref")
    return Cited(str(raw["value"]), str(raw["ref"]), bool(raw.get("verified", False)))


def _citations(entry: dict[str, Any]) -> dict[str, Cited]:
    found: dict[str, Cited] = {}

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict) and "value" in node:
            found[path] = _cited(node, path)
        elif isinstance(node, dict):
            for key, child in node.items():
                walk(child, f"{path}.{key}" if path else str(key))
        else:
            raise ValueError(f"{PERIOD_RULES_FILE.name}: {path} is not a {{value, ref}} mapping")

    walk(entry, "")
    return found


def build(entry: dict[str, Any]) -> PeriodRules:
    """The `PeriodRules` of one (fund, period) entry of the YAML file."""
    cited = _citations(entry)

    def dec(path: str) -> Decimal:
        return Decimal(cited[path].value)

    share_base = cited.get("share_base")
    base = share_base.value if share_base else "allocation"
    minimum_shares = [
        MinimumShare(so, dec(f"minimum_shares.{so}"), cited[f"minimum_shares.{so}"].reference, base)
        for so in (entry.get("minimum_shares") or {})
    ]
    ta = None
    if "technical_assistance.rate" in cited:
        fixed = cited.get("technical_assistance.fixed")
        ta = TechnicalAssistanceCeiling(
            dec("technical_assistance.rate"),
            Decimal(fixed.value) if fixed else Decimal("0.00"),
            cited["technical_assistance.rate"].reference,
        )
    co = None
    if "co_financing.standard" in cited:
        refs = {k.split(".", 1)[1]: c.reference for k, c in cited.items() if k.startswith("co_financing.")}

        def opt(kind: str) -> Decimal | None:
            c = cited.get(f"co_financing.{kind}")
            return Decimal(c.value) if c else None

        emergency = opt("emergency_assistance") or opt("operating_support") or dec("co_financing.standard")
        distinct = list(dict.fromkeys(refs.values()))
        co = CoFinancingCeilings(
            standard=dec("co_financing.standard"),
            specific_actions=opt("specific_actions") or dec("co_financing.standard"),
            emergency_and_operating=emergency,
            reference=distinct[0] if len(distinct) == 1 else _common_article(distinct),
            annex_iv_actions=opt("annex_iv_actions"),
            technical_assistance=opt("technical_assistance"),
            references=refs,
        )
    lump_sums = tuple(
        LumpSum(kind, dec(f"lump_sums.{kind}"), cited[f"lump_sums.{kind}"].reference)
        for kind in (entry.get("lump_sums") or {})
    )
    amendment = None
    if "amendment.reference" in cited:
        priority = cited.get("amendment.transfer_priority_share")
        programme = cited.get("amendment.transfer_programme_share")
        amendment = AmendmentRules(
            cited["amendment.reference"].reference,
            Decimal(priority.value) if priority else None,
            Decimal(programme.value) if programme else None,
            priority.reference if priority else "",
        )
    decision = cited.get("decision_rule")
    return PeriodRules(
        minimum_shares=minimum_shares,
        technical_assistance=ta,
        co_financing=co,
        resettlement_lump_sums=tuple(sorted({ls.amount for ls in lump_sums if ls.kind != "transfer_cost"})),
        decision_rule_reference=decision.reference if decision else "",
        share_base=share_base,
        lump_sums=lump_sums,
        amendment=amendment,
        citations=cited,
    )


def _common_article(references: list[str]) -> str:
    """'Regulation (EU) 2021/1147, Art. 15(1)' ... -> 'Regulation (EU) 2021/1147, Art. 15'."""
    stems = {re.sub(r"(Art\. \d+)\(.*$", r"\1", ref) for ref in references}
    return stems.pop() if len(stems) == 1 else "; ".join(references)


def load_rules(path: Path = PERIOD_RULES_FILE) -> dict[tuple[str, str], PeriodRules]:
    """Every (fund, period) entry of the file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {
        (str(fund), str(period)): build(entry or {})
        for fund, periods in data.items()
        for period, entry in (periods or {}).items()
    }


@cache
def _rules() -> dict[tuple[str, str], PeriodRules]:
    return load_rules()


def rules_for(fund: str, period: str) -> PeriodRules:
    """The rules of a fund in a period; `PeriodRules()` (arithmetic checks only) when the file has none."""
    return _rules().get((fund, period), PeriodRules())


def __getattr__(name: str) -> PeriodRules:
    """`AMIF_2014_2020` and the like, for callers written before the rules became data."""
    parts = name.split("_")
    if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
        found = _rules().get((parts[0], f"{parts[1]}-{parts[2]}"))
        if found is not None:
            return found
    raise AttributeError(name)
