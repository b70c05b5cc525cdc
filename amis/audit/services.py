"""Writes of the audit authority (issue 19): the strategy and its yearly plans, the bodies to audit
with their risk assessment, system audits (each key requirement in category 1 to 4, completion with
the body's overall category), findings and recommendations followed up to closure, the auditee's
reply, and the annual control report with its opinion, approved by a second auditor and frozen.

Independence, enforced here whatever the page or endpoint: every write of an audit record needs an
`audit.*` write permission, which only the audit authority's auditors hold (`permissions.MATRIX`), so
no other role changes or deletes an audit record; the auditee writes only its own reply
(`audit_reply.submit`, which auditors do not hold). The auditors hold no write permission outside
`audit.*`, so they cannot change programme, project or payment data (tested on the matrix).

Each service runs in one transaction with its audit-trail entry; refusals of what was sent are
written too (`change_refused`). Edits carry the `lock_version` their page showed (409 otherwise).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import gettext as _

from amis.accounts.permissions import require
from amis.audit import key_requirements, rules, selectors
from amis.audit.models import (
    AuditedBody,
    AuditeeReply,
    AuditFinding,
    AuditPlan,
    AuditStrategy,
    ControlReport,
    RequirementAssessment,
    SystemAudit,
)
from amis.core import audit
from amis.core.errors import ForbiddenError
from amis.core.refusals import check_version, refuse
from amis.core.transactions import atomic, lock_for_update
from amis.organisations.models import Organisation
from amis.programme.models import Programme

PLAN = "audit.plan"
CONDUCT = "audit.conduct"
REPORT = "audit.report"
APPROVE = "audit.approve"
REPLY = "audit_reply.submit"
VIEW = "audit.view_records"


def _text(value: Any) -> str:
    return str(value or "").replace("\r\n", "\n").strip()


# -- strategy and plans -------------------------------------------------------------------------------


@atomic
def strategy_create(*, actor: Any, programme: Programme, text: str = "") -> AuditStrategy:
    require(actor, PLAN)
    if AuditStrategy.objects.filter(programme=programme).exists():
        raise refuse(actor, programme, _("This programme already has its audit strategy."))
    strategy = AuditStrategy.objects.create(programme=programme, text=_text(text), created_by=actor)
    audit.record(
        actor=actor, action="create", obj=strategy, after={"programme": programme.cci, "text": strategy.text}
    )
    return strategy


@atomic
def strategy_update(
    *, actor: Any, strategy: AuditStrategy, text: str, expected_lock_version: int
) -> AuditStrategy:
    require(actor, PLAN)
    current = lock_for_update(AuditStrategy.objects.all()).get(pk=strategy.pk)
    check_version(actor, current, expected_lock_version)
    before = current.text
    current.text = _text(text)
    current.lock_version += 1
    current.save(update_fields=["text", "lock_version"])
    audit.record(
        actor=actor, action="update", obj=current, before={"text": before}, after={"text": current.text}
    )
    return current


@atomic
def plan_create(*, actor: Any, strategy: AuditStrategy, year: int, notes: str = "") -> AuditPlan:
    require(actor, PLAN)
    current = AuditStrategy.objects.select_related("programme__period").get(pk=strategy.pk)
    first = current.programme.period.start_year
    if not first <= year <= first + 12:
        raise refuse(
            actor,
            current,
            _("A plan of a %(period)s programme covers a year from %(first)s to %(last)s.")
            % {"period": current.programme.period.code, "first": first, "last": first + 12},
            {"year": year},
        )
    if current.plans.filter(year=year).exists():
        raise refuse(actor, current, _("The strategy already has its plan for %(year)s.") % {"year": year})
    plan = AuditPlan.objects.create(strategy=current, year=year, notes=_text(notes), created_by=actor)
    audit.record(
        actor=actor, action="create", obj=plan, after={"programme": current.programme.cci, "year": year}
    )
    return plan


def _check_body(
    actor: Any, plan: AuditPlan, kind: str, risk_factors: dict[str, Any], justification: str, codes: list[str]
) -> None:
    period = plan.strategy.programme.period.code
    problems = []
    if kind not in AuditedBody.Kind.values:
        problems.append(_("The kind of body is not one AMIS knows."))
    problems += [_("Risk factor: %(problem)s.") % {"problem": p} for p in rules.risk_problems(risk_factors)]
    if not justification:
        problems.append(_("Document the risk assessment: the justification is required."))
    known = {kr.code for kr in key_requirements.requirements_for(period)}
    unknown = [c for c in codes if c not in known]
    if unknown:
        problems.append(
            _("Not key requirements of %(period)s: %(codes)s.")
            % {"period": period, "codes": ", ".join(unknown)}
        )
    if not codes:
        problems.append(_("Choose at least one key requirement to audit."))
    if problems:
        raise refuse(actor, plan, " ".join(problems), {"kind": kind, "codes": codes})


@atomic
def body_add(
    *,
    actor: Any,
    plan: AuditPlan,
    kind: str,
    name: str,
    risk_factors: dict[str, Any],
    risk_justification: str,
    key_requirement_codes: list[str] | None = None,
    organisation: Organisation | None = None,
) -> AuditedBody:
    """Put a body in the year's plan, with its documented risk assessment; without codes, the key
    requirements of its functions (`key_requirements.default_codes`)."""
    require(actor, PLAN)
    current = AuditPlan.objects.select_related("strategy__programme__period").get(pk=plan.pk)
    name = _text(name)
    codes = list(
        dict.fromkeys(
            key_requirement_codes
            or key_requirements.default_codes(current.strategy.programme.period.code, kind)
        )
    )
    justification = _text(risk_justification)
    if not name:
        raise refuse(actor, current, _("Name the body to audit."))
    _check_body(actor, current, kind, risk_factors, justification, codes)
    if current.bodies.filter(name=name).exists():
        raise refuse(actor, current, _("This body is already in the plan."), {"name": name})
    score = rules.risk_score(risk_factors)
    body = AuditedBody.objects.create(
        plan=current,
        kind=kind,
        name=name,
        organisation=organisation,
        risk_factors={k: int(risk_factors[k]) for k in rules.RISK_FACTORS},
        risk_score=score,
        risk_level=rules.risk_level(score),
        risk_justification=justification,
        key_requirements=codes,
    )
    audit.record(
        actor=actor,
        action="create",
        obj=body,
        after={
            "name": name,
            "kind": kind,
            "risk_factors": body.risk_factors,
            "risk_score": score,
            "key_requirements": codes,
        },
    )
    return body


@atomic
def body_update(
    *,
    actor: Any,
    body: AuditedBody,
    risk_factors: dict[str, Any],
    risk_justification: str,
    key_requirement_codes: list[str],
    expected_lock_version: int,
) -> AuditedBody:
    """Change a body's risk assessment or its key requirements, until its system audit is completed."""
    require(actor, PLAN)
    current = lock_for_update(AuditedBody.objects.select_related("plan__strategy__programme__period")).get(
        pk=body.pk
    )
    check_version(actor, current, expected_lock_version)
    done = SystemAudit.objects.filter(body=current, status=SystemAudit.Status.COMPLETED).exists()
    if done:
        raise refuse(
            actor, current, _("The system audit of this body is completed: its plan no longer changes.")
        )
    codes = list(dict.fromkeys(key_requirement_codes))
    justification = _text(risk_justification)
    _check_body(actor, current.plan, current.kind, risk_factors, justification, codes)
    before = {
        "risk_factors": current.risk_factors,
        "risk_justification": current.risk_justification,
        "key_requirements": current.key_requirements,
    }
    current.risk_factors = {k: int(risk_factors[k]) for k in rules.RISK_FACTORS}
    current.risk_score = rules.risk_score(current.risk_factors)
    current.risk_level = rules.risk_level(current.risk_score)
    current.risk_justification = justification
    current.key_requirements = codes
    current.lock_version += 1
    current.save()
    audit.record(
        actor=actor,
        action="update",
        obj=current,
        before=before,
        after={
            "risk_factors": current.risk_factors,
            "risk_justification": justification,
            "key_requirements": codes,
        },
    )
    return current


