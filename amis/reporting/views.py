"""Report pages: the beneficiary's report form (narrative, indicators, expenditure lines typed on the
page with HTMX rows and the live financial summary beside it), submission, the authority's return
with comments, every round readable with its receipt, and the officers' lists of reports received
and overdue.

A report is found only among the reports the reader may see (`selectors.reports_for`): anyone else
gets 404, never the report."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amis.accounts.permissions import check, require
from amis.core import uploads
from amis.core.confirm import confirm_page, confirmed
from amis.core.errors import ApplicationError
from amis.core.http import error_message, error_status
from amis.reporting import selectors, services
from amis.reporting.forms import LineForm, ReportForm
from amis.reporting.models import ExpenditureLine, Report, ReportSubmission, SupportingDocument
from amis.reporting.receipt import stored_receipt

LINES_PER_PAGE = 50
LIST_PER_PAGE = 50


def report_or_404(user: Any, pk: int) -> Report:
    report = (
        selectors.reports_for(user)
        .select_related("project__organisation", "project__application__call", "agreement_version")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise Http404(_("No such report."))
    return report


def _may_edit(user: Any, report: Report) -> bool:
    return (
        services.report_editable(report) and check(user, "report.edit", report.project.organisation).allowed
    )


def _may_review(user: Any, report: Report) -> bool:
    return report.status == Report.Status.SUBMITTED and check(user, "report.review").allowed


def _terms(report: Report) -> dict[str, Any]:
    return selectors.report_terms(report)


def _report_form(report: Report, data: Any = None) -> ReportForm:
    terms = _terms(report)
    activities = [str(a.get("name", "")) for a in terms.get("activities", []) if isinstance(a, dict)]
    rows = selectors.indicator_rows(report, terms)
    progress = {a.get("activity"): a.get("progress", "") for a in report.activities if isinstance(a, dict)}
    initial: dict[str, Any] = {"lock_version": report.lock_version, "progress": report.progress}
    for index, name in enumerate(activities):
        initial[f"activity_{index}"] = progress.get(name, "")
    for row in rows:
        initial[f"indicator_{row['code']}"] = row["value"]
        initial[f"indicator_{row['code']}__comment"] = row["comment"]
        for part in row["breakdowns"]:
            initial[f"indicator_{row['code']}__{part['key']}"] = part["value"]
    return ReportForm(data, initial=initial, activities=activities, indicators=rows)


def _line_form(
    report: Report, data: Any = None, files: Any = None, line: ExpenditureLine | None = None
) -> LineForm:
    initial: dict[str, Any] = {}
    if line is not None:
        initial = {name: getattr(line, name) for name in services.LINE_FIELDS}
    return LineForm(data, files, initial=initial, context=selectors.line_context(report), prefix="line")


def _page_number(request: HttpRequest) -> str:
    return request.GET.get("page") or request.POST.get("page") or "1"


def _lines_context(request: HttpRequest, report: Report) -> dict[str, Any]:
    page = Paginator(selectors.report_lines(report), LINES_PER_PAGE).get_page(_page_number(request))
    return {
        "page_obj": page,
        "lines": page.object_list,
        "counts": selectors.line_counts(report),
        "summary": selectors.report_summary(report),
    }


def _context(request: HttpRequest, report: Report, **extra: Any) -> dict[str, Any]:
    editable = _may_edit(request.user, report)
    context = {
        "report": report,
        "project": report.project,
        "editable": editable,
        "reviewable": _may_review(request.user, report),
        "rounds": list(report.submissions.order_by("round")),
        "indicators": selectors.indicator_rows(report, _terms(report)),
        **_lines_context(request, report),
    }
    if editable:
        context.setdefault("form", _report_form(report))
        context.setdefault("line_form", _line_form(report))
    context.update(extra)
    if editable and "form" in extra:
        context["form"] = extra["form"]
    return context


def _render(request: HttpRequest, report: Report, status: int = 200, **extra: Any) -> HttpResponse:
    return render(request, "reporting/report.html", _context(request, report, **extra), status=status)


@login_required
@require_http_methods(["GET", "POST"])
def report_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The report: read by whoever sees the project; filled in by the beneficiary while open or
    returned (POST saves the narrative and the indicators)."""
    report = report_or_404(request.user, pk)
    if request.method != "POST":
        return _render(request, report)
    require(request.user, "report.edit", report.project.organisation)
    form = _report_form(report, request.POST)
    if not form.is_valid():
        return _render(request, report, 400, form=form)
    try:
        services.report_update(
            actor=request.user,
            report=report,
            expected_lock_version=form.cleaned_data["lock_version"],
            data=form.data_for_service(),
        )
    except (ApplicationError, PermissionDenied) as error:
        if isinstance(error, ApplicationError):
            form.add_service_errors(error)
        else:
            form.add_error(None, error_message(error))
        return _render(request, report, error_status(error), form=form)
    messages.success(request, _("The report was saved."))
    return redirect("reporting:report", report.pk)


