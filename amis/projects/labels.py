"""Readable, translated names for what an agreement's terms store as keys and codes: the version
page, the amendment's diff and the PDF show these, never the key."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from amis.applications.labels import COST_LABELS, FUNDING_LABELS

TERM_LABELS = {
    "project": _("Project"),
    "application": _("Application"),
    "title": _("Project title"),
    "summary": _("Summary"),
    "programme": _("Programme"),
    "fund": _("Fund"),
    "period": _("Programming period"),
    "call": _("Call"),
    "specific_objective": _("Specific objective"),
    "national_objectives": _("National objectives"),
    "type_of_action": _("Type of action"),
    "beneficiary": _("Beneficiary"),
    "partners": _("Partners"),
    "activities": _("Work plan"),
    "max_grant": _("Maximum grant"),
    "total_cost": _("Total eligible cost"),
    "eu_rate": _("EU co-financing rate"),
    "indirect_rate": _("Indirect costs (flat rate)"),
    "budget": _("Budget"),
    "funding": _("Co-financing plan"),
    "funders": _("Co-funders"),
    "eligible_start": _("Eligibility period: start"),
    "eligible_end": _("Eligibility period: end"),
    "calendar": _("Reporting calendar"),
    "indicators": _("Indicators and targets"),
    "bank_account": _("Bank account"),
    "special_conditions": _("Special conditions"),
    "simplified_costs": _("Simplified cost options"),
    "prefinancing_share": _("Pre-financing share"),
    "prefinancing_amount": _("Pre-financing amount"),
    "transfer_tolerance": _("Tolerance for budget transfers"),
}
SCO_KIND_LABELS = {
    "unit": _("Unit cost"),
    "lump_sum": _("Lump sum"),
    "flat_rate": _("Flat rate"),
}
REPORT_KIND_LABELS = {"interim": _("Interim report"), "final": _("Final report")}
CATEGORY_LABELS = {
    **COST_LABELS,
    "indirect": _("Indirect costs (flat rate)"),
    # the financial picture's row of pre-financing paid beyond what is verified (rules.UNCLEARED)
    "prefinancing_uncleared": _("Pre-financing not yet cleared"),
}
# kinds of values, for showing a changed term readably
MONEY_TERMS = {"max_grant", "total_cost", "prefinancing_amount"}
RATE_TERMS = {"eu_rate", "indirect_rate", "prefinancing_share", "transfer_tolerance"}
DATE_TERMS = {"eligible_start", "eligible_end"}

__all__ = ["CATEGORY_LABELS", "FUNDING_LABELS", "REPORT_KIND_LABELS", "SCO_KIND_LABELS", "TERM_LABELS"]
