"""Writes of the projects stage; each service one transaction with its audit entry."""

from amis.projects.services.agreements import (
    agreement_periods,
    agreement_prepare,
    agreement_terms,
    amendment_prepare,
    grant_terms_for,
    terms_problems,
    version_issue,
    version_sign,
    version_update_terms,
    version_withdraw,
)
from amis.projects.services.grants import (
    budget_transfer,
    draft_add_simplified_cost,
    draft_regenerate_calendar,
    draft_remove_simplified_cost,
    draft_set_budget,
    draft_set_conditions,
    draft_set_period,
    grant_ceiling,
    grant_terms_update,
)
from amis.projects.services.projects import project_for_selected_application

__all__ = [
    "budget_transfer",
    "draft_add_simplified_cost",
    "draft_regenerate_calendar",
    "draft_remove_simplified_cost",
    "draft_set_budget",
    "draft_set_conditions",
    "draft_set_period",
    "grant_ceiling",
    "grant_terms_update",
    "agreement_periods",
    "agreement_prepare",
    "agreement_terms",
    "amendment_prepare",
    "grant_terms_for",
    "project_for_selected_application",
    "terms_problems",
    "version_issue",
    "version_sign",
    "version_update_terms",
    "version_withdraw",
]