def _lines_answer(
    request: HttpRequest,
    report: Report,
    status: int = 200,
    line_form: LineForm | None = None,
    editing: ExpenditureLine | None = None,
    warnings: dict[str, str] | None = None,
) -> HttpResponse:
    """After a line changed: the expenditure section (HTMX) with the summary swapped beside it, or the
    whole page (no JavaScript)."""
    report = report_or_404(request.user, report.pk)
    extra: dict[str, Any] = {
        "line_form": line_form or _line_form(report),
        "editing": editing,
        "warnings": warnings or {},
    }
    if request.headers.get("HX-Request"):
        return render(
            request,
            "reporting/_expenditure.html",
            _context(request, report, oob=True, **extra),
            status=status,
        )
    return _render(request, report, status, **extra)


def _document_from(request: HttpRequest, report: Report) -> SupportingDocument | None:
    upload = request.FILES.get("line-document")
    if upload is None:
        return None
    name, data = uploads.read_upload(upload, _("Choose a document to upload."))
    return services.document_upload(actor=request.user, report=report, name=name, data=data)


def _service_refused(form: LineForm, error: Exception) -> int:
    """The service's problems next to the line's fields; the status to answer."""
    if isinstance(error, ApplicationError):
        form.add_service_errors(error)
    else:
        form.add_error(None, error_message(error))
    return error_status(error)


