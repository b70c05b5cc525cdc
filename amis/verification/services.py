"""Writes of management verifications: start the desk check of a submitted report, decide its lines
(one by one or in bulk, set-based: a claim has thousands of lines), answer the checklist, complete it.

Segregation of duties (Regulation (EU) No 514/2014 Art. 25; Regulation (EU) 2021/1060 Art. 72 and
74): the verifier never prepared the project's agreement (or one of its amendments), and whoever
verified a report never orders its payment (Duty.VERIFY against Duty.PAY on the report).
Locking order: the verification, then the report when its status changes, the audit head last.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from amis.accounts.models import DutyRecord
from amis.accounts.services import SegregationOfDutiesError, duty_record, ensure_duty_allowed
from amis.accounts.sod import Duty
from amis.core import audit
from amis.core.errors import ApplicationError
from amis.core.money import ZERO
from amis.core.refusals import check_version
from amis.core.transactions import atomic, lock_for_update
from amis.projects.models import AgreementVersion
from amis.projects.scope import require_project
from amis.reporting.models import ExpenditureLine, Report
from amis.verification import rules
from amis.verification.checklist import ANSWERS
from amis.verification.models import LineDecision, Verification
from amis.verification.selectors import agreement_figures, checklist_for, earlier_verified

PREPARED_AGREEMENT = "You prepared this project's grant agreement; another person must verify its claims."


def _refuse_preparer(actor: Any, report: Report) -> None:
    versions = AgreementVersion.objects.filter(agreement__project_id=report.project_id).values_list(
        "pk", flat=True
    )
    prepared = DutyRecord.objects.filter(
        user_id=actor.pk,
        duty=Duty.PREPARE.value,
        object_type=AgreementVersion._meta.label,
        object_id__in=[str(pk) for pk in versions],
    ).exists()
    if prepared:
        audit.record_security_event(
            user=actor,
            event="permission_refused",
            obj=report,
            detail={"duty": "verify", "reason": PREPARED_AGREEMENT},
        )
        raise SegregationOfDutiesError(PREPARED_AGREEMENT)


@atomic
def verification_start(*, actor: Any, report: Report) -> Verification:
    """Open the desk check of the report's latest submission round."""
    current = lock_for_update(Report.objects.select_related("project__application__call")).get(pk=report.pk)
    require_project(actor, current.project, "claim.verify")
    if current.status != Report.Status.SUBMITTED:
        raise ApplicationError(
            _("Only a submitted report is verified; this one is %(status)s.")
            % {"status": current.get_status_display()}
        )
    existing = Verification.objects.filter(report=current, round=current.round).first()
    if existing is not None:
        return existing
    _refuse_preparer(actor, current)
    ensure_duty_allowed(user=actor, duty=Duty.VERIFY, obj=current, organisation=current.project.organisation)
    verification = Verification.objects.create(report=current, round=current.round, verifier=actor)
    duty_record(user=actor, duty=Duty.VERIFY, obj=current)
    audit.record(
        actor=actor, action="create", obj=verification, after={"report": current.pk, "round": current.round}
    )
    return verification


def _locked_open(verification: Verification, actor: Any, expected_lock_version: int | None) -> Verification:
    current = lock_for_update(Verification.objects.select_related("report__project__application__call")).get(
        pk=verification.pk
    )
    require_project(actor, current.report.project, "claim.verify")
    if expected_lock_version is not None:
        check_version(actor, current, expected_lock_version)
    if current.status != Verification.Status.OPEN:
        raise ApplicationError(_("This verification is completed; it can no longer change."))
    if current.verifier_id != actor.pk:
        raise ApplicationError(_("Only the verifier who opened this verification decides its lines."))
    return current


def select_lines(verification: Verification, filters: dict[str, Any]) -> QuerySet[ExpenditureLine]:
    """The report's lines matching the bulk filters: ids, category, supplier (part of the name or
    the number), amount from/to, only those not decided yet."""
    qs = ExpenditureLine.objects.filter(report_id=verification.report_id)
    if filters.get("ids"):
        qs = qs.filter(pk__in=[int(i) for i in filters["ids"]])
    if filters.get("category"):
        qs = qs.filter(category=filters["category"])
    if filters.get("supplier"):
        text = str(filters["supplier"]).strip()
        qs = qs.filter(Q(supplier_name__icontains=text) | Q(supplier_number__icontains=text))
    if filters.get("amount_from") is not None:
        qs = qs.filter(amount_declared__gte=filters["amount_from"])
    if filters.get("amount_to") is not None:
        qs = qs.filter(amount_declared__lte=filters["amount_to"])
    if filters.get("undecided"):
        qs = qs.exclude(decisions__verification=verification)
    return qs


