"""Run every programme rule over a canonical programme document."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from amis.programme.rules.consistency import (
    LUMP_SUMS,
    TABLE3,
    check_cci,
    check_common_indicators,
    check_lump_sum_rates,
    check_table3_years,
)
from amis.programme.rules.financing import (
    check_control_totals,
    check_special_cases_lump_sums,
    check_table3_equals_table1,
    plan_from_document,
)
from amis.programme.rules.findings import Finding, Severity
from amis.programme.rules.parameters import rules_for
from amis.programme.rules.shares import check_minimum_shares, check_technical_assistance
from amis.programme.rules.structure import check_structure

VALIDATED = "Programme version has been validated."
RULE_2_15 = (
    "New EC decision is required for versions > 1. New EC decision is required when fields belonging"
    " to the EC decision are modified/added/removed. These fields are all fields except those used "
    "in the Authorities section and the Management and Control System field. For the Financial Plan,"
    " amounts within a Specific Objective can be modified without the need for a new EC Decision, as"
    " long as the total per Specific Objective stays the same."
)


def validate_document(
    doc: dict[str, Any], catalogue: Mapping[tuple[str, str], str] | None = None
) -> list[Finding]:
    """All findings for one version: errors first, then the info line, then warnings (as SFC lists them).

    `catalogue` maps (specific objective, code) to the unit of each common indicator of the programme's
    fund and period (`selectors.common_indicator_catalogue`); without it indicators are not checked.
    """
    programme = doc.get("programme", {})
    fund, period = programme.get("fund", ""), programme.get("period", "")
    rules = rules_for(fund, period)
    plan = plan_from_document(doc)
    justification = " ".join((doc.get("texts", {}).get("minimum_share_justification") or {}).values())

    findings: list[Finding] = []
    findings += check_cci(doc)
    findings += check_structure(doc)
    findings += check_control_totals(plan, doc.get("control_totals") or {}, period)
    findings += check_table3_years(doc)
    findings += check_table3_equals_table1(plan, TABLE3.get(period, TABLE3["2014-2020"]))
    lump_sum_reference = LUMP_SUMS.get((fund, period), LUMP_SUMS[("AMIF", "2014-2020")])
    findings += check_special_cases_lump_sums(plan, lump_sum_reference)
    findings += check_lump_sum_rates(doc, rules)
    findings += check_common_indicators(doc, catalogue)
    findings += check_minimum_shares(plan, rules.minimum_shares, justification)
    findings += check_technical_assistance(plan, rules.technical_assistance)

    errors = [f for f in findings if f.severity == Severity.ERROR]
    others = [f for f in findings if f.severity != Severity.ERROR]
    result = list(errors)
    if not errors:
        result.append(Finding(Severity.INFO, "VALID", VALIDATED, "SFC2014 programme validation"))
    if doc.get("version", {}).get("number", 1) > 1:
        others.append(
            Finding(Severity.WARNING, "2.15", RULE_2_15, rules.decision_rule_reference or "SFC2014 rule 2.15")
        )
    return result + others
