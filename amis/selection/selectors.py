"""Reads for selection: a call's award criteria, where an application's assessment stands (how many
assessors, whether they diverge, the final scores, whether it passes), a call's ranking and meetings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from amis.applications.models import Application
from amis.calls.models import Call
from amis.selection import rules
from amis.selection.models import (
    CommitteeDecision,
    CommitteeMeeting,
    Consolidation,
    EligibilityCheck,
    Ranking,
)


def criteria(call: Call) -> list[rules.Criterion]:
    return [
        rules.Criterion(c["code"], Decimal(str(c.get("weight", 0))), Decimal(str(c.get("min_score", 0))))
        for c in call.award_criteria
    ]


def _consolidation_of(app: Application) -> Consolidation | None:
    """From select_related when the caller fetched it (ranking thousands at once), else one query."""
    if Application.consolidation.is_cached(app):  # type: ignore[attr-defined]
        try:
            return app.consolidation
        except Consolidation.DoesNotExist:
            return None
    return Consolidation.objects.filter(application=app).first()


def assessment_state(app: Application) -> dict[str, Any]:
    """Number of assessments, whether they diverge, the final scores and whether it passes."""
    crit = criteria(app.call)
    sets = [{k: Decimal(v) for k, v in a.scores.items()} for a in app.assessments.all()]
    consolidation = _consolidation_of(app)
    consolidated = {k: Decimal(v) for k, v in consolidation.scores.items()} if consolidation else None
    divergent = rules.needs_consolidation(sets, crit) if len(sets) >= 2 else False
    complete = len(sets) >= rules.MIN_ASSESSORS and (not divergent or consolidated is not None)
    final = rules.final_scores(sets, consolidated) if sets else {}
    return {
        "assessments": len(sets),
        "divergent": divergent,
        "consolidated": consolidated is not None,
        "complete": complete,
        "scores": {k: str(v) for k, v in final.items()},
        "total": str(rules.total(final)) if final else None,
        "passes": complete and rules.passes(final, crit, app.call.pass_mark),
    }


def ranking_of(call: Call) -> Ranking | None:
    return Ranking.objects.filter(call=call).first()


def eligibility_of(app: Application) -> EligibilityCheck | None:
    return EligibilityCheck.objects.filter(application=app).first()


def decisions_taken(app: Application) -> list[CommitteeDecision]:
    """The decisions of meetings that are closed (a planned meeting's are not final)."""
    return list(
        app.committee_decisions.filter(meeting__status=CommitteeMeeting.Status.HELD).select_related("meeting")
    )