@atomic
def lines_decide(
    *,
    actor: Any,
    verification: Verification,
    filters: dict[str, Any],
    decision: str,
    eligible: Decimal | None = None,
    reason: str = "",
    reason_text: str = "",
) -> int:
    """Decide every line the filters select, in a fixed number of queries. A reduced decision keeps
    `eligible` of one line (bulk reductions go line by line). Returns the number of lines decided."""
    current = _locked_open(verification, actor, None)
    if decision not in LineDecision.Decision.values:
        raise ApplicationError(_("Decide eligible, ineligible or reduced."))
    if decision != LineDecision.Decision.ELIGIBLE and reason not in LineDecision.Reason.values:
        raise ApplicationError(_("Give the reason from the list."))
    if reason == LineDecision.Reason.OTHER and not reason_text.strip():
        raise ApplicationError(_("Explain the reason 'other'."))
    lines = list(select_lines(current, filters).values_list("pk", "category", "amount_declared"))
    if not lines:
        raise ApplicationError(_("No line matches."))
    if decision == LineDecision.Decision.REDUCED and len(lines) != 1:
        raise ApplicationError(_("A reduction is decided line by line, with the amount kept."))
    rows = []
    for pk, category, declared in lines:
        check = rules.LineDecision(category, declared, decision, eligible, reason or "-")
        problem = rules.line_problem(check)
        if problem:
            raise ApplicationError(_("Line %(line)s: %(problem)s.") % {"line": pk, "problem": problem})
        rows.append(
            LineDecision(
                verification=current,
                line_id=pk,
                decision=decision,
                eligible=rules.eligible_of(check),
                reason="" if decision == LineDecision.Decision.ELIGIBLE else reason,
                reason_text=reason_text.strip(),
                decided_by=actor,
            )
        )
    LineDecision.objects.filter(verification=current, line_id__in=[pk for pk, _c, _d in lines]).delete()
    LineDecision.objects.bulk_create(rows, batch_size=5000)
    current.lock_version += 1
    current.save(update_fields=["lock_version"])
    audit.record(
        actor=actor,
        action="decide",
        obj=current,
        after={
            "lines": len(rows),
            "decision": decision,
            "reason": reason,
            "filters": {k: str(v) for k, v in filters.items()},
        },
    )
    return len(rows)


@atomic
def checklist_answer(
    *, actor: Any, verification: Verification, expected_lock_version: int, answers: dict[str, dict[str, str]]
) -> Verification:
    current = _locked_open(verification, actor, expected_lock_version)
    codes = {item.code for item in checklist_for(current.report)}
    problems = {}
    for code, answer in answers.items():
        if code not in codes:
            problems[code] = _("Not an item of this checklist.")
        elif answer.get("answer") not in ANSWERS:
            problems[code] = _("Answer yes, no or not applicable.")
        elif answer.get("answer") == "no" and not str(answer.get("comment", "")).strip():
            problems[code] = _("Say what is wrong.")
    if problems:
        from amis.core import parsing

        raise parsing.fields_error(problems)
    current.checklist = {
        **current.checklist,
        **{
            k: {"answer": v["answer"], "comment": str(v.get("comment", "")).strip()}
            for k, v in answers.items()
        },
    }
    current.lock_version += 1
    current.save()
    audit.record(actor=actor, action="update", obj=current, after={"checklist": answers})
    return current


@atomic
def verification_complete(
    *, actor: Any, verification: Verification, expected_lock_version: int, now: dt.datetime | None = None
) -> Verification:
    """Every line decided and every checklist item answered: compute the verified eligible amount and
    the EU share with their working, close the verification and accept the report. `now`: the
    moment it was completed, when it is recorded afterwards (the demo's history), never before the
    report reached the authority."""
    current = _locked_open(verification, actor, expected_lock_version)
    report = lock_for_update(Report.objects.select_related("project")).get(pk=current.report_id)
    missing_items = [item.code for item in checklist_for(report) if item.code not in current.checklist]
    if missing_items:
        raise ApplicationError(
            _("Answer every item of the checklist: %(items)s.") % {"items": ", ".join(missing_items)}
        )
    undecided = ExpenditureLine.objects.filter(report=report).exclude(decisions__verification=current).count()
    if undecided:
        raise ApplicationError(_("%(count)s lines are not decided yet.") % {"count": undecided})
    decided = LineDecision.objects.filter(verification=current).values_list(
        "line__category", "line__amount_declared", "decision", "eligible", "reason"
    )
    lines = [
        rules.LineDecision(c, d, dec, e, r or "-") for c, d, dec, e, r in decided.iterator(chunk_size=5000)
    ]
    figures, version = agreement_figures(report)
    before, eu_before = earlier_verified(report)
    result = rules.verify_claim(lines, figures, before, eu_before)
    moment = now or timezone.now()
    if now is not None and (now > timezone.now() or (report.submitted_at and now < report.submitted_at)):
        raise ApplicationError(
            _("A verification is completed after the report came in, never in the future.")
        )
    current.status = Verification.Status.COMPLETED
    current.completed_at = moment
    current.declared = result.declared
    current.eligible_by_decision = result.eligible_by_decision
    current.ineligible = result.ineligible
    current.reduced = result.reduced
    current.verified = result.verified
    current.eu_share = result.eu_share
    current.verified_by_category = {k: str(v) for k, v in result.verified_by_category.items()}
    current.working = [
        {"rule": s.rule, "category": s.category, "amount": str(s.amount), **s.detail} for s in result.steps
    ] + [{"rule": "agreement_version", "category": "", "amount": "0.00", "number": str(version.number)}]
    current.lock_version += 1
    current.save()
    report.status = Report.Status.ACCEPTED
    report.lock_version += 1
    report.save(update_fields=["status", "lock_version"])
    audit.record(
        actor=actor,
        action="complete",
        obj=current,
        after={
            "declared": str(result.declared),
            "verified": str(result.verified),
            "eu_share": str(result.eu_share),
        },
    )
    return current


def parse_amount(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation as error:
        raise ApplicationError(_("Give an amount in euro and cents.")) from error


__all__ = [
    "ZERO",
    "checklist_answer",
    "lines_decide",
    "select_lines",
    "verification_complete",
    "verification_start",
]
