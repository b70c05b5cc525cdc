"""Pages of the annual report (issue 17, section 2), under /annual-reports/: the reports of each
programme the reader sees (and drafting a year's report), a report's page — its header, the texts the
authority writes (a form per part while it is a draft), the tables generated from AMIS data or frozen
at approval, its steps — and the exports (XLSX of every table, PDF in a chosen language).

Reading: `annual_report.view`; writing the report: `annual_report.manage` (the responsible
authority); the committee's decision: `annual_report.approve` (a member of the Monitoring
Committee). Refusals answer 400 with the rule broken, 403 with the reason, 409 when the record
changed meanwhile."""

from __future__ import annotations

import hashlib
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amis.accounts.permissions import check, require
from amis.annual_reports import exports, rules, selectors, services
from amis.annual_reports.forms import DecisionForm, ExportForm, NarrativeForm, ReportCreateForm, SubmitForm
from amis.annual_reports.models import AnnualReport
from amis.core import pages
from amis.core.errors import ApplicationError
from amis.core.http import error_message, error_status


def _may(request: HttpRequest, action: str) -> bool:
    return check(request.user, action).allowed


# -- the list ---------------------------------------------------------------------------------------


def _create_form(request: HttpRequest, data: Any = None) -> ReportCreateForm:
    programmes = list(selectors.programmes_for(request.user))
    years = sorted({y for p in programmes for y in rules.years_for(p.period.code)})
    return ReportCreateForm(data, choices=[(p.cci, p.cci) for p in programmes], years=years)


def _overview(request: HttpRequest, status: int = 200, **extra: Any) -> HttpResponse:
    programmes = list(selectors.programmes_for(request.user))
    reports: dict[int, list[AnnualReport]] = {}
    for report in selectors.reports_for(request.user):
        reports.setdefault(report.programme_id, []).append(report)
    context = {
        "rows": [{"programme": p, "reports": reports.get(p.pk, [])} for p in programmes],
        "may_manage": _may(request, "annual_report.manage"),
        "create_form": extra.pop("create_form", None) or _create_form(request),
        **extra,
    }
    return render(request, "annual_reports/overview.html", context, status=status)


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    require(request.user, "annual_report.view")
    return _overview(request)


@login_required
@require_POST
def report_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "annual_report.manage")
    form = _create_form(request, request.POST)
    if not form.is_valid():
        return _overview(request, 400, create_form=form, error=pages.form_problems(form))
    programme = selectors.programme_for(request.user, form.cleaned_data["programme"])
    if programme is None:
        raise Http404(_("No such programme."))
    try:
        report = services.report_create(
            actor=request.user, programme=programme, year=form.cleaned_data["year"]
        )
    except (ApplicationError, PermissionDenied) as error:
        return _overview(request, error_status(error), create_form=form, error=error_message(error))
    messages.success(request, _("The report is drafted."))
    return redirect("annual_reports:report", programme.cci, report.year)


# -- one report -------------------------------------------------------------------------------------


def _report_or_404(
    request: HttpRequest, cci: str, year: int, action: str = "annual_report.view"
) -> AnnualReport:
    require(request.user, action)
    report = selectors.report_for(request.user, cci, year)
    if report is None:
        raise Http404(_("No such annual report."))
    return report


def part_prefix(section: str, specific_objective: str) -> str:
    """The form prefix of a part: ids stay unique with one form per part on the page."""
    return f"{section}-{specific_objective or 'all'}"


def _report_page(request: HttpRequest, report: AnnualReport, status: int = 200, **extra: Any) -> HttpResponse:
    content = selectors.current_content(report)
    lock = {"lock_version": report.lock_version}
    editable = report.status in rules.EDITABLE and _may(request, "annual_report.manage")
    failed = extra.pop("narrative_form", None)
    parts = []
    for part in content.get("narrative", []):
        prefix = part_prefix(part["section"], part["specific_objective"])
        form = None
        if editable:
            form = (
                failed
                if failed is not None and failed.prefix == prefix
                else NarrativeForm(initial={**part, "lock_version": part["lock_version"]}, prefix=prefix)
            )
        parts.append(
            {**part, "label": exports.section_label(part["section"]), "form": form, "prefix": prefix}
        )
    language = translation.get_language() or "en"
    context = {
        "report": report,
        "content": content,
        "tables": exports.table_views(content, language),
        "parts": parts,
        "events": list(report.events.all()),
        "editable": editable,
        "may_manage": _may(request, "annual_report.manage"),
        "may_approve": _may(request, "annual_report.approve"),
        "submit_form": extra.pop("submit_form", None) or SubmitForm(initial=lock),
        "decision_form": extra.pop("decision_form", None) or DecisionForm(initial=lock),
        "freeze_form": SubmitForm(initial=lock),
        "export_form": ExportForm(languages=exports.languages_for(report)),
        "sections": rules.sections_for(report.programme.period.code),
        "overdue": rules.overdue(report.status, report.due_date, _today()),
        **extra,
    }
    return render(request, "annual_reports/report.html", context, status=status)


