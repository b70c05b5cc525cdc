"""Public pages (no login): the list of operations with its search and filters, one operation, the
adopted programme, the calls' timetable (CPR Art. 49; Reg. (EU) No 514/2014 Art. 53). Only what
`selectors` lets through is shown: withheld operations and natural persons never.

The officers' page of exclusions (`publication.manage`, the responsible authority): the exclusions
in force and past, proposing one, approving another person's proposal, withdrawing. Refusals answer
400 with the rule broken, 403 with the reason (the proposer approving: four eyes), 409 when the
record changed meanwhile."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amis.accounts.permissions import require
from amis.annual_reports import exports as annual_exports
from amis.core import pages, uploads
from amis.core.errors import ApplicationError
from amis.core.http import error_message, error_status
from amis.projects.models import Project
from amis.public import export, http, selectors, services
from amis.public.forms import ExclusionForm, LocationForm, LockForm, OperationFilterForm, WithdrawForm
from amis.public.models import PublicationExclusion

PER_PAGE = 50
VIEW = "public.view"


def _choices(validator: tuple[Any, int] | None) -> dict[str, list[Any]]:
    """The filters' choices, kept in the cache for as long as no published operation changed (the
    key holds the list's validator: a withheld operation changes it, so no choice outlives it)."""
    latest, count = validator or selectors.list_validator()
    key = f"amis:public:choices:{latest.isoformat() if latest else '-'}:{count}"
    found = cache.get(key)
    if found is None:
        found = selectors.filter_choices()
        cache.set(key, found, timeout=3600)
    return found


def _filters(
    request: HttpRequest, validator: tuple[Any, int] | None = None
) -> tuple[OperationFilterForm, selectors.Filters | None]:
    """The list's filter form and the filters it gives (None: the form is refused)."""
    query = request.GET.copy()
    query.pop("page", None)
    form = OperationFilterForm(query or None, choices=_choices(validator))
    if not form.is_bound:
        return form, selectors.Filters()
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    return form, selectors.Filters(
        text=data["q"].strip(),
        period=data["period"],
        specific_objective=data["specific_objective"],
        beneficiary=data["beneficiary"].strip(),
        municipality=data["municipality"].strip(),
        starts_from=data["starts_from"],
        ends_by=data["ends_by"],
    )


@require_GET
def operation_list(request: HttpRequest) -> HttpResponseBase:
    require(request.user, VIEW)
    latest, count = selectors.list_validator()
    tag = http.etag(request, latest, count)
    answer = http.not_modified(request, tag, latest)
    if answer is not None:
        return answer
    form, found = _filters(request, (latest, count))
    status = 200 if found is not None else 400
    filters = found or selectors.Filters()
    listed = selectors.operations_page(filters, request.GET.get("page") or "1", PER_PAGE)
    page = listed.page
    query = request.GET.copy()
    query.pop("page", None)
    response = render(
        request,
        "public/operations.html",
        {
            "canonical_url": http.canonical_url(request, request.path, page.number),
            "form": form,
            "page_obj": page,
            "operations": listed.rows,
            "query": query.urlencode(),
            "export_query": query.urlencode(),
            "error": pages.form_problems(form) if status == 400 else "",
        },
        status=status,
    )
    return http.validated(response, tag, latest)


