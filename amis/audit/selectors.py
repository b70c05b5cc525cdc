"""Reads of the audit authority's records, with a fixed number of queries; and the one the sampling
app reads: `system_assurance(programme, year)`, the category (1 to 4) of the programme's management
and control system in a year with the rule that combines it.

Readers: `audit.view_records`. The audit authority and the responsible authority read every record;
a delegated authority officer reads only the part addressed to their own body: the plans that have a
body of their organisation (within the programme of their delegation), those bodies' system audits,
findings and recommendations (to which they reply), never another body's audit (`auditee_scope`).
The programme-wide conclusions — the system's assurance from every body's audit, the annual control
report and opinion — need `audit_report.view`, which delegated authority officers do not hold; the
samples are the sampling app's (`sampling.view`, auditors only)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from amis.accounts.models import RoleAssignment
from amis.accounts.permissions import active_roles, check
from amis.accounts.roles import Role
from amis.audit import hooks, key_requirements, rules
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
from amis.programme.models import Programme

VIEW = "audit.view_records"
VIEW_REPORTS = "audit_report.view"
# roles that read every audit record of the programme (the auditors and the responsible authority)
WHOLE_READERS = frozenset({Role.AUDITOR, Role.RA_MANAGER, Role.RA_OFFICER})


def auditee_scope(user: Any) -> Q | None:
    """The audited bodies this reader sees, as a filter on `AuditedBody`: None for the whole programme
    (auditors, the responsible authority); for a delegated authority officer the bodies of their own
    organisation, within the programme each delegation names (any programme when it names none);
    nothing for anyone else."""
    roles = active_roles(user)
    if set(roles) & WHOLE_READERS:
        return None
    scope = Q(pk__in=[])
    if Role.DA_OFFICER in roles:
        delegations = RoleAssignment.objects.filter(
            user=user, role=Role.DA_OFFICER, revoked_at__isnull=True, organisation__isnull=False
        ).values_list("organisation_id", "programme_id")
        for organisation_id, programme_id in delegations:
            part = Q(organisation_id=organisation_id)
            if programme_id is not None:
                part &= Q(plan__strategy__programme_id=programme_id)
            scope |= part
    return scope


def bodies_for(user: Any) -> QuerySet[AuditedBody]:
    """The audited bodies this reader sees (none without `audit.view_records`)."""
    if not check(user, VIEW).allowed:
        return AuditedBody.objects.none()
    scope = auditee_scope(user)
    return AuditedBody.objects.all() if scope is None else AuditedBody.objects.filter(scope)


def reads_whole_programme(user: Any) -> bool:
    """Whether this reader sees every body's audit (not only their own body's)."""
    return check(user, VIEW).allowed and auditee_scope(user) is None


def programmes_for(user: Any) -> QuerySet[Programme]:
    """The programmes whose audit records this reader sees: all of them for the audit authority and
    the responsible authority, those with a body of their own for a delegated authority officer."""
    qs = Programme.objects.select_related("period", "fund").order_by("cci")
    if not check(user, VIEW).allowed:
        return qs.none()
    if reads_whole_programme(user):
        return qs
    return qs.filter(pk__in=bodies_for(user).values("plan__strategy__programme_id"))


def programme_for(user: Any, cci: str) -> Programme | None:
    return programmes_for(user).filter(cci=cci).first()


def strategy_of(programme: Programme) -> AuditStrategy | None:
    return AuditStrategy.objects.filter(programme=programme).first()


def plans_of(strategy: AuditStrategy, user: Any = None) -> list[AuditPlan]:
    """The strategy's yearly plans; for a reader given, only those with a body they see."""
    plans = strategy.plans.order_by("-year")
    if user is not None and not reads_whole_programme(user):
        plans = plans.filter(pk__in=bodies_for(user).values("plan_id"))
    return list(plans)


def _bodies() -> QuerySet[AuditedBody]:
    return AuditedBody.objects.select_related("organisation", "system_audit").prefetch_related(
        Prefetch("system_audit__assessments", queryset=RequirementAssessment.objects.order_by("pk")),
        Prefetch(
            "system_audit__findings",
            queryset=AuditFinding.objects.prefetch_related(
                Prefetch("replies", queryset=AuditeeReply.objects.select_related("author"))
            ).order_by("number"),
        ),
    )


def plan_for(user: Any, cci: str, year: int) -> AuditPlan | None:
    """A year's plan with the bodies this reader sees (a delegated authority officer: their own, and
    no plan without one)."""
    bodies = _bodies().order_by("-risk_score", "name")
    plans = AuditPlan.objects.filter(
        strategy__programme__in=programmes_for(user), strategy__programme__cci=cci, year=year
    )
    if not reads_whole_programme(user):
        visible = bodies_for(user)
        plans = plans.filter(pk__in=visible.values("plan_id"))
        bodies = bodies.filter(pk__in=visible.values("pk"))
    return (
        plans.select_related("strategy__programme__period")
        .prefetch_related(Prefetch("bodies", queryset=bodies))
        .first()
    )


def body_for(user: Any, pk: int) -> AuditedBody | None:
    return (
        _bodies()
        .filter(pk=pk, pk__in=bodies_for(user).values("pk"))
        .select_related("plan__strategy__programme__period")
        .first()
    )


