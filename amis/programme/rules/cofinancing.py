"""Co-financing ceilings: the highest EU share of a project's eligible cost.

The rates and their articles are data (data/reference/period-rules.yaml, read by `parameters`):
2014-2020 Regulation (EU) No 514/2014, Art. 16; 2021-2027 AMIF Regulation (EU) 2021/1147, Art. 15
(75 %; 90 % for specific actions and Annex IV actions; 100 % for operating support, emergency
assistance and technical assistance). A finding cites the article of the type of action checked.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from amis.core import messages
from amis.core.messages import gettext as _
from amis.programme.rules.findings import Finding, Severity
from amis.programme.rules.parameters import CoFinancingCeilings


class ActionType(StrEnum):
    STANDARD = "standard"
    SPECIFIC_ACTION = "specific_action"
    EMERGENCY_OR_OPERATING = "emergency_or_operating"
    ANNEX_IV_ACTION = "annex_iv_action"  # 2021-2027; falls back to the specific-action rate
    TECHNICAL_ASSISTANCE = "technical_assistance"  # 2021-2027; falls back to the standard rate


_REFERENCE_KEYS = {
    ActionType.STANDARD: ("standard",),
    ActionType.SPECIFIC_ACTION: ("specific_actions",),
    ActionType.EMERGENCY_OR_OPERATING: ("emergency_assistance", "operating_support"),
    ActionType.ANNEX_IV_ACTION: ("annex_iv_actions", "specific_actions"),
    ActionType.TECHNICAL_ASSISTANCE: ("technical_assistance", "standard"),
}


def reference_for(ceilings: CoFinancingCeilings, action_type: ActionType) -> str:
    """The article that sets the rate of this type of action, or the ceilings' common one."""
    refs = [ceilings.references[k] for k in _REFERENCE_KEYS[action_type] if k in ceilings.references]
    if action_type != ActionType.EMERGENCY_OR_OPERATING:
        refs = refs[:1]  # the rate's own article, else the one it falls back to
    return "; ".join(dict.fromkeys(refs)) or ceilings.reference


def maximum_rate(ceilings: CoFinancingCeilings, action_type: ActionType) -> Decimal:
    return {
        ActionType.STANDARD: ceilings.standard,
        ActionType.SPECIFIC_ACTION: ceilings.specific_actions,
        ActionType.EMERGENCY_OR_OPERATING: ceilings.emergency_and_operating,
        ActionType.ANNEX_IV_ACTION: ceilings.annex_iv_actions or ceilings.specific_actions,
        ActionType.TECHNICAL_ASSISTANCE: ceilings.technical_assistance or ceilings.standard,
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
            Finding(
                Severity.ERROR, "COFIN.COST", _("The eligible cost must be positive."), ceilings.reference
            )
        ]
    if eu_contribution < 0:
        return [
            Finding(
                Severity.ERROR,
                "COFIN.NEGATIVE",
                _("The EU contribution cannot be negative."),
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
                _(
                    "The EU share is %(share)s %% of the eligible cost; at most %(rate)s %% is allowed for "
                    "this type of action."
                )
                % {"share": messages.figure(actual, 2), "rate": messages.figure(rate * 100, 0)},
                reference_for(ceilings, action_type),
            )
        ]
    return []