# -- system audits --------------------------------------------------------------------------------------


@atomic
def audit_start(*, actor: Any, body: AuditedBody, started_on: dt.date | None = None) -> SystemAudit:
    require(actor, CONDUCT)
    current = lock_for_update(AuditedBody.objects.all()).get(pk=body.pk)
    if SystemAudit.objects.filter(body=current).exists():
        raise refuse(actor, current, _("The system audit of this body is already started."))
    started = started_on or timezone.localdate()
    system_audit = SystemAudit.objects.create(body=current, started_on=started, created_by=actor)
    audit.record(
        actor=actor,
        action="create",
        obj=system_audit,
        after={"body": current.name, "started_on": started.isoformat()},
    )
    return system_audit


def _locked_audit(system_audit: SystemAudit) -> SystemAudit:
    return lock_for_update(SystemAudit.objects.select_related("body__plan__strategy__programme__period")).get(
        pk=system_audit.pk
    )


def _in_progress(actor: Any, current: SystemAudit) -> None:
    if current.status != SystemAudit.Status.IN_PROGRESS:
        raise refuse(actor, current, _("This system audit is completed: its assessment no longer changes."))


@atomic
def requirement_assess(
    *,
    actor: Any,
    system_audit: SystemAudit,
    code: str,
    category: int,
    justification: str,
    expected_lock_version: int,
) -> RequirementAssessment:
    """Assess one key requirement of the body in category 1 to 4 (CPR Annex XI Table 2), with the
    auditor's justification; again to change it while the audit is in progress."""
    require(actor, CONDUCT)
    current = _locked_audit(system_audit)
    check_version(actor, current, expected_lock_version)
    _in_progress(actor, current)
    detail = {"code": code, "category": category}
    if code not in current.body.key_requirements:
        raise refuse(
            actor, current, _("This body is not audited against %(code)s this year.") % {"code": code}, detail
        )
    if category not in rules.CATEGORY_VALUES:
        raise refuse(actor, current, _("A category is 1, 2, 3 or 4."), detail)
    justification = _text(justification)
    if not justification:
        raise refuse(actor, current, _("Justify the category: what was tested and found."), detail)
    found = RequirementAssessment.objects.filter(audit=current, code=code).first()
    before = {"category": found.category, "justification": found.justification} if found else None
    if found is None:
        found = RequirementAssessment.objects.create(
            audit=current, code=code, category=category, justification=justification, assessed_by=actor
        )
    else:
        found.category, found.justification, found.assessed_by = category, justification, actor
        found.lock_version += 1
        found.save()
    current.lock_version += 1
    current.save(update_fields=["lock_version"])
    audit.record(
        actor=actor,
        action="update" if before else "create",
        obj=found,
        before=before,
        after={"code": code, "category": category, "justification": justification},
    )
    return found


