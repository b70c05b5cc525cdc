"""Minimum shares per specific objective and the technical-assistance ceiling."""

from __future__ import annotations

from decimal import Decimal

from amis.programme.rules.financing import FinancingPlan
from amis.programme.rules.findings import Finding, Severity
from amis.programme.rules.money import display
from amis.programme.rules.parameters import MinimumShare, TechnicalAssistanceCeiling


def share_of(plan: FinancingPlan, so_code: str) -> Decimal | None:
    """Share of a specific objective in the period's share base (total less special cases).

    The share base is the period's: the basic allocation in 2014-2020, the initial allocation in
    2021-2027 (`share_base` in data/reference/period-rules.yaml). The special-case lump sums are paid on
    top of it, so they are left out of the denominator.
    """
    so = plan.objective(so_code)
    if so is None or plan.basic_allocation <= 0:
        return None
    return so.total / plan.basic_allocation


def check_minimum_shares(
    plan: FinancingPlan, minimums: list[MinimumShare], justification: str
) -> list[Finding]:
    findings = []
    for minimum in minimums:
        share = share_of(plan, minimum.specific_objective)
        if share is None or share >= minimum.share:
            continue
        pct = f"{share * 100:.2f} %"
        floor = f"{minimum.share * 100:.0f} %"
        if justification.strip():
            findings.append(
                Finding(
                    Severity.WARNING,
                    f"SHARE.{minimum.specific_objective}",
                    f"{minimum.specific_objective} receives {pct} of the {minimum.base}, below the minimum "
                    f"of {floor}; the programme gives a justification for the deviation.",
                    minimum.reference,
                )
            )
        else:
            findings.append(
                Finding(
                    Severity.ERROR,
                    f"SHARE.{minimum.specific_objective}",
                    f"{minimum.specific_objective} receives {pct} of the {minimum.base}, below the minimum "
                    f"of {floor}. Raise it or give a justification for the deviation.",
                    minimum.reference,
                )
            )
    return findings


def technical_assistance_ceiling(plan: FinancingPlan, ceiling: TechnicalAssistanceCeiling) -> Decimal:
    return plan.total * ceiling.rate + ceiling.fixed


def check_technical_assistance(
    plan: FinancingPlan, ceiling: TechnicalAssistanceCeiling | None
) -> list[Finding]:
    if ceiling is None or plan.technical_assistance is None:
        return []
    limit = technical_assistance_ceiling(plan, ceiling)
    if plan.technical_assistance > limit:
        return [
            Finding(
                Severity.ERROR,
                "TA.CEILING",
                f"Technical assistance {display(plan.technical_assistance)} exceeds the ceiling of "
                f"{display(limit)} ({ceiling.rate * 100:.1f} % of the total"
                + (f" plus {display(ceiling.fixed)}" if ceiling.fixed else "")
                + ").",
                ceiling.reference,
            )
        ]
    return []
