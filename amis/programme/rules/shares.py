"""Minimum shares per specific objective and the technical-assistance ceiling."""

from __future__ import annotations

from decimal import Decimal

from amis.core import messages
from amis.core.messages import gettext as _
from amis.programme.rules.financing import FinancingPlan
from amis.programme.rules.findings import Finding, Severity
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


def base_name(base: str) -> str:
    """What a share is a share of, in the reader's language (the period's words, from the rules data)."""
    names = {
        "basic allocation": _("basic allocation"),
        "initial allocation": _("initial allocation"),
        "allocation": _("allocation"),
    }
    return names.get(base, base)


def check_minimum_shares(
    plan: FinancingPlan, minimums: list[MinimumShare], justification: str
) -> list[Finding]:
    findings = []
    for minimum in minimums:
        share = share_of(plan, minimum.specific_objective)
        if share is None or share >= minimum.share:
            continue
        figures = {
            "objective": minimum.specific_objective,
            "share": messages.figure(share * 100, 2),
            "base": base_name(minimum.base),
            "minimum": messages.figure(minimum.share * 100, 0),
        }
        if justification.strip():
            findings.append(
                Finding(
                    Severity.WARNING,
                    f"SHARE.{minimum.specific_objective}",
                    _(
                        "%(objective)s receives %(share)s %% of the %(base)s, below the minimum of "
                        "%(minimum)s %%; the programme gives a justification for the deviation."
                    )
                    % figures,
                    minimum.reference,
                )
            )
        else:
            findings.append(
                Finding(
                    Severity.ERROR,
                    f"SHARE.{minimum.specific_objective}",
                    _(
                        "%(objective)s receives %(share)s %% of the %(base)s, below the minimum of "
                        "%(minimum)s %%. Raise it or give a justification for the deviation."
                    )
                    % figures,
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
                (
                    _(
                        "Technical assistance %(amount)s exceeds the ceiling of %(limit)s (%(rate)s %% of "
                        "the total plus %(fixed)s)."
                    )
                    if ceiling.fixed
                    else _(
                        "Technical assistance %(amount)s exceeds the ceiling of %(limit)s (%(rate)s %% of "
                        "the total)."
                    )
                )
                % {
                    "amount": messages.amount(plan.technical_assistance),
                    "limit": messages.amount(limit),
                    "rate": messages.figure(ceiling.rate * 100, 1),
                    "fixed": messages.amount(ceiling.fixed),
                },
                ceiling.reference,
            )
        ]
    return []