@atomic
def audit_complete(
    *,
    actor: Any,
    system_audit: SystemAudit,
    conclusion: str,
    expected_lock_version: int,
    completed_on: dt.date | None = None,
) -> SystemAudit:
    """Complete the audit: every planned key requirement assessed; the body's overall category is the
    worst of them (`rules.body_category`)."""
    require(actor, CONDUCT)
    current = _locked_audit(system_audit)
    check_version(actor, current, expected_lock_version)
    _in_progress(actor, current)
    assessed = {a.code: a.category for a in current.assessments.all()}
    missing = [c for c in current.body.key_requirements if c not in assessed]
    if missing:
        raise refuse(
            actor,
            current,
            _("Assess every key requirement first: %(codes)s.") % {"codes": ", ".join(missing)},
        )
    conclusion = _text(conclusion)
    if not conclusion:
        raise refuse(actor, current, _("Write the audit's conclusion."))
    current.overall_category = rules.body_category(assessed[c] for c in current.body.key_requirements)
    current.status = SystemAudit.Status.COMPLETED
    current.conclusion = conclusion
    current.completed_on = completed_on or timezone.localdate()
    current.completed_by = actor
    current.lock_version += 1
    current.save()
    audit.record(
        actor=actor,
        action="complete",
        obj=current,
        after={
            "overall_category": current.overall_category,
            "categories": assessed,
            "rule": rules.SYSTEM_RULE,
            "completed_on": current.completed_on.isoformat(),
        },
    )
    return current


