"""Ranking and proposal: once every application of a closed call is checked and assessed and no
double-funding flag is left open, the applications are ranked by score and proposed within the
call's budget (the rest on the reserve list); the ranking is frozen and the call becomes 'assessed'."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from amis.applications.models import Application
from amis.calls.models import Call
from amis.calls.services import assert_in_scope
from amis.core import audit
from amis.core.errors import ApplicationError
from amis.core.transactions import atomic, lock_for_update
from amis.integrity import selectors as integrity
from amis.selection import rules
from amis.selection.models import Assessment, Ranking
from amis.selection.selectors import assessment_state

S = Application.Status


def _ranked_applications(call: Call) -> list[Application]:
    return list(
        call.applications.exclude(status__in=[S.DRAFT, S.WITHDRAWN])
        .select_related("organisation", "consolidation", "call")
        .defer("snapshot", "description", "summary", "activities", "partners")
        .prefetch_related(Prefetch("assessments", queryset=Assessment.objects.only("application", "scores")))
    )


def _problem(call: Call, apps: list[Application]) -> str:
    """What still stands between the call and its ranking ("" when nothing does)."""
    if call.status != Call.Status.CLOSED:
        return _("Rank once the call is closed and every application is checked and assessed.")
    waiting = [a.reference for a in apps if a.status == S.SUBMITTED]
    if waiting:
        return _("Check the eligibility of %(references)s first.") % {"references": ", ".join(waiting)}
    states = {a.reference: assessment_state(a) for a in apps if a.status in (S.ELIGIBLE, S.ASSESSED)}
    incomplete = [ref for ref, st in states.items() if not st["complete"]]
    if incomplete:
        return _(
            "Assessment is not complete (two assessors, consolidated if they diverge) for %(references)s."
        ) % {"references": ", ".join(incomplete)}
    refs = integrity.references_with_open_flags(call)
    if refs:
        return _("Clear the double-funding flags of %(references)s first, each with a reason.") % {
            "references": ", ".join(refs)
        }
    return ""


def ranking_problem(call: Call) -> str:
    """For the call page: offer "Rank and propose" only when it can succeed, else say what is missing.

    Read on every view of a closed call, so it loads only what the check reads (status, reference,
    scores, the consolidation) and shares the page's call object: a call of 1,000 applications took
    0.5 s with the full rows the ranking itself needs."""
    if call.status != Call.Status.CLOSED:
        return _problem(call, [])
    apps = list(
        call.applications.exclude(status__in=[S.DRAFT, S.WITHDRAWN])
        .select_related("consolidation")
        .only("id", "reference", "status", "call_id", "consolidation__scores")
        .prefetch_related(Prefetch("assessments", queryset=Assessment.objects.only("application", "scores")))
    )
    for app in apps:
        app.call = call
    return _problem(call, apps)


@atomic
def rank_and_propose(*, actor: Any, call: Call) -> Ranking:
    assert_in_scope(actor, call, "selection.manage")
    current = lock_for_update(Call.objects).get(pk=call.pk)
    if current.status != Call.Status.CLOSED:
        raise ApplicationError(
            _("Rank once the call is closed and every application is checked and assessed.")
        )
    apps = _ranked_applications(current)
    problem = _problem(current, apps)
    if problem:
        raise ApplicationError(problem)
    states = {a.reference: assessment_state(a) for a in apps if a.status in (S.ELIGIBLE, S.ASSESSED)}
    by_ref = {a.reference: a for a in apps}
    ranked = [
        rules.Ranked(
            ref,
            Decimal(st["total"]),
            Decimal(by_ref[ref].funding.get("eu", "0")),  # the EU share asked for, as submitted
            by_ref[ref].submitted_at or timezone.now(),
            st["passes"],
        )
        for ref, st in states.items()
    ]
    proposal = rules.propose(ranked, current.budget)
    outcome = {
        **{r: "proposed" for r in proposal.proposed},
        **{r: "reserve" for r in proposal.reserve},
        **{r: "not passed" for r in proposal.not_passed},
    }
    rows = [
        {
            "reference": r.reference,
            "score": str(r.score),
            "eu_requested": str(r.eu_requested),
            "passed": r.passed,
            "outcome": outcome[r.reference],
        }
        for r in sorted(ranked, key=lambda r: (-r.score, r.submitted_at, r.reference))
    ]
    Application.objects.filter(pk__in=[by_ref[ref].pk for ref in proposal.proposed]).update(status=S.PROPOSED)
    Application.objects.filter(pk__in=[by_ref[ref].pk for ref in proposal.reserve]).update(status=S.RESERVE)
    Ranking.objects.filter(call=current).delete()
    ranking = Ranking.objects.create(call=current, rows=rows, budget_used=proposal.budget_used, by=actor)
    current.status = Call.Status.ASSESSED
    current.lock_version += 1
    current.save(update_fields=["status", "lock_version"])
    audit.record(
        actor=actor,
        action="transition",
        obj=current,
        before={"status": "closed"},
        after={"status": "assessed", "ranking": rows},
    )
    return ranking
