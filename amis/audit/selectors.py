"""Reads of the audit authority's records, with a fixed number of queries; and the one the sampling
app reads: `system_assurance(programme, year)`, the category (1 to 4) of the programme's management
and control system in a year with the rule that combines it.

Readers: `audit.view_records` (the audit authority; the responsible and delegated authorities read
the findings addressed to them and the reports)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet

from amis.accounts.permissions import check
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


def programmes_for(user: Any) -> QuerySet[Programme]:
    qs = Programme.objects.select_related("period", "fund").order_by("cci")
    return qs if check(user, VIEW).allowed else qs.none()


def programme_for(user: Any, cci: str) -> Programme | None:
    return programmes_for(user).filter(cci=cci).first()


def strategy_of(programme: Programme) -> AuditStrategy | None:
    return AuditStrategy.objects.filter(programme=programme).first()


def plans_of(strategy: AuditStrategy) -> list[AuditPlan]:
    return list(strategy.plans.order_by("-year"))


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
    return (
        AuditPlan.objects.filter(
            strategy__programme__in=programmes_for(user), strategy__programme__cci=cci, year=year
        )
        .select_related("strategy__programme__period")
        .prefetch_related(Prefetch("bodies", queryset=_bodies().order_by("-risk_score", "name")))
        .first()
    )


def body_for(user: Any, pk: int) -> AuditedBody | None:
    return (
        _bodies()
        .filter(pk=pk, plan__strategy__programme__in=programmes_for(user))
        .select_related("plan__strategy__programme__period")
        .first()
    )


def finding_for(user: Any, pk: int) -> AuditFinding | None:
    return (
        AuditFinding.objects.filter(pk=pk, audit__body__plan__strategy__programme__in=programmes_for(user))
        .select_related("audit__body__plan__strategy__programme__period", "closed_by", "created_by")
        .prefetch_related(Prefetch("replies", queryset=AuditeeReply.objects.select_related("author")))
        .first()
    )


def open_findings(user: Any) -> list[AuditFinding]:
    return list(
        AuditFinding.objects.filter(
            status=AuditFinding.Status.OPEN, audit__body__plan__strategy__programme__in=programmes_for(user)
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