def _today() -> Any:
    from django.utils import timezone

    return timezone.localdate()


@login_required
@require_GET
def report_detail(request: HttpRequest, cci: str, year: int) -> HttpResponse:
    return _report_page(request, _report_or_404(request, cci, year))


@login_required
@require_POST
def narrative_update(request: HttpRequest, cci: str, year: int) -> HttpResponse:
    report = _report_or_404(request, cci, year, "annual_report.manage")
    prefix = request.POST.get("part", "")[:60] or None
    _done, refused = pages.submit_form(
        NarrativeForm(request.POST, prefix=prefix),
        lambda data: services.narrative_update(
            actor=request.user,
            report=report,
            section=data["section"],
            specific_objective=data["specific_objective"] or "",
            text=data["text"],
            expected_lock_version=data["lock_version"],
        ),
        partial(_report_page, request, report),
        "narrative_form",
    )
    if refused:
        return refused
    messages.success(request, _("The text is saved."))
    return redirect("annual_reports:report", cci, year)


@login_required
@require_POST
def report_submit(request: HttpRequest, cci: str, year: int) -> HttpResponse:
    report = _report_or_404(request, cci, year, "annual_report.manage")
    _done, refused = pages.submit_form(
        SubmitForm(request.POST),
        lambda data: services.report_submit(
            actor=request.user, report=report, expected_lock_version=data["lock_version"], on=data["on"]
        ),
        partial(_report_page, request, report),
        "submit_form",
    )
    if refused:
        return refused
    messages.success(request, _("The report is submitted to the Monitoring Committee."))
    return redirect("annual_reports:report", cci, year)


@login_required
@require_POST
def report_decision(request: HttpRequest, cci: str, year: int) -> HttpResponse:
    report = _report_or_404(request, cci, year, "annual_report.approve")
    done, refused = pages.submit_form(
        DecisionForm(request.POST),
        lambda data: services.committee_decision(
            actor=request.user,
            report=report,
            expected_lock_version=data["lock_version"],
            decision=data["decision"],
            meeting_date=data["meeting_date"],
            reference=data["reference"],
            note=data["note"],
        ),
        partial(_report_page, request, report),
        "decision_form",
    )
    if refused:
        return refused
    messages.success(request, _("The report is now %(status)s.") % {"status": done.get_status_display()})
    return redirect("annual_reports:report", cci, year)


@login_required
@require_POST
def report_freeze(request: HttpRequest, cci: str, year: int) -> HttpResponse:
    report = _report_or_404(request, cci, year, "annual_report.manage")
    form = SubmitForm(request.POST)
    if not form.is_valid():
        return _report_page(request, report, 400, error=pages.form_problems(form))
    try:
        services.report_freeze(
            actor=request.user, report=report, expected_lock_version=form.cleaned_data["lock_version"]
        )
    except (ApplicationError, PermissionDenied) as error:
        return _report_page(request, report, error_status(error), error=error_message(error))
    messages.success(request, _("The report is frozen."))
    return redirect("annual_reports:report", cci, year)


def _filename(report: AnnualReport, language: str, ext: str) -> str:
    return f"annual-report-{report.programme.cci}-{report.year}-{language}.{ext}"


@login_required
@require_GET
def export_xlsx(request: HttpRequest, cci: str, year: int) -> HttpResponse:
    report = _report_or_404(request, cci, year)
    language = request.GET.get("language") or translation.get_language() or "en"
    if language not in exports.LANGUAGES:
        language = "en"
    data = exports.xlsx(report, language)
    services.export_recorded(
        actor=request.user,
        report=report,
        format="xlsx",
        language=language,
        sha256=hashlib.sha256(data).hexdigest(),
    )
    response = HttpResponse(data, content_type=exports.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, language, "xlsx")}"'
    return response


@login_required
@require_GET
def export_pdf(request: HttpRequest, cci: str, year: int) -> HttpResponse:
    report = _report_or_404(request, cci, year)
    form = ExportForm(request.GET or None, languages=exports.languages_for(report))
    language = form.cleaned_data["language"] if form.is_valid() else exports.languages_for(report)[0]
    data = exports.pdf(report, language)
    services.export_recorded(
        actor=request.user,
        report=report,
        format="pdf",
        language=language,
        sha256=hashlib.sha256(data).hexdigest(),
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, language, "pdf")}"'
    return response