def finding_in_scope(user: Any, finding: AuditFinding) -> bool:
    """Whether the finding is addressed to a body this person sees (a question: nothing recorded)."""
    return bodies_for(user).filter(pk=finding.audit.body_id).exists()


def finding_for(user: Any, pk: int) -> AuditFinding | None:
    return (
        AuditFinding.objects.filter(pk=pk, audit__body__in=bodies_for(user).values("pk"))
        .select_related("audit__body__plan__strategy__programme__period", "closed_by", "created_by")
        .prefetch_related(Prefetch("replies", queryset=AuditeeReply.objects.select_related("author")))
        .first()
    )


def open_findings(user: Any) -> list[AuditFinding]:
    return list(
        AuditFinding.objects.filter(
            status=AuditFinding.Status.OPEN, audit__body__in=bodies_for(user).values("pk")
        )
        .select_related("audit__body__plan__strategy__programme")
        .order_by("deadline", "pk")[:200]
    )


# -- the assurance level, for the sampling app ----------------------------------------------------------


def system_assurance(programme: Programme, year: int) -> rules.Assurance:
    """The category of the programme's system in `year` (1 works well ... 4 essentially does not work),
    from the completed system audits of that year's plan: `rules.system_category` (the worst body).
    `category` is None when no system audit of the year is completed."""
    audits = SystemAudit.objects.filter(
        body__plan__strategy__programme=programme, body__plan__year=year, status=SystemAudit.Status.COMPLETED
    ).select_related("body")
    return rules.assurance((a.body.name, a.overall_category) for a in audits.order_by("body__name"))


# -- the annual control report ------------------------------------------------------------------------


def reports_for(user: Any) -> QuerySet[ControlReport]:
    """The annual control reports, draft or approved (`audit_report.view`: not a delegated authority
    officer, since a report holds every body's audit and the samples' results)."""
    if not check(user, VIEW_REPORTS).allowed:
        return ControlReport.objects.none()
    return ControlReport.objects.filter(programme__in=programmes_for(user)).select_related(
        "programme__period", "prepared_by", "approved_by"
    )


def report_for(user: Any, cci: str, year: int) -> ControlReport | None:
    return reports_for(user).filter(programme__cci=cci, year=year).first()


def _day(value: Any) -> str | None:
    return value.isoformat() if value else None


def generated_content(programme: Programme, year: int) -> dict[str, Any]:
    """The annual control report's data generated from the year's records (CPR Annex XIX sections on
    system audits, follow-up and the assurance; the audits of operations from the sampling app)."""
    period = programme.period.code
    plan = (
        AuditPlan.objects.filter(strategy__programme=programme, year=year)
        .prefetch_related(Prefetch("bodies", queryset=_bodies().order_by("-risk_score", "name")))
        .first()
    )
    bodies, findings = [], []
    for body in plan.bodies.all() if plan else []:
        audit = getattr(body, "system_audit", None)
        categories = {a.code: a.category for a in audit.assessments.all()} if audit else {}
        bodies.append(
            {
                "name": body.name,
                "kind": body.kind,
                "risk_score": body.risk_score,
                "risk_level": body.risk_level,
                "key_requirements": [
                    {
                        "code": code,
                        "label": (
                            key_requirements.requirement(period, code)
                            or key_requirements.KeyRequirement(code, "", "", "")
                        ).label,
                        "category": categories.get(code),
                    }
                    for code in body.key_requirements
                ],
                "status": audit.status if audit else "not_started",
                "overall_category": audit.overall_category if audit else None,
                "conclusion": audit.conclusion if audit else "",
                "completed_on": _day(audit.completed_on) if audit else None,
            }
        )
        for finding in audit.findings.all() if audit else []:
            findings.append(
                {
                    "body": body.name,
                    "number": finding.number,
                    "key_requirement": finding.key_requirement,
                    "text": finding.text,
                    "recommendation": finding.recommendation,
                    "priority": finding.priority,
                    "deadline": _day(finding.deadline),
                    "status": finding.status,
                    "closed_on": _day(finding.closed_on),
                    "replies": [{"on": _day(r.replied_on), "text": r.text} for r in finding.replies.all()],
                }
            )
    assurance = system_assurance(programme, year)
    sampling = hooks.sampling_results(programme, year)
    rate = sampling.get("total_error_rate") if sampling else None
    return {
        "programme": programme.cci,
        "period": period,
        "year": year,
        "basis": rules.report_basis(period),
        "bodies": bodies,
        "findings": findings,
        "assurance": {
            "category": assurance.category,
            "assurance": assurance.assurance,
            "rule": assurance.rule,
        },
        "sampling": sampling,
        "suggested_opinion": rules.suggested_opinion(
            assurance.category, Decimal(str(rate)) if rate is not None else None
        ),
    }


def current_content(report: ControlReport) -> dict[str, Any]:
    """The snapshot of an approved report; today's data for a draft (with the opinion as drafted)."""
    if report.snapshot is not None:
        return dict(report.snapshot)
    content = generated_content(report.programme, report.year)
    content["opinion"] = {"opinion": report.opinion, "basis": report.opinion_basis}
    return content