@login_required
@require_POST
def line_add(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_or_404(request.user, pk)
    require(request.user, "report.edit", report.project.organisation)
    form = _line_form(report, request.POST, request.FILES)
    if not form.is_valid():
        return _lines_answer(request, report, 400, line_form=form)
    try:
        document = _document_from(request, report)
        line, warnings = services.line_add(
            actor=request.user, report=report, data=form.data_for_service(), document=document
        )
    except (ApplicationError, PermissionDenied) as error:
        return _lines_answer(request, report, _service_refused(form, error), line_form=form)
    if not request.headers.get("HX-Request"):
        _flash(request, line, warnings)
        return redirect(reverse("reporting:report", args=[report.pk]) + "#expenditure")
    return _lines_answer(request, report, warnings=_numbered(line, warnings))


def _numbered(line: ExpenditureLine, warnings: dict[str, str]) -> dict[str, str]:
    found = dict(warnings)
    if line.duplicate_of_id:
        found["duplicate"] = _("Line %(n)s declares an invoice declared before: justify it in the table.") % {
            "n": line.position
        }
    return found


def _flash(request: HttpRequest, line: ExpenditureLine, warnings: dict[str, str]) -> None:
    messages.success(request, _("Line %(n)s was saved.") % {"n": line.position})
    for message in _numbered(line, warnings).values():
        messages.warning(request, message)


def _line_or_404(report: Report, line_id: int) -> ExpenditureLine:
    line = ExpenditureLine.objects.filter(report=report, pk=line_id).select_related("report").first()
    if line is None:
        raise Http404(_("No such line."))
    return line


@login_required
@require_http_methods(["GET", "POST"])
def line_edit(request: HttpRequest, pk: int, line_id: int) -> HttpResponse:
    """GET: the line's form (in place of the add form); POST: save it."""
    report = report_or_404(request.user, pk)
    require(request.user, "report.edit", report.project.organisation)
    line = _line_or_404(report, line_id)
    if request.method != "POST":
        return _lines_answer(request, report, line_form=_line_form(report, line=line), editing=line)
    form = _line_form(report, request.POST, request.FILES, line=line)
    if not form.is_valid():
        return _lines_answer(request, report, 400, line_form=form, editing=line)
    try:
        document = _document_from(request, report)
        saved, warnings = services.line_update(
            actor=request.user, line=line, data=form.data_for_service(), document=document
        )
    except (ApplicationError, PermissionDenied) as error:
        return _lines_answer(request, report, _service_refused(form, error), line_form=form, editing=line)
    if not request.headers.get("HX-Request"):
        _flash(request, saved, warnings)
        return redirect(reverse("reporting:report", args=[report.pk]) + "#expenditure")
    return _lines_answer(request, report, warnings=_numbered(saved, warnings))


@login_required
@require_POST
def line_delete(request: HttpRequest, pk: int, line_id: int) -> HttpResponse:
    report = report_or_404(request.user, pk)
    require(request.user, "report.edit", report.project.organisation)
    line = _line_or_404(report, line_id)
    try:
        services.line_delete(actor=request.user, line=line)
    except (ApplicationError, PermissionDenied) as error:
        messages.error(request, error_message(error))
        return _lines_answer(request, report, error_status(error))
    if not request.headers.get("HX-Request"):
        messages.success(request, _("Line %(n)s was deleted.") % {"n": line.position})
        return redirect(reverse("reporting:report", args=[report.pk]) + "#expenditure")
    return _lines_answer(request, report)


@login_required
@require_POST
def line_justify(request: HttpRequest, pk: int, line_id: int) -> HttpResponse:
    report = report_or_404(request.user, pk)
    require(request.user, "report.edit", report.project.organisation)
    line = _line_or_404(report, line_id)
    try:
        services.duplicate_justify(
            actor=request.user, line=line, justification=request.POST.get("justification", "")
        )
    except (ApplicationError, PermissionDenied) as error:
        problems = getattr(error, "extra", {}).get("fields") or {}
        return _lines_answer(
            request,
            report,
            error_status(error),
            warnings={"justification": " ".join(problems.values()) or error_message(error)},
        )
    if not request.headers.get("HX-Request"):
        messages.success(request, _("The justification of line %(n)s was saved.") % {"n": line.position})
        return redirect(reverse("reporting:report", args=[report.pk]) + "#expenditure")
    return _lines_answer(request, report)


@login_required
@require_GET
def report_summary(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_or_404(request.user, pk)
    return render(
        request, "reporting/_summary.html", {"report": report, "summary": selectors.report_summary(report)}
    )


def _lock(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("lock_version", ""))
    except ValueError:
        return 0


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_or_404(request.user, pk)
    require(request.user, "report.edit", report.project.organisation)
    if not confirmed(request):
        return confirm_page(
            request,
            title=_("Submit report %(number)s?") % {"number": report.number},
            what=[
                _("The report is sent to the authority as it stands now, with its expenditure lines."),
                _("You receive a receipt by e-mail."),
            ],
            undo=_("It cannot be changed after submission, unless the authority returns it to you."),
            yes=_("Yes, submit the report"),
            back=reverse("reporting:report", args=[report.pk]),
            action=reverse("reporting:submit", args=[report.pk]),
            values={"lock_version": str(report.lock_version)},
        )
    try:
        submission = services.report_submit(
            actor=request.user, report=report, expected_lock_version=_lock(request)
        )
    except (ApplicationError, PermissionDenied) as error:
        problems = getattr(error, "extra", {}).get("fields") or {}
        return _render(
            request,
            report,
            error_status(error),
            submit_problems=list(problems.values()) or [error_message(error)],
        )
    messages.success(
        request,
        _("Report %(number)s was submitted (round %(round)s).")
        % {"number": report.number, "round": submission.round},
    )
    return redirect("reporting:report", report.pk)


@login_required
@require_POST
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_or_404(request.user, pk)
    require(request.user, "report.review")
    try:
        services.report_return(
            actor=request.user,
            report=report,
            expected_lock_version=_lock(request),
            comments=request.POST.get("comments", ""),
        )
    except (ApplicationError, PermissionDenied) as error:
        problems = getattr(error, "extra", {}).get("fields") or {}
        return _render(
            request,
            report,
            error_status(error),
            return_problems=list(problems.values()) or [error_message(error)],
            return_comments=request.POST.get("comments", ""),
        )
    messages.success(
        request, _("Report %(number)s was returned to the beneficiary.") % {"number": report.number}
    )
    return redirect("reporting:report", report.pk)


def _round_or_404(report: Report, number: int) -> ReportSubmission:
    submission = report.submissions.filter(round=number).select_related("submitted_by", "returned_by").first()
    if submission is None:
        raise Http404(_("No such round."))
    return submission


@login_required
@require_GET
def report_round(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """One round as it was submitted (from its snapshot), lines paginated."""
    report = report_or_404(request.user, pk)
    submission = _round_or_404(report, number)
    snapshot = submission.snapshot or {}
    columns = snapshot.get("columns", [])
    page = Paginator(snapshot.get("lines", []), LINES_PER_PAGE).get_page(request.GET.get("page") or "1")
    rows = [dict(zip(columns, row, strict=False)) for row in page.object_list]
    return render(
        request,
        "reporting/round.html",
        {
            "report": report,
            "project": report.project,
            "submission": submission,
            "snapshot": snapshot,
            "page_obj": page,
            "rows": rows,
        },
    )


@login_required
@require_GET
def report_receipt(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    report = report_or_404(request.user, pk)
    submission = _round_or_404(report, number)
    response = HttpResponse(stored_receipt(submission), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{report.project.reference}-report-{report.number}-round-{number}.pdf"'
    )
    return response


@login_required
@require_GET
def line_document(request: HttpRequest, pk: int, document_id: int) -> HttpResponseBase:
    report = report_or_404(request.user, pk)
    document = SupportingDocument.objects.filter(project=report.project, pk=document_id).first()
    if document is None:
        raise Http404(_("No such document."))
    if not uploads.verify(document):
        return HttpResponse(
            _("The stored file no longer matches its checksum."),
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.name,
        content_type=document.content_type,
    )


def _officer_list(request: HttpRequest, title: str, reports: Any, empty: str, kind: str) -> HttpResponse:
    require(request.user, "report.list")
    page = Paginator(reports, LIST_PER_PAGE).get_page(request.GET.get("page") or "1")
    return render(
        request,
        "reporting/report_list.html",
        {"title": title, "page_obj": page, "reports": page.object_list, "empty": empty, "kind": kind},
    )


@login_required
@require_GET
def reports_overdue(request: HttpRequest) -> HttpResponse:
    return _officer_list(
        request, _("Reports overdue"), selectors.overdue(request.user), _("No report is overdue."), "overdue"
    )


@login_required
@require_GET
def reports_received(request: HttpRequest) -> HttpResponse:
    return _officer_list(
        request,
        _("Reports received"),
        selectors.received(request.user),
        _("No submitted report is waiting."),
        "received",
    )
