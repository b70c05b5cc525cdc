"""Rule parameters per fund and programming period.

A fund and a period are data in the database; what the regulation of that period says about them is
law, and lives here with its citation. A (fund, period) pair with no entry gets only the arithmetic
checks, which hold for every programme.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class MinimumShare:
    specific_objective: str
    share: Decimal  # 0.20 = 20 %
    reference: str


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


@dataclass(frozen=True)
class PeriodRules:
    minimum_shares: list[MinimumShare] = field(default_factory=list)
    technical_assistance: TechnicalAssistanceCeiling | None = None
    co_financing: CoFinancingCeilings | None = None
    # Lump sums per person for special cases (persons x lump sum = Table 2 amount).
    resettlement_lump_sums: tuple[Decimal, ...] = ()
    decision_rule_reference: str = ""


AMIF_2014_2020 = PeriodRules(
    minimum_shares=[
        MinimumShare("SO1", Decimal("0.20"), "Regulation (EU) No 516/2014, Art. 15(1)(a)"),
        MinimumShare("SO2", Decimal("0.20"), "Regulation (EU) No 516/2014, Art. 15(1)(a)"),
    ],
    technical_assistance=TechnicalAssistanceCeiling(
        Decimal("0.055"), Decimal("500000.00"), "Regulation (EU) No 514/2014, Art. 20"
    ),
    co_financing=CoFinancingCeilings(
        Decimal("0.75"), Decimal("0.90"), Decimal("1.00"), "Regulation (EU) No 514/2014, Art. 16"
    ),
    resettlement_lump_sums=(Decimal("6000.00"), Decimal("10000.00")),
    decision_rule_reference="SFC2014 validation rule 2.15; Regulation (EU) No 514/2014, Art. 14(9)",
)

AMIF_2021_2027 = PeriodRules(
    minimum_shares=[
        MinimumShare("SO1", Decimal("0.15"), "Regulation (EU) 2021/1147, Art. 15(2)"),
        MinimumShare("SO2", Decimal("0.15"), "Regulation (EU) 2021/1147, Art. 15(2)"),
    ],
    technical_assistance=TechnicalAssistanceCeiling(
        Decimal("0.06"), Decimal("0.00"), "Regulation (EU) 2021/1060, Art. 36(5)"
    ),
    co_financing=CoFinancingCeilings(
        Decimal("0.75"), Decimal("0.90"), Decimal("1.00"), "Regulation (EU) 2021/1147, Art. 15"
    ),
    resettlement_lump_sums=(Decimal("6000.00"), Decimal("8000.00"), Decimal("10000.00")),
    decision_rule_reference="Regulation (EU) 2021/1060, Art. 24",
)

RULES: dict[tuple[str, str], PeriodRules] = {
    ("AMIF", "2014-2020"): AMIF_2014_2020,
    ("AMIF", "2021-2027"): AMIF_2021_2027,
}


def rules_for(fund: str, period: str) -> PeriodRules:
    return RULES.get((fund, period), PeriodRules())
