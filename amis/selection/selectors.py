"""Reads for selection: a call's award criteria, where an application's assessment stands (how many
assessors, whether they diverge, the final scores, whether it passes), a call's ranking and meetings."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet

from amis.applications.models import Application
from amis.applications.selectors import application_budget
from amis.calls.models import Call
from amis.selection import rules
from amis.selection.models import (
    CommitteeDecision,
    CommitteeMeeting,
    Consolidation,
    EligibilityCheck,
    Ranking,
)

AGENDA = (Application.Status.PROPOSED, Application.Status.RESERVE, Application.Status.ASSESSED)


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


MEETING_DECISION_FILTERS = ("undecided", *CommitteeDecision.Decision.values)
MEETING_OUTCOME_FILTERS = ("proposed", "reserve", "not passed")


def meeting_applications(
    meeting: CommitteeMeeting, *, text: str = "", decision: str = "", outcome: str = ""
) -> QuerySet[Application]:
    """The applications on a meeting's agenda (a held meeting's: those it decided), by reference,
    narrowed by a text (reference, title or applicant), the decision recorded so far (`undecided` or a
    decision) and the ranking's proposal (`proposed`, `reserve`, `not passed`). Unknown filter values
    are ignored."""
    call = meeting.call
    if meeting.status == CommitteeMeeting.Status.PLANNED:
        apps = call.applications.filter(status__in=AGENDA)
    else:
        apps = call.applications.filter(committee_decisions__meeting=meeting)
    text = text.strip()
    if text:
        apps = apps.filter(
            Q(reference__icontains=text) | Q(title__icontains=text) | Q(organisation__name__icontains=text)
        )
    if decision == "undecided":
        apps = apps.exclude(committee_decisions__meeting=meeting)
    elif decision in CommitteeDecision.Decision.values:
        apps = apps.filter(committee_decisions__meeting=meeting, committee_decisions__decision=decision)
    if outcome in MEETING_OUTCOME_FILTERS:
        ranking = ranking_of(call)
        refs = [r["reference"] for r in (ranking.rows if ranking else []) if r.get("outcome") == outcome]
        apps = apps.filter(reference__in=refs)
    return apps.distinct().order_by("reference")


def meeting_agenda(
    meeting: CommitteeMeeting, apps: Iterable[Application] | None = None
) -> list[dict[str, Any]]:
    """What the members have in front of them for each application on a planned meeting's agenda
    (or the `apps` of one page of it): the amounts, the proposal, the final scores and each
    assessor's scores with their justifications (and the consolidation's note). A held meeting's
    agenda is its decisions."""
    call = meeting.call
    ranking = ranking_of(call)
    by_ref = {r["reference"]: r for r in (ranking.rows if ranking else [])}
    ranks = {ref: index + 1 for index, ref in enumerate(by_ref)}
    listed = list(meeting_applications(meeting) if apps is None else apps)
    decided = {d.application_id: d for d in meeting.decisions.filter(application__in=[a.pk for a in listed])}
    rows = []
    for app in (
        Application.objects.filter(pk__in=[a.pk for a in listed])
        .select_related("organisation", "call", "consolidation")
        .prefetch_related("assessments", "budget_lines")
        .order_by("reference")
    ):
        state = assessment_state(app)
        assessments = sorted(app.assessments.all(), key=lambda a: a.at)
        consolidation = _consolidation_of(app)
        ranked = by_ref.get(app.reference, {})
        rows.append(
            {
                "app": app,
                "total_cost": application_budget(app).total_cost,
                "eu_requested": Decimal(app.funding.get("eu", "0")),
                "outcome": ranked.get("outcome", ""),
                "rank": ranks.get(app.reference),
                "state": state,
                "criteria": [
                    {
                        "code": c["code"],
                        "text": c.get("text", ""),
                        "final": state["scores"].get(c["code"], ""),
                        "assessors": [
                            (a.scores.get(c["code"], ""), a.justifications.get(c["code"], ""))
                            for a in assessments
                        ],
                    }
                    for c in call.award_criteria
                ],
                "assessor_totals": [a.total for a in assessments],
                "consolidation": consolidation,
                "decision": decided.get(app.pk),
            }
        )
    return rows


def decision_counts(meeting: CommitteeMeeting) -> list[tuple[str, int]]:
    """How many applications the meeting approved, rejected and postponed (one grouped query): a held
    meeting's summary, whatever its size; each decision is on the application's row of the page."""
    counts = dict(meeting.decisions.values("decision").annotate(n=Count("pk")).values_list("decision", "n"))
    return [(str(label), counts.get(value, 0)) for value, label in CommitteeDecision.Decision.choices]


def closing_summary(meeting: CommitteeMeeting) -> dict[str, list[Application]]:
    """What closing the meeting will do: which applications are selected, rejected or postponed,
    and which still have no decision (closing is refused until none is left)."""
    decided = {d.application_id: d.decision for d in meeting.decisions.all()}
    summary: dict[str, list[Application]] = {"approve": [], "reject": [], "postpone": [], "undecided": []}
    for app in (
        meeting.call.applications.filter(status__in=AGENDA)
        .select_related("organisation", "created_by")
        .order_by("reference")
    ):
        summary[decided.get(app.pk, "undecided")].append(app)
    return summary
