"""From submitted applications to the Monitoring Committee's decision: eligibility, assessment,
consolidation, double-funding check, ranking and proposal, committee decisions, projects."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from amis.accounts.permissions import require
from amis.accounts.services import duty_record, ensure_duty_allowed
from amis.accounts.sod import Duty
from amis.calls import scoring
from amis.calls.double_funding import ApplicationRecord, find_flags, read_projects
from amis.calls.double_funding import OtherFundProject as OtherRecord
from amis.calls.models import (
    Application,
    Assessment,
    Call,
    CommitteeDecision,
    CommitteeMeeting,
    Consolidation,
    DoubleFundingFlag,
    EligibilityCheck,
    OtherFundProject,
    Project,
    Ranking,
)
from amis.calls.services import application_budget
from amis.core import audit
from amis.core.errors import ApplicationError

S = Application.Status


def criteria(call: Call) -> list[scoring.Criterion]:
    return [
        scoring.Criterion(c["code"], Decimal(str(c.get("weight", 0))), Decimal(str(c.get("min_score", 0))))
        for c in call.award_criteria
    ]


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update().select_related("call", "organisation").get(pk=application.pk)
    )


@transaction.atomic
def check_eligibility(
    *, actor: Any, application: Application, answers: dict[str, dict[str, Any]]
) -> Application:
    require(actor, "application.check")
    app = _locked(application)
    if app.call.status not in (Call.Status.CLOSED,):
        raise ApplicationError("Eligibility is checked once the call has closed.")
    if app.status != S.SUBMITTED:
        raise ApplicationError(f"Application {app.reference} is {app.get_status_display()}, not submitted.")
    problems = {}
    clean: dict[str, dict[str, Any]] = {}
    for criterion in app.call.eligibility_criteria:
        answer = answers.get(criterion["code"])
        if answer is None or not isinstance(answer.get("met"), bool):
            problems[criterion["code"]] = "Say whether the criterion is met."
            continue
        if not answer["met"] and not str(answer.get("reason", "")).strip():
            problems[criterion["code"]] = "Give the reason why the criterion is not met."
        clean[criterion["code"]] = {"met": answer["met"], "reason": str(answer.get("reason", "")).strip()}
    if problems:
        raise ApplicationError(
            "Nothing was saved. " + "; ".join(f"{k}: {v}" for k, v in problems.items()),
            extra={"fields": problems},
        )
    eligible = all(a["met"] for a in clean.values())
    EligibilityCheck.objects.create(application=app, officer=actor, answers=clean, eligible=eligible)
    app.status = S.ELIGIBLE if eligible else S.INELIGIBLE
    app.lock_version += 1
    app.save(update_fields=["status", "lock_version", "updated_at"])
    audit.record(
        actor=actor,
        action="transition",
        obj=app,
        before={"status": "submitted"},
        after={"status": app.status, "answers": clean},
    )
    return app


def _scores(raw: dict[str, Any]) -> dict[str, Decimal]:
    out = {}
    for code, value in raw.items():
        try:
            out[code] = Decimal(str(value))
        except InvalidOperation as exc:
            raise ApplicationError(
                f"Nothing was saved. {code}: '{value}' is not a number.",
                extra={"fields": {code: "not a number"}},
            ) from exc
    return out


@transaction.atomic
def assess(
    *,
    actor: Any,
    application: Application,
    no_conflict_of_interest: bool,
    scores: dict[str, Any],
    justifications: dict[str, str],
) -> Assessment:
    require(actor, "application.assess")
    app = _locked(application)
    if not no_conflict_of_interest:
        raise ApplicationError("Declare first that you have no conflict of interest with this applicant.")
    ensure_duty_allowed(user=actor, duty=Duty.ASSESS, obj=app, organisation=app.organisation)
    if app.status not in (S.ELIGIBLE, S.ASSESSED):
        raise ApplicationError(
            f"Application {app.reference} is {app.get_status_display()}; only eligible ones are assessed."
        )
    if Assessment.objects.filter(application=app, assessor=actor).exists():
        raise ApplicationError("You already assessed this application.")
    parsed = _scores(scores)
    problems = scoring.score_problems(criteria(app.call), parsed, justifications)
    if problems:
        raise ApplicationError(
            "Nothing was saved. " + "; ".join(f"{k}: {v}" for k, v in problems.items()),
            extra={"fields": problems},
        )
    assessment = Assessment.objects.create(
        application=app,
        assessor=actor,
        no_conflict_declared_at=timezone.now(),
        scores={k: str(v) for k, v in parsed.items()},
        justifications=justifications,
        total=scoring.total(parsed),
    )
    duty_record(user=actor, duty=Duty.ASSESS, obj=app)
    audit.record(
        actor=actor,
        action="create",
        obj=assessment,
        after={"scores": assessment.scores, "total": str(assessment.total)},
    )
    _refresh_assessed(app)
    return assessment


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
    divergent = scoring.needs_consolidation(sets, crit) if len(sets) >= 2 else False
    complete = len(sets) >= scoring.MIN_ASSESSORS and (not divergent or consolidated is not None)
    final = scoring.final_scores(sets, consolidated) if sets else {}
    return {
        "assessments": len(sets),
        "divergent": divergent,
        "consolidated": consolidated is not None,
        "complete": complete,
        "scores": {k: str(v) for k, v in final.items()},
        "total": str(scoring.total(final)) if final else None,
        "passes": complete and scoring.passes(final, crit, app.call.pass_mark),
    }


def _refresh_assessed(app: Application) -> None:
    if assessment_state(app)["complete"] and app.status == S.ELIGIBLE:
        app.status = S.ASSESSED
        app.lock_version += 1
        app.save(update_fields=["status", "lock_version", "updated_at"])


@transaction.atomic
def consolidate(*, actor: Any, application: Application, scores: dict[str, Any], note: str) -> Consolidation:
    require(actor, "selection.manage")
    app = _locked(application)
    state = assessment_state(app)
    if not state["divergent"]:
        raise ApplicationError("The assessors agree; there is nothing to consolidate.")
    if not note.strip():
        raise ApplicationError("Explain the consolidated scores.")
    parsed = _scores(scores)
    problems = scoring.score_problems(criteria(app.call), parsed, {c.code: note for c in criteria(app.call)})
    if problems:
        raise ApplicationError(
            "Nothing was saved. " + "; ".join(f"{k}: {v}" for k, v in problems.items()),
            extra={"fields": problems},
        )
    consolidation = Consolidation.objects.create(
        application=app,
        by=actor,
        scores={k: str(v) for k, v in parsed.items()},
        note=note,
        total=scoring.total(parsed),
    )
    audit.record(actor=actor, action="create", obj=consolidation, after={"scores": consolidation.scores})
    _refresh_assessed(app)
    return consolidation


@transaction.atomic
def import_other_fund_projects(*, actor: Any, data: bytes, filename: str, fund: str) -> int:
    """Import an ESF/ISF project list; a file with any bad row is refused whole, with every row named."""
    require(actor, "selection.manage")
    if fund not in ("ESF", "ESF+", "ISF"):
        raise ApplicationError("The fund is ESF, ESF+ or ISF.")
    result = read_projects(data, filename, fund)
    if result.errors:
        lines = "; ".join(f"row {e.row} {e.column}: {e.message}" for e in result.errors[:20])
        raise ApplicationError(f"The file was not imported: {lines}", extra={"errors": len(result.errors)})
    count = 0
    for p in result.projects:
        OtherFundProject.objects.update_or_create(
            fund=fund,
            identifier=p.identifier,
            defaults={
                "beneficiary_name": p.beneficiary_name,
                "enterprise_number": p.enterprise_number or "",
                "title": p.title,
                "description": p.description,
                "start": p.start,
                "end": p.end,
                "total_cost": p.total_cost,
                "eu_amount": p.eu_amount,
                "imported_by": actor,
            },
        )
        count += 1
    audit.record_security_event(
        user=actor, event="import", detail={"fund": fund, "file": filename, "projects": count}
    )
    return count


@transaction.atomic
def refresh_double_funding_flags(*, actor: Any, call: Call) -> int:
    require(actor, "selection.manage")
    apps = list(call.applications.exclude(status__in=[S.DRAFT, S.WITHDRAWN]).select_related("organisation"))
    records = [
        ApplicationRecord(
            a.reference,
            a.organisation.name,
            a.organisation.enterprise_number or None,
            a.title,
            a.summary,
            a.description,
            a.start_date,
            a.end_date,
        )
        for a in apps
        if a.start_date and a.end_date
    ]
    # only projects of the applicants' enterprises can match (find_flags matches on the number)
    wanted = {r.enterprise_number for r in records if r.enterprise_number}
    others = {
        (o.fund, o.identifier): o for o in OtherFundProject.objects.filter(enterprise_number__in=wanted)
    }
    projects = [
        OtherRecord(
            o.fund,
            o.beneficiary_name,
            o.enterprise_number or None,
            o.identifier,
            o.title,
            o.description,
            o.start,
            o.end,
            o.total_cost,
            o.eu_amount,
            0,
        )
        for o in others.values()
    ]
    by_ref = {a.reference: a for a in apps}
    known = set(
        DoubleFundingFlag.objects.filter(application__call=call).values_list("application_id", "other_id")
    )
    fresh = []
    for flag in find_flags(records, projects):
        application, other = (
            by_ref[flag.application_reference],
            others[(flag.other.fund, flag.other.identifier)],
        )
        if (application.pk, other.pk) in known:
            continue  # a flag already raised keeps its clearance, if any
        known.add((application.pk, other.pk))
        fresh.append(
            DoubleFundingFlag(
                application=application,
                other=other,
                overlap_days=flag.overlap_days,
                similarity=flag.similarity,
                reason=flag.reason,
            )
        )
    DoubleFundingFlag.objects.bulk_create(fresh, batch_size=1000, ignore_conflicts=True)
    if fresh:
        audit.record(
            actor=actor,
            action="update",
            obj=call,
            after={
                "double_funding_flags_raised": [
                    f"{f.application.reference} x {f.other.fund} {f.other.identifier}" for f in fresh
                ]
            },
        )
    return len(fresh)


@transaction.atomic
def clear_flag(*, actor: Any, flag: DoubleFundingFlag, reason: str) -> DoubleFundingFlag:
    require(actor, "selection.manage")
    current = DoubleFundingFlag.objects.select_for_update().get(pk=flag.pk)
    if current.cleared_at:
        raise ApplicationError("This flag was already cleared.")
    if not reason.strip():
        raise ApplicationError(
            "Say why this is not double funding (e.g. different costs, different target group)."
        )
    current.cleared_by, current.cleared_at, current.clearance = actor, timezone.now(), reason.strip()
    current.save()
    audit.record(actor=actor, action="update", obj=current, after={"clearance": current.clearance})
    return current


@transaction.atomic
def rank_and_propose(*, actor: Any, call: Call) -> Ranking:
    require(actor, "selection.manage")
    current = Call.objects.select_for_update().get(pk=call.pk)
    if current.status != Call.Status.CLOSED:
        raise ApplicationError("Rank once the call is closed and every application is checked and assessed.")
    apps = list(
        current.applications.exclude(status__in=[S.DRAFT, S.WITHDRAWN])
        .select_related("organisation", "consolidation")
        .defer("snapshot", "description", "summary", "activities", "partners")
        .prefetch_related(Prefetch("assessments", queryset=Assessment.objects.only("application", "scores")))
    )
    waiting = [a.reference for a in apps if a.status == S.SUBMITTED]
    if waiting:
        raise ApplicationError(f"Check the eligibility of {', '.join(waiting)} first.")
    states = {a.reference: assessment_state(a) for a in apps if a.status in (S.ELIGIBLE, S.ASSESSED)}
    incomplete = [ref for ref, st in states.items() if not st["complete"]]
    if incomplete:
        raise ApplicationError(
            f"Assessment is not complete (two assessors, consolidated if they diverge) for "
            f"{', '.join(incomplete)}."
        )
    open_flags = DoubleFundingFlag.objects.filter(application__call=current, cleared_at__isnull=True)
    if open_flags.exists():
        refs = sorted({f.application.reference for f in open_flags.select_related("application")})
        raise ApplicationError(
            f"Clear the double-funding flags of {', '.join(refs)} first, each with a reason."
        )
    by_ref = {a.reference: a for a in apps}
    ranked = [
        scoring.Ranked(
            ref,
            Decimal(st["total"]),
            Decimal(by_ref[ref].funding.get("eu", "0")),  # the EU share asked for, as submitted
            by_ref[ref].submitted_at or timezone.now(),
            st["passes"],
        )
        for ref, st in states.items()
    ]
    proposal = scoring.propose(ranked, current.budget)
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


@transaction.atomic
def meeting_plan(*, actor: Any, call: Call, date: dt.date, agenda: str) -> CommitteeMeeting:
    require(actor, "selection.manage")
    if call.status != Call.Status.ASSESSED:
        raise ApplicationError("The committee meets on a call whose ranking and proposal are ready.")
    if not agenda.strip():
        raise ApplicationError("A meeting needs an agenda.")
    meeting = CommitteeMeeting.objects.create(call=call, date=date, agenda=agenda.strip())
    audit.record(actor=actor, action="create", obj=meeting, after={"date": date.isoformat()})
    return meeting


@transaction.atomic
def record_decision(
    *, actor: Any, meeting: CommitteeMeeting, application: Application, decision: str, note: str = ""
) -> CommitteeDecision:
    require(actor, "committee.decide")
    if meeting.status != CommitteeMeeting.Status.PLANNED:
        raise ApplicationError("The meeting is closed; its decisions can no longer change.")
    app = _locked(application)
    if app.call_id != meeting.call_id or app.status not in (S.PROPOSED, S.RESERVE, S.ASSESSED):
        raise ApplicationError(f"{app.reference} is not on this meeting's agenda.")
    if decision not in CommitteeDecision.Decision.values:
        raise ApplicationError("The decision is approve, reject or postpone.")
    ensure_duty_allowed(user=actor, duty=Duty.DECIDE, obj=app, organisation=app.organisation)
    row, _ = CommitteeDecision.objects.update_or_create(
        meeting=meeting, application=app, defaults={"decision": decision, "note": note, "recorded_by": actor}
    )
    duty_record(user=actor, duty=Duty.DECIDE, obj=app)
    audit.record(actor=actor, action="update", obj=row, after={"decision": decision, "note": note})
    return row


@transaction.atomic
def close_meeting(*, actor: Any, meeting: CommitteeMeeting, minutes: str) -> list[Application]:
    """Apply the decisions: approved -> selected (a project), rejected -> rejected; notify applicants."""
    require(actor, "committee.decide")
    current = CommitteeMeeting.objects.select_for_update().get(pk=meeting.pk)
    if current.status != CommitteeMeeting.Status.PLANNED:
        raise ApplicationError("The meeting is already closed.")
    if not minutes.strip():
        raise ApplicationError("Record the minutes before closing the meeting.")
    changed = []
    for row in current.decisions.select_related("application", "application__organisation"):
        app = row.application
        if row.decision == CommitteeDecision.Decision.POSTPONE:
            continue
        app.status = S.SELECTED if row.decision == CommitteeDecision.Decision.APPROVE else S.REJECTED
        app.lock_version += 1
        app.save(update_fields=["status", "lock_version", "updated_at"])
        if app.status == S.SELECTED:
            budget = application_budget(app)
            Project.objects.create(
                application=app,
                reference=f"P-{app.reference}",
                organisation=app.organisation,
                eu_contribution=budget.eu_contribution,
                total_cost=budget.total_cost,
                start_date=app.start_date or app.call.eligible_start,
                end_date=app.end_date or app.call.eligible_end,
            )
        audit.record(
            actor=actor,
            action="transition",
            obj=app,
            before={"status": "proposed"},
            after={"status": app.status, "meeting": current.pk},
        )
        changed.append(app)
        transaction.on_commit(functools.partial(_notify, row.pk))
    current.minutes, current.status = minutes.strip(), CommitteeMeeting.Status.HELD
    current.lock_version += 1
    current.save()
    call = current.call
    if not call.applications.filter(status__in=[S.PROPOSED, S.RESERVE, S.ASSESSED]).exists():
        call.status = Call.Status.DECIDED
        call.save(update_fields=["status"])
    audit.record(
        actor=actor, action="transition", obj=current, after={"status": "held", "decided": len(changed)}
    )
    return changed


def _notify(decision_id: int) -> None:
    """Queue the applicant's notification for the worker (on commit of the meeting's closing)."""
    from amis.calls.tasks import send_decision_notification

    send_decision_notification.enqueue(decision_id)


def decision_message(decision: CommitteeDecision) -> EmailMessage | None:
    """The applicant hears the decision in their language, with the scores and the reasons."""
    app = decision.application
    registrant = app.created_by
    if registrant is None or not registrant.email:
        return None
    state = assessment_state(app)
    with translation.override(getattr(registrant, "preferred_language", "en") or "en"):
        approved = decision.decision == CommitteeDecision.Decision.APPROVE
        outcome = _("selected") if approved else _("rejected")
        decision_label = _("Decision of the Monitoring Committee")
        score_label = _("Score")
        body = "\n".join(
            [
                f"{app.reference} - {app.title}",
                f"{decision_label}: {outcome}",
                f"{score_label}: {state['total']} / 100 ({state['scores']})",
                decision.note,
            ]
        )
        return EmailMessage(f"[AMIS] {app.reference}: {outcome}", body, to=[registrant.email])
