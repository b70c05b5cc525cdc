"""Co-financing ceilings: the highest EU share of a project's eligible cost.

2014-2020: Regulation (EU) No 514/2014, Art. 16 (75 %; 90 % for specific actions; 100 % for
emergency assistance and operating support). 2021-2027: Regulation (EU) 2021/1147, Art. 15.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from amis.programme.rules.findings import Finding, Severity
from amis.programme.rules.parameters import CoFinancingCeilings


class ActionType(StrEnum):
    STANDARD = "standard"
    SPECIFIC_ACTION = "specific_action"
    EMERGENCY_OR_OPERATING = "emergency_or_operating"


def maximum_rate(ceilings: CoFinancingCeilings, action_type: ActionType) -> Decimal:
    return {
        ActionType.STANDARD: ceilings.standard,
        ActionType.SPECIFIC_ACTION: ceilings.specific_actions,
        ActionType.EMERGENCY_OR_OPERATING: ceilings.emergency_and_operating,
    }[action_type]


def check_eu_share(
    *,
    eu_contribution: Decimal,
    eligible_cost: Decimal,
    ceilings: CoFinancingCeilings,
    action_type: ActionType,
) -> list[Finding]:
    """The EU contribution may not exceed the ceiling rate times the eligible cost (to the cent)."""
    if eligible_cost <= 0:
        return [
            Finding(Severity.ERROR, "COFIN.COST", "The eligible cost must be positive.", ceilings.reference)
        ]
    if eu_contribution < 0:
        return [
            Finding(
                Severity.ERROR,
                "COFIN.NEGATIVE",
                "The EU contribution cannot be negative.",
                ceilings.reference,
            )
        ]
    rate = maximum_rate(ceilings, action_type)
    if eu_contribution > eligible_cost * rate:
        actual = eu_contribution / eligible_cost * 100
        return [
            Finding(
                Severity.ERROR,
                "COFIN.RATE",
                f"The EU share is {actual:.2f} % of the eligible cost; at most {rate * 100:.0f} % is allowed "
                f"for this type of action.",
                ceilings.reference,
            )
        ]
    return []
