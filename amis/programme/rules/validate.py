"""Run every programme rule over a canonical programme document."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from amis.core.messages import gettext as _
from amis.core.messages import gettext_noop
from amis.programme.rules.annex_v import check_annex_v, tables_from_document
from amis.programme.rules.consistency import (
    LUMP_SUMS,
    PROGRAMME_MODEL,
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

VALIDATED = gettext_noop("Programme version has been validated.")
RULE_2_15 = gettext_noop(
    "New EC decision is required for versions > 1. New EC decision is required when fields belonging"
    " to the EC decision are modified/added/removed. These fields are all fields except those used "
    "in the Authorities section and the Management and Control System field. For the Financial Plan,"
    " amounts within a Specific Objective can be modified without the need for a new EC Decision, as"
    " long as the total per Specific Objective stays the same."
)
# 2021-2027: a programme amendment needs a Commission decision except for the transfers of
# Regulation (EU) 2021/1060, Art. 24(5) (the decision logic in rules.versions measures them).
RULE_AMENDMENT_2021 = gettext_noop(
    "A version after the first is a programme amendment: it needs a Commission decision, except for "
    "transfers between priorities within the limits of Art. 24(5) and the changes of Art. 24(6)."
)


def validate_document(
    doc: dict[str, Any],
    catalogue: Mapping[tuple[str, str], str] | None = None,
    interventions: Mapping[str, frozenset[str]] | None = None,
) -> list[Finding]:
    """All findings for one version: errors first, then the info line, then warnings (as SFC lists them).

    `catalogue` maps (specific objective, code) to the unit of each common indicator of the programme's
    fund and period (`selectors.common_indicator_catalogue`); without it indicators are not checked.
    `interventions` maps each type-of-intervention dimension of the fund and period to its codes
    (`selectors.intervention_catalogue`); without it codes are not checked against the reference data.
    A format-2 document (`amis-programme/2`) also goes through the 2021-2027 template's rules
    (`rules.annex_v`).
    """
    programme = doc.get("programme", {})
    fund, period = programme.get("fund", ""), programme.get("period", "")
    rules = rules_for(fund, period)
    plan = plan_from_document(doc)
    justification = " ".join((doc.get("texts", {}).get("minimum_share_justification") or {}).values())

    annex_v = doc.get("format") == "amis-programme/2"
    tables = tables_from_document(doc) if annex_v else None
    model = PROGRAMME_MODEL.get(period, PROGRAMME_MODEL["2021-2027"])

    findings: list[Finding] = []
    findings += check_cci(doc)
    findings += check_structure(doc, model)
    findings += check_control_totals(
        plan, doc.get("control_totals") or {}, period, tables.totals() if tables else None
    )
    if not (tables and tables.appropriations):  # 2021-2027: the appropriations by year are the annual table
        findings += check_table3_years(doc)
    findings += check_table3_equals_table1(plan, TABLE3.get(period, TABLE3["2021-2027"]))
    lump_sum_reference = LUMP_SUMS.get(
        (fund, period), rules.lump_sums[0].reference if rules.lump_sums else model
    )
    findings += check_special_cases_lump_sums(plan, lump_sum_reference)
    findings += check_lump_sum_rates(doc, rules)
    findings += check_common_indicators(doc, catalogue)
    findings += check_minimum_shares(plan, rules.minimum_shares, justification)
    findings += check_technical_assistance(plan, rules.technical_assistance)
    if annex_v:
        findings += check_annex_v(doc, rules, interventions, justification)

    errors = [f for f in findings if f.severity == Severity.ERROR]
    others = [f for f in findings if f.severity != Severity.ERROR]
    result = list(errors)
    if not errors:
        result.append(Finding(Severity.INFO, "VALID", _(VALIDATED), model))
    if doc.get("version", {}).get("number", 1) > 1:
        if period == "2014-2020":
            others.append(
                Finding(
                    Severity.WARNING,
                    "2.15",
                    _(RULE_2_15),
                    rules.decision_rule_reference or "SFC2014 rule 2.15",
                )
            )
        else:
            others.append(
                Finding(
                    Severity.WARNING,
                    "AMENDMENT",
                    _(RULE_AMENDMENT_2021),
                    rules.decision_rule_reference or "Regulation (EU) 2021/1060, Art. 24",
                )
            )
    return result + others
