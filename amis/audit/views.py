"""Pages of the audit authority (issue 19), under /audit-authority/: the overview (strategies, plans,
annual control reports, open findings), a year's plan (bodies, risk, assurance), a body's system audit
(key requirements in categories 1 to 4, completion, findings), a finding (the auditee's reply, the
auditor's closure), the annual control report (opinion, approval by a second auditor, PDF and XLSX).

Reading: `audit.view_records` (a delegated authority officer: only their own body's system audits and
findings, `selectors.auditee_scope`), the assurance and the annual control report
`audit_report.view`; writing: `audit.plan`, `audit.conduct`, `audit.report`,
`audit.approve` (auditors only); the auditee's reply: `audit_reply.submit`. Refusals answer 400 with
the rule broken, 403 with the reason, 409 when the record changed meanwhile."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amis.accounts.permissions import check, require
from amis.audit import exports, forms, key_requirements, rules, selectors, services
from amis.audit.models import AuditedBody, AuditFinding, AuditPlan, ControlReport
from amis.core.errors import ApplicationError
from amis.core.http import error_message, error_status

VIEW_REPORTS = "audit_report.view"
VIEW, PLAN, CONDUCT, REPORT, APPROVE, REPLY = (
    "audit.view_records",
    "audit.plan",
    "audit.conduct",
    "audit.report",
    "audit.approve",
    "audit_reply.submit",
)


def _problems(form: Any) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _may(request: HttpRequest, action: str) -> bool:
    return check(request.user, action).allowed


def _try(
    request: HttpRequest, call: Callable[[], Any], page: Callable[..., HttpResponse], done: str
) -> HttpResponse | None:
    """Run a service; on refusal answer the page again with its status; on success flash `done`."""
    try:
        call()
    except (ApplicationError, PermissionDenied) as error:
        return page(error_status(error), error=error_message(error))
    messages.success(request, done)
    return None


# -- the overview -----------------------------------------------------------------------------------


def _overview(request: HttpRequest, status: int = 200, **extra: Any) -> HttpResponse:
    programmes = list(selectors.programmes_for(request.user))
    ccis = [p.cci for p in programmes]
    rows = []
    for programme in programmes:
        strategy = selectors.strategy_of(programme)
        rows.append(
            {
                "programme": programme,
                "strategy": strategy,
                "plans": selectors.plans_of(strategy, request.user) if strategy else [],
            }
        )
    context = {
        "rows": rows,
        "reports": list(selectors.reports_for(request.user).order_by("programme__cci", "-year")),
        "findings": selectors.open_findings(request.user),
        "may_view_reports": _may(request, VIEW_REPORTS),
        "may_plan": _may(request, PLAN),
        "may_report": _may(request, REPORT),
        "strategy_form": extra.pop("strategy_form", None)
        or forms.StrategyForm(programmes=ccis, prefix="strategy"),
        "plan_form": extra.pop("plan_form", None) or forms.PlanForm(programmes=ccis, prefix="plan"),
        "report_form": extra.pop("report_form", None)
        or forms.ReportCreateForm(programmes=ccis, prefix="report"),
        **extra,
    }
    return render(request, "audit/overview.html", context, status=status)


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    require(request.user, VIEW)
    return _overview(request)


def _programme_or_404(request: HttpRequest, cci: str) -> Any:
    programme = selectors.programme_for(request.user, cci)
    if programme is None:
        raise Http404(_("No such programme."))
    return programme


@login_required
@require_POST
def strategy_create(request: HttpRequest) -> HttpResponse:
    require(request.user, PLAN)
    ccis = [p.cci for p in selectors.programmes_for(request.user)]
    form = forms.StrategyForm(request.POST, programmes=ccis, prefix="strategy")
    if not form.is_valid():
        return _overview(request, 400, strategy_form=form, error=_problems(form))
    programme = _programme_or_404(request, form.cleaned_data["programme"])
    failed = _try(
        request,
        lambda: services.strategy_create(
            actor=request.user, programme=programme, text=form.cleaned_data["text"]
        ),
        lambda status, **kw: _overview(request, status, strategy_form=form, **kw),
        _("The audit strategy is recorded."),
    )
    return failed or redirect("audit_authority:overview")


@login_required
@require_POST
def plan_create(request: HttpRequest) -> HttpResponse:
    require(request.user, PLAN)
    ccis = [p.cci for p in selectors.programmes_for(request.user)]
    form = forms.PlanForm(request.POST, programmes=ccis, prefix="plan")
    if not form.is_valid():
        return _overview(request, 400, plan_form=form, error=_problems(form))
    programme = _programme_or_404(request, form.cleaned_data["programme"])
    strategy = selectors.strategy_of(programme)
    if strategy is None:
        return _overview(
            request, 400, plan_form=form, error=_("Record the programme's audit strategy first.")
        )
    year = form.cleaned_data["year"]
    failed = _try(
        request,
        lambda: services.plan_create(actor=request.user, strategy=strategy, year=year),
        lambda status, **kw: _overview(request, status, plan_form=form, **kw),
        _("The plan of the year is started."),
    )
    return failed or redirect("audit_authority:plan", programme.cci, year)


# -- a year's plan ----------------------------------------------------------------------------------


def _codes(plan: AuditPlan) -> list[tuple[str, str]]:
    return [
        (kr.code, f"{kr.code} {kr.label}")
        for kr in key_requirements.requirements_for(plan.strategy.programme.period.code)
    ]


def _plan_or_404(request: HttpRequest, cci: str, year: int) -> AuditPlan:
    plan = selectors.plan_for(request.user, cci, year)
    if plan is None:
        raise Http404(_("No such audit plan."))
    return plan


def _plan_page(request: HttpRequest, plan: AuditPlan, status: int = 200, **extra: Any) -> HttpResponse:
    programme = plan.strategy.programme
    context = {
        "plan": plan,
        "programme": programme,
        "bodies": list(plan.bodies.all()),
        # every body's categories: not for a reader who sees only their own body's audit
        "assurance": selectors.system_assurance(programme, plan.year)
        if _may(request, VIEW_REPORTS) and selectors.reads_whole_programme(request.user)
        else None,
        "risk_rule": rules.RISK_RULE,
        "requirements": key_requirements.requirements_for(programme.period.code),
        "may_plan": _may(request, PLAN),
        "body_form": extra.pop("body_form", None) or forms.BodyForm(codes=_codes(plan)),
        **extra,
    }
    return render(request, "audit/plan.html", context, status=status)


@login_required
@require_GET
def plan_detail(request: HttpRequest, cci: str, year: int) -> HttpResponse:
    require(request.user, VIEW)
    return _plan_page(request, _plan_or_404(request, cci, year))


@login_required
@require_POST
def body_add(request: HttpRequest, cci: str, year: int) -> HttpResponse:
    require(request.user, PLAN)
    plan = _plan_or_404(request, cci, year)
    form = forms.BodyForm(request.POST, codes=_codes(plan))
    if not form.is_valid():
        return _plan_page(request, plan, 400, body_form=form, error=_problems(form))
    failed = _try(
        request,
        lambda: services.body_add(
            actor=request.user,
            plan=plan,
            kind=form.cleaned_data["kind"],
            name=form.cleaned_data["name"],
            risk_factors=form.factors(),
            risk_justification=form.cleaned_data["risk_justification"],
            key_requirement_codes=form.cleaned_data["key_requirements"],
        ),
        lambda status, **kw: _plan_page(request, plan, status, body_form=form, **kw),
        _("The body is in the plan."),
    )
    return failed or redirect("audit_authority:plan", cci, year)


# -- a body's system audit --------------------------------------------------------------------------


def _body_or_404(request: HttpRequest, pk: int) -> AuditedBody:
    body = selectors.body_for(request.user, pk)
    if body is None:
        raise Http404(_("No such audited body."))
    return body


def _body_page(request: HttpRequest, body: AuditedBody, status: int = 200, **extra: Any) -> HttpResponse:
    period = body.plan.strategy.programme.period.code
    system_audit = getattr(body, "system_audit", None)
    assessed = {a.code: a for a in system_audit.assessments.all()} if system_audit else {}
    editable = bool(system_audit and system_audit.status == "in_progress" and _may(request, CONDUCT))
    failed_assess = extra.pop("assess_form", None)
    rows = []
    for code in body.key_requirements:
        kr = key_requirements.requirement(period, code)
        found = assessed.get(code)
        form = None
        if editable:
            if failed_assess is not None and failed_assess.prefix == code:
                form = failed_assess
            elif system_audit is not None:
                initial = {"code": code, "lock_version": system_audit.lock_version}
                if found:
                    initial |= {"category": found.category, "justification": found.justification}
                form = forms.AssessForm(initial=initial, prefix=code)
        rows.append({"code": code, "requirement": kr, "assessment": found, "form": form})
    lock = {"lock_version": system_audit.lock_version} if system_audit else {}
    context = {
        "body": body,
        "plan": body.plan,
        "programme": body.plan.strategy.programme,
        "system_audit": system_audit,
        "rows": rows,
        "categories": forms.CATEGORY_LABELS,
        "findings": list(system_audit.findings.all()) if system_audit else [],
        "system_rule": rules.SYSTEM_RULE,
        "may_conduct": _may(request, CONDUCT),
        "editable": editable,
        "start_form": forms.StartForm(),
        "complete_form": extra.pop("complete_form", None) or forms.CompleteForm(initial=lock),
        "finding_form": extra.pop("finding_form", None) or forms.FindingForm(codes=body.key_requirements),
        **extra,
    }
    return render(request, "audit/body.html", context, status=status)


@login_required
@require_GET
def body_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, VIEW)
    return _body_page(request, _body_or_404(request, pk))


@login_required
@require_POST
def audit_start(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, CONDUCT)
    body = _body_or_404(request, pk)
    form = forms.StartForm(request.POST)
    if not form.is_valid():
        return _body_page(request, body, 400, error=_problems(form))
    failed = _try(
        request,
        lambda: services.audit_start(
            actor=request.user, body=body, started_on=form.cleaned_data["started_on"]
        ),
        lambda status, **kw: _body_page(request, body, status, **kw),
        _("The system audit is started."),
    )
    return failed or redirect("audit_authority:body", pk)


def _system_audit_or_400(request: HttpRequest, body: AuditedBody) -> Any:
    return getattr(body, "system_audit", None)


@login_required
@require_POST
def requirement_assess(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, CONDUCT)
    body = _body_or_404(request, pk)
    system_audit = _system_audit_or_400(request, body)
    prefix = request.POST.get("requirement", "")[:10] or None
    form = forms.AssessForm(request.POST, prefix=prefix)
    if system_audit is None:
        return _body_page(request, body, 400, error=_("Start the system audit first."))
    if not form.is_valid():
        return _body_page(request, body, 400, assess_form=form, error=_problems(form))
    failed = _try(
        request,
        lambda: services.requirement_assess(
            actor=request.user,
            system_audit=system_audit,
            code=form.cleaned_data["code"],
            category=form.cleaned_data["category"],
            justification=form.cleaned_data["justification"],
            expected_lock_version=form.cleaned_data["lock_version"],
        ),
        lambda status, **kw: _body_page(request, body, status, assess_form=form, **kw),
        _("The key requirement is assessed."),
    )
    return failed or redirect("audit_authority:body", pk)


@login_required
@require_POST
def audit_complete(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, CONDUCT)
    body = _body_or_404(request, pk)
    system_audit = _system_audit_or_400(request, body)
    form = forms.CompleteForm(request.POST)
    if system_audit is None:
        return _body_page(request, body, 400, error=_("Start the system audit first."))
    if not form.is_valid():
        return _body_page(request, body, 400, complete_form=form, error=_problems(form))
    failed = _try(
        request,
        lambda: services.audit_complete(
            actor=request.user,
            system_audit=system_audit,
            conclusion=form.cleaned_data["conclusion"],
            expected_lock_version=form.cleaned_data["lock_version"],
            completed_on=form.cleaned_data["completed_on"],
        ),
        lambda status, **kw: _body_page(request, body, status, complete_form=form, **kw),
        _("The system audit is completed."),
    )
    return failed or redirect("audit_authority:body", pk)


@login_required
@require_POST
def finding_add(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, CONDUCT)
    body = _body_or_404(request, pk)
    system_audit = _system_audit_or_400(request, body)
    form = forms.FindingForm(request.POST, codes=body.key_requirements)
    if system_audit is None:
        return _body_page(request, body, 400, error=_("Start the system audit first."))
    if not form.is_valid():
        return _body_page(request, body, 400, finding_form=form, error=_problems(form))
    failed = _try(
        request,
        lambda: services.finding_add(actor=request.user, system_audit=system_audit, **form.cleaned_data),
        lambda status, **kw: _body_page(request, body, status, finding_form=form, **kw),
        _("The finding is recorded."),
    )
    return failed or redirect("audit_authority:body", pk)


# -- a finding --------------------------------------------------------------------------------------


def _finding_or_404(request: HttpRequest, pk: int) -> AuditFinding:
    finding = selectors.finding_for(request.user, pk)
    if finding is None:
        raise Http404(_("No such finding."))
    return finding


def _finding_page(
    request: HttpRequest, finding: AuditFinding, status: int = 200, **extra: Any
) -> HttpResponse:
    context = {
        "finding": finding,
        "body": finding.audit.body,
        "replies": list(finding.replies.all()),
        "may_reply": _may(request, REPLY) and finding.status == "open",
        "may_close": _may(request, CONDUCT) and finding.status == "open",
        "reply_form": extra.pop("reply_form", None) or forms.ReplyForm(),
        "close_form": extra.pop("close_form", None)
        or forms.CloseForm(initial={"lock_version": finding.lock_version}),
        **extra,
    }
    return render(request, "audit/finding.html", context, status=status)


@login_required
@require_GET
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, VIEW)
    return _finding_page(request, _finding_or_404(request, pk))


@login_required
@require_POST
def finding_reply(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, REPLY)
    finding = _finding_or_404(request, pk)
    form = forms.ReplyForm(request.POST)
    if not form.is_valid():
        return _finding_page(request, finding, 400, reply_form=form, error=_problems(form))
    failed = _try(
        request,
        lambda: services.finding_reply(
            actor=request.user,
            finding=finding,
            text=form.cleaned_data["text"],
            replied_on=form.cleaned_data["replied_on"],
        ),
        lambda status, **kw: _finding_page(request, finding, status, reply_form=form, **kw),
        _("The reply is recorded."),
    )
    return failed or redirect("audit_authority:finding", pk)


@login_required
@require_POST
def finding_close(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, CONDUCT)
    finding = _finding_or_404(request, pk)
    form = forms.CloseForm(request.POST)
    if not form.is_valid():
        return _finding_page(request, finding, 400, close_form=form, error=_problems(form))
    failed = _try(
        request,
        lambda: services.finding_close(
            actor=request.user,
            finding=finding,
            closure_note=form.cleaned_data["closure_note"],
            expected_lock_version=form.cleaned_data["lock_version"],
            closed_on=form.cleaned_data["closed_on"],
        ),
        lambda status, **kw: _finding_page(request, finding, status, close_form=form, **kw),
        _("The finding is closed."),
    )
    return failed or redirect("audit_authority:finding", pk)


# -- the annual control report ----------------------------------------------------------------------


@login_required
@require_POST
def report_create(request: HttpRequest) -> HttpResponse:
    require(request.user, REPORT)
    ccis = [p.cci for p in selectors.programmes_for(request.user)]
    form = forms.ReportCreateForm(request.POST, programmes=ccis, prefix="report")
    if not form.is_valid():
        return _overview(request, 400, report_form=form, error=_problems(form))
    programme = _programme_or_404(request, form.cleaned_data["programme"])
    year = form.cleaned_data["year"]
    failed = _try(
        request,
        lambda: services.report_create(actor=request.user, programme=programme, year=year),
        lambda status, **kw: _overview(request, status, report_form=form, **kw),
        _("The annual control report is drafted."),
    )
    return failed or redirect("audit_authority:report", programme.cci, year)


def _report_or_404(request: HttpRequest, cci: str, year: int) -> ControlReport:
    report = selectors.report_for(request.user, cci, year)
    if report is None:
        raise Http404(_("No such annual control report."))
    return report


def _report_page(
    request: HttpRequest, report: ControlReport, status: int = 200, **extra: Any
) -> HttpResponse:
    content = selectors.current_content(report)
    lock = {"lock_version": report.lock_version}
    context = {
        "report": report,
        "content": content,
        "view": exports.view(content),
        "may_report": _may(request, REPORT) and report.status == "draft",
        "may_approve": _may(request, APPROVE) and report.status == "draft",
        "opinion_form": extra.pop("opinion_form", None)
        or forms.OpinionForm(
            initial={**lock, "opinion": report.opinion, "opinion_basis": report.opinion_basis}
        ),
        "approve_form": forms.LockForm(initial=lock),
        **extra,
    }
    return render(request, "audit/report.html", context, status=status)


@login_required
@require_GET
def report_detail(request: HttpRequest, cci: str, year: int) -> HttpResponse:
    require(request.user, VIEW_REPORTS)
    return _report_page(request, _report_or_404(request, cci, year))


@login_required
@require_POST
def report_opinion(request: HttpRequest, cci: str, year: int) -> HttpResponse:
    require(request.user, REPORT)
    report = _report_or_404(request, cci, year)
    form = forms.OpinionForm(request.POST)
    if not form.is_valid():
        return _report_page(request, report, 400, opinion_form=form, error=_problems(form))
    failed = _try(
        request,
        lambda: services.report_update(
            actor=request.user,
            report=report,
            opinion=form.cleaned_data["opinion"],
            opinion_basis=form.cleaned_data["opinion_basis"],
            expected_lock_version=form.cleaned_data["lock_version"],
        ),
        lambda status, **kw: _report_page(request, report, status, opinion_form=form, **kw),
        _("The opinion is saved."),
    )
    return failed or redirect("audit_authority:report", cci, year)


@login_required
@require_POST
def report_approve(request: HttpRequest, cci: str, year: int) -> HttpResponse:
    require(request.user, APPROVE)
    report = _report_or_404(request, cci, year)
    form = forms.LockForm(request.POST)
    if not form.is_valid():
        return _report_page(request, report, 400, error=_problems(form))
    failed = _try(
        request,
        lambda: services.report_approve(
            actor=request.user, report=report, expected_lock_version=form.cleaned_data["lock_version"]
        ),
        lambda status, **kw: _report_page(request, report, status, **kw),
        _("The report is approved and frozen."),
    )
    return failed or redirect("audit_authority:report", cci, year)


def _download(
    request: HttpRequest, report: ControlReport, data: bytes, fmt: str, content_type: str
) -> HttpResponse:
    services.export_recorded(
        actor=request.user, report=report, format=fmt, sha256=hashlib.sha256(data).hexdigest()
    )
    response = HttpResponse(data, content_type=content_type)
    name = f"annual-control-report-{report.programme.cci}-{report.year}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def export_xlsx(request: HttpRequest, cci: str, year: int) -> HttpResponse:
    require(request.user, VIEW_REPORTS)
    report = _report_or_404(request, cci, year)
    return _download(request, report, exports.xlsx(report), "xlsx", exports.XLSX_TYPE)


@login_required
@require_GET
def export_pdf(request: HttpRequest, cci: str, year: int) -> HttpResponse:
    require(request.user, VIEW_REPORTS)
    report = _report_or_404(request, cci, year)
    return _download(request, report, exports.pdf(report), "pdf", "application/pdf")