# -- findings -------------------------------------------------------------------------------------------


@atomic
def finding_add(
    *,
    actor: Any,
    system_audit: SystemAudit,
    key_requirement: str,
    text: str,
    recommendation: str,
    priority: str,
    deadline: dt.date,
) -> AuditFinding:
    require(actor, CONDUCT)
    current = _locked_audit(system_audit)
    detail = {"key_requirement": key_requirement, "priority": priority}
    problems = []
    if key_requirement not in current.body.key_requirements:
        problems.append(_("The finding's key requirement is not one this body is audited against."))
    if priority not in AuditFinding.Priority.values:
        problems.append(_("The priority is high, medium or low."))
    if not _text(text) or not _text(recommendation):
        problems.append(_("A finding has its text and its recommendation."))
    if deadline < current.started_on:
        problems.append(_("The deadline falls before the audit started."))
    if problems:
        raise refuse(actor, current, " ".join(problems), detail)
    number = (current.findings.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    finding = AuditFinding.objects.create(
        audit=current,
        number=number,
        key_requirement=key_requirement,
        text=_text(text),
        recommendation=_text(recommendation),
        priority=priority,
        deadline=deadline,
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action="create",
        obj=finding,
        after={
            **detail,
            "number": number,
            "text": finding.text,
            "recommendation": finding.recommendation,
            "deadline": deadline.isoformat(),
        },
    )
    return finding


@atomic
def finding_reply(
    *, actor: Any, finding: AuditFinding, text: str, replied_on: dt.date | None = None
) -> AuditeeReply:
    """The auditee's reply (responsible or delegated authority): its own record; the finding is unchanged."""
    require(actor, REPLY)
    current = lock_for_update(AuditFinding.objects.all()).get(pk=finding.pk)
    if not selectors.finding_in_scope(actor, current):
        # a delegated authority replies only to the findings addressed to its own body
        reason = _("This finding is addressed to another body than yours.")
        audit.record_security_event(
            user=actor, event="permission_refused", obj=current, detail={"action": REPLY, "reason": reason}
        )
        raise ForbiddenError(reason)
    if current.status == AuditFinding.Status.CLOSED:
        raise refuse(actor, current, _("This finding is closed."))
    text = _text(text)
    if not text:
        raise refuse(actor, current, _("Write the reply."))
    reply = AuditeeReply.objects.create(
        finding=current, text=text, replied_on=replied_on or timezone.localdate(), author=actor
    )
    audit.record(actor=actor, action="create", obj=reply, after={"finding": current.pk, "text": text})
    return reply


@atomic
def finding_close(
    *,
    actor: Any,
    finding: AuditFinding,
    closure_note: str,
    expected_lock_version: int,
    closed_on: dt.date | None = None,
) -> AuditFinding:
    """The auditor closes the finding once the recommendation is implemented, saying what was checked."""
    require(actor, CONDUCT)
    current = lock_for_update(AuditFinding.objects.all()).get(pk=finding.pk)
    check_version(actor, current, expected_lock_version)
    if current.status == AuditFinding.Status.CLOSED:
        raise refuse(actor, current, _("This finding is already closed."))
    note = _text(closure_note)
    if not note:
        raise refuse(actor, current, _("Say what was checked to close the finding."))
    current.status = AuditFinding.Status.CLOSED
    current.closure_note = note
    current.closed_on = closed_on or timezone.localdate()
    current.closed_by = actor
    current.lock_version += 1
    current.save()
    audit.record(
        actor=actor,
        action="close",
        obj=current,
        before={"status": "open"},
        after={"status": "closed", "closure_note": note, "closed_on": current.closed_on.isoformat()},
    )
    return current


# -- the annual control report ------------------------------------------------------------------------


def canonical(content: dict[str, Any]) -> bytes:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder).encode()