@require_GET
def operation_csv(request: HttpRequest) -> HttpResponseBase:
    """The list as CSV, with the same filters as the page, streamed."""
    require(request.user, VIEW)
    latest, count = selectors.list_validator()
    tag = http.etag(request, latest, count)
    answer = http.not_modified(request, tag, latest)
    if answer is not None:
        return answer
    form, filters = _filters(request, (latest, count))
    if filters is None:
        return HttpResponse(pages.form_problems(form), status=400, content_type="text/plain; charset=utf-8")
    response = StreamingHttpResponse(export.csv_lines(filters), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="operations.csv"'
    return http.validated(response, tag, latest)


@require_GET
def operation_detail(request: HttpRequest, code: str) -> HttpResponseBase:
    require(request.user, VIEW)
    changed = selectors.operation_validator(code)
    tag = http.etag(request, changed) if changed is not None else None
    answer = http.not_modified(request, tag, changed)
    if answer is not None:
        return answer
    operation = selectors.public_operation(code)
    if operation is None:
        raise Http404(_("No such operation."))
    canonical = http.canonical_url(request, reverse("public:operation", args=[operation.code]))
    response = render(request, "public/operation.html", {"operation": operation, "canonical_url": canonical})
    return http.validated(response, tag, changed)


@require_GET
def programme(request: HttpRequest, cci: str) -> HttpResponse:
    require(request.user, VIEW)
    page = selectors.public_programme(cci)
    if page is None:
        raise Http404(_("No adopted version of this programme."))
    canonical = http.canonical_url(request, reverse("public:programme", args=[page.programme.cci]))
    response = render(
        request,
        "public/programme.html",
        {"page": page, "canonical_url": canonical, "chart": _plan_chart(page)},
    )
    return http.content_validated(request, response)


def _plan_chart(page: selectors.ProgrammePage) -> dict[str, Any]:
    """The financing plan per specific objective in the shape `amis/static/amis/figures.js` draws
    (numbers; the exact amounts are in the table beside the chart)."""
    return {
        "labels": [code for code, _name, _total in page.objectives],
        "series": [{"label": _("Financing plan"), "values": [float(t) for _c, _n, t in page.objectives]}],
        "format": "money",
        "horizontal": True,
    }


@require_GET
def evaluation_report(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A published evaluation's report (CPR Art. 44(6)): the file as uploaded, checked against its
    SHA-256. Not published (planned, in progress, delivered): 404."""
    require(request.user, VIEW)
    report = selectors.published_evaluation_report(pk)
    if report is None:
        raise Http404(_("No published evaluation report has this number."))
    if not uploads.verify(report):
        return HttpResponse(
            _("The stored file no longer matches its checksum."),
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    return FileResponse(
        report.file.open("rb"), as_attachment=True, filename=report.name, content_type=report.content_type
    )


@require_GET
def annual_report_pdf(request: HttpRequest, cci: str, year: int) -> HttpResponseBase:
    """An annual report the Monitoring Committee approved, as PDF in the reader's language when the
    report has it. A draft, submitted or returned report: 404."""
    require(request.user, VIEW)
    report = selectors.published_annual_report(cci, year)
    if report is None:
        raise Http404(_("No approved annual report for this year."))
    languages = annual_exports.languages_for(report)
    language = get_language() if get_language() in languages else languages[0]
    response = HttpResponse(annual_exports.pdf(report, language), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="annual-report-{cci}-{year}-{language}.pdf"'
    return response


@require_GET
def calls(request: HttpRequest) -> HttpResponse:
    require(request.user, VIEW)
    response = render(
        request,
        "public/calls.html",
        {
            "timetable": selectors.calls_timetable(timezone.now()),
            "programmes": selectors.public_programmes(),
            "canonical_url": http.canonical_url(request, reverse("public:calls")),
        },
    )
    return http.content_validated(request, response)


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers may read the public pages; the rest asks for a login anyway."""
    sitemap = request.build_absolute_uri(reverse("public:sitemap"))
    lines = [
        "User-agent: *",
        "Allow: /$",
        "Allow: /public/",
        "Allow: /calls/",
        "Disallow: /",
        f"Sitemap: {sitemap}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_GET
def sitemap_xml(request: HttpRequest) -> HttpResponse:
    """The public pages for search engines: the list, each published operation (withheld ones never),
    each programme with an adopted version, the calls' timetable."""
    require(request.user, VIEW)
    paths = [reverse("public:operations"), reverse("public:calls")]
    paths += [reverse("public:programme", args=[p.cci]) for p in selectors.public_programmes()]
    paths += [
        reverse("public:operation", args=[code])
        for code in selectors.publishable_projects().select_related(None).values_list("reference", flat=True)
    ]
    return render(
        request,
        "public/sitemap.xml",
        {"urls": [request.build_absolute_uri(path) for path in paths]},
        content_type="application/xml; charset=utf-8",
    )


# -- officers ----------------------------------------------------------------------------------------


def _exclusions_page(request: HttpRequest, status: int = 200, **extra: Any) -> HttpResponse:
    context: dict[str, Any] = {
        "exclusions": selectors.exclusions()[:200],
        "form": ExclusionForm(),
        "error": "",
    }
    context.update(extra)
    return render(request, "public/exclusions.html", context, status=status)


def exclusions(request: HttpRequest) -> HttpResponse:
    require(request.user, services.MANAGE)
    if request.method != "POST":
        return _exclusions_page(request)
    form = ExclusionForm(request.POST)
    if not form.is_valid():
        return _exclusions_page(request, 400, form=form, error=pages.form_problems(form))
    project = Project.objects.filter(reference=form.cleaned_data["project"].strip()).first()
    if project is None:
        return _exclusions_page(request, 400, form=form, error=_("No project has this reference."))
    try:
        services.exclusion_propose(
            actor=request.user,
            project=project,
            reason=form.cleaned_data["reason"],
            text=form.cleaned_data["text"],
        )
    except (ApplicationError, PermissionDenied) as error:
        return _exclusions_page(request, error_status(error), form=form, error=error_message(error))
    messages.success(
        request,
        _("%(code)s is withheld from publication; another person must approve the exclusion.")
        % {"code": project.reference},
    )
    return redirect("public:exclusions")


def _in_force_or_404(code: str) -> PublicationExclusion:
    exclusion = selectors.exclusions(in_force_only=True).filter(project__reference=code).first()
    if exclusion is None:
        raise Http404(_("This operation has no exclusion in force."))
    return exclusion


@require_POST
def exclusion_approve(request: HttpRequest, code: str) -> HttpResponse:
    require(request.user, services.MANAGE)
    exclusion = _in_force_or_404(code)
    form = LockForm(request.POST)
    if not form.is_valid():
        return _exclusions_page(request, 400, error=pages.form_problems(form))
    try:
        services.exclusion_approve(
            actor=request.user, exclusion=exclusion, expected_lock_version=form.cleaned_data["lock_version"]
        )
    except (ApplicationError, PermissionDenied) as error:
        return _exclusions_page(request, error_status(error), error=error_message(error))
    messages.success(request, _("The exclusion of %(code)s is approved.") % {"code": code})
    return redirect("public:exclusions")


@require_POST
def exclusion_withdraw(request: HttpRequest, code: str) -> HttpResponse:
    require(request.user, services.MANAGE)
    exclusion = _in_force_or_404(code)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return _exclusions_page(request, 400, error=pages.form_problems(form))
    try:
        services.exclusion_withdraw(
            actor=request.user,
            exclusion=exclusion,
            expected_lock_version=form.cleaned_data["lock_version"],
            reason=form.cleaned_data["reason"],
        )
    except (ApplicationError, PermissionDenied) as error:
        return _exclusions_page(request, error_status(error), error=error_message(error))
    messages.success(
        request, _("The exclusion of %(code)s is withdrawn: it is published again.") % {"code": code}
    )
    return redirect("public:exclusions")


@require_POST
def location(request: HttpRequest, code: str) -> HttpResponse:
    """Record where an operation takes place (from the project page's publication part); a refusal
    (an incomplete location, a record changed meanwhile) is shown on the project page."""
    require(request.user, services.MANAGE)
    project = Project.objects.filter(reference=code).first()
    if project is None:
        raise Http404(_("No project has this reference."))
    form = LocationForm(request.POST)
    if not form.is_valid():
        messages.error(request, pages.form_problems(form))
        return redirect("projects:detail", code)
    data = form.cleaned_data
    try:
        services.details_set(
            actor=request.user,
            project=project,
            expected_lock_version=data["lock_version"],
            postcode=data["postcode"],
            municipality=data["municipality"],
            nuts_code=data["nuts_code"],
            country_wide=data["country_wide"],
            location_note=data["location_note"],
            beneficiary_is_natural_person=data["beneficiary_is_natural_person"],
        )
    except ApplicationError as error:  # refused or changed meanwhile: said on the project page
        messages.error(request, error_message(error))
        return redirect("projects:detail", code)
    messages.success(request, _("The location of %(code)s is saved.") % {"code": code})
    return redirect("projects:detail", code)
