"""Writes for selection, each in one transaction with its audit entry: `eligibility`, `assessment`
(scores and consolidation), `ranking` (ranking and proposal) and `committee` (meetings, decisions)."""

from amis.selection.services.assessment import assess, consolidate
from amis.selection.services.committee import close_meeting, meeting_plan, record_decision
from amis.selection.services.eligibility import check_eligibility
from amis.selection.services.ranking import rank_and_propose

__all__ = [
    "assess",
    "check_eligibility",
    "close_meeting",
    "consolidate",
    "meeting_plan",
    "rank_and_propose",
    "record_decision",
]