@atomic
def report_create(*, actor: Any, programme: Programme, year: int) -> ControlReport:
    require(actor, REPORT)
    current = Programme.objects.select_related("period").get(pk=programme.pk)
    if ControlReport.objects.filter(programme=current, year=year).exists():
        raise refuse(
            actor, current, _("This programme already has its control report for %(year)s.") % {"year": year}
        )
    if not AuditPlan.objects.filter(strategy__programme=current, year=year).exists():
        raise refuse(
            actor, current, _("Plan the year's audits first: no audit plan for %(year)s.") % {"year": year}
        )
    report = ControlReport.objects.create(
        programme=current,
        year=year,
        basis=rules.report_basis(current.period.code),
        prepared_by=actor,
        updated_by=actor,
    )
    audit.record(actor=actor, action="create", obj=report, after={"programme": current.cci, "year": year})
    return report


def _locked_report(report: ControlReport) -> ControlReport:
    return lock_for_update(ControlReport.objects.select_related("programme__period")).get(pk=report.pk)


@atomic
def report_update(
    *, actor: Any, report: ControlReport, opinion: str, opinion_basis: str, expected_lock_version: int
) -> ControlReport:
    require(actor, REPORT)
    current = _locked_report(report)
    check_version(actor, current, expected_lock_version)
    if current.status != ControlReport.Status.DRAFT:
        raise refuse(actor, current, _("The report is approved and frozen."))
    if opinion and opinion not in ControlReport.Opinion.values:
        raise refuse(actor, current, _("The opinion is unqualified, qualified, adverse or a disclaimer."))
    before = {"opinion": current.opinion, "opinion_basis": current.opinion_basis}
    current.opinion, current.opinion_basis, current.updated_by = opinion, _text(opinion_basis), actor
    current.lock_version += 1
    current.save()
    audit.record(
        actor=actor,
        action="update",
        obj=current,
        before=before,
        after={"opinion": opinion, "opinion_basis": current.opinion_basis},
    )
    return current


@atomic
def report_approve(*, actor: Any, report: ControlReport, expected_lock_version: int) -> ControlReport:
    """A second auditor approves the report (four eyes: neither the one who drafted it nor the one who
    last changed it); its content is frozen as a snapshot with its SHA-256."""
    require(actor, APPROVE)
    current = _locked_report(report)
    check_version(actor, current, expected_lock_version)
    if current.status != ControlReport.Status.DRAFT:
        raise refuse(actor, current, _("The report is already approved."))
    if actor.pk in (current.prepared_by_id, current.updated_by_id):
        raise refuse(
            actor,
            current,
            _("Four eyes: another auditor than the one who drafted or last changed the report approves it."),
        )
    if not current.opinion or not current.opinion_basis:
        raise refuse(actor, current, _("Give the opinion and its basis first."))
    content = selectors.current_content(current)
    content["approval"] = {"by": actor.email, "at": timezone.now().isoformat()}
    data = canonical(content)
    current.snapshot = json.loads(data)
    current.snapshot_sha256 = hashlib.sha256(data).hexdigest()
    current.status = ControlReport.Status.APPROVED
    current.approved_by, current.approved_at = actor, timezone.now()
    current.lock_version += 1
    current.save()
    audit.record(
        actor=actor,
        action="approve",
        obj=current,
        after={"status": "approved", "snapshot_sha256": current.snapshot_sha256},
    )
    return current


@atomic
def export_recorded(*, actor: Any, report: ControlReport, format: str, sha256: str) -> None:
    require(actor, VIEW)
    audit.record_security_event(
        user=actor,
        event="export",
        obj=report,
        detail={"format": format, "sha256": sha256, "status": report.status},
    )
