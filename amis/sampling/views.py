"""Pages of the audits of operations (/sampling/): the populations and samples, a population (its
units and working, drawing a sample), a sample (its design and working, the selected list, the
projection with its working step by step; XLSX), a sampled item (recording its audit, documents).

Reading: `sampling.view`; writing: `sampling.manage`, through `services`. Refusals answer 400 with
the rule broken and nothing saved, 403 with the reason, 409 when the record changed meanwhile."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amis.accounts.permissions import check, require
from amis.audit import selectors as audit_selectors
from amis.core import uploads
from amis.core.errors import ApplicationError
from amis.core.http import error_message, error_status
from amis.sampling import exports, selectors, services
from amis.sampling.forms import (
    DocumentForm,
    ItemForm,
    PlanForm,
    PopulationForm,
    ProjectForm,
    SampleForm,
    SubsampleForm,
)
from amis.sampling.models import AuditPopulation, Sample, SampledItem
from amis.sampling.rules import tables

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _problems(form: Any) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _may_manage(request: HttpRequest) -> bool:
    return check(request.user, "sampling.manage").allowed


def _overview(request: HttpRequest, status: int = 200, **extra: Any) -> HttpResponse:
    programmes = [p.cci for p in selectors.programmes(request.user)]
    context = {
        "populations": selectors.populations(request.user)[:200],
        "samples": selectors.samples(request.user)[:200],
        "may_manage": _may_manage(request),
        "form": extra.pop("form", None) or PopulationForm(programmes=programmes),
        "plans": selectors.plans(request.user)[:200],
        "plan_form": extra.pop("plan_form", None)
        or PlanForm(prefix="plan", programmes=programmes, initial={"anticipated_error": 0}),
        "categories": tables.CONFIDENCE_BY_CATEGORY.values(),
        "confidence_source": tables.CONFIDENCE_SOURCE,
        **extra,
    }
    return render(request, "sampling/overview.html", context, status=status)


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    require(request.user, "sampling.view")
    return _overview(request)


@login_required
@require_POST
def population_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "sampling.manage")
    programmes = list(selectors.programmes(request.user))
    form = PopulationForm(request.POST, programmes=[p.cci for p in programmes])
    if not form.is_valid():
        return _overview(request, 400, form=form, error=_problems(form))
    programme = next(p for p in programmes if p.cci == form.cleaned_data["programme"])
    try:
        population = services.population_build(
            actor=request.user,
            programme=programme,
            year=form.cleaned_data["year"],
            unit_kind=form.cleaned_data["unit_kind"],
        )
    except (ApplicationError, PermissionDenied) as error:
        return _overview(request, error_status(error), form=form, error=error_message(error))
    messages.success(request, _("The population is built and frozen."))
    return redirect("sampling:population", population.pk)


def _population_or_404(request: HttpRequest, pk: int, action: str = "sampling.view") -> AuditPopulation:
    require(request.user, action)
    population = selectors.populations(request.user).filter(pk=pk).first()
    if population is None:
        raise Http404(_("No such population."))
    return population


def _population_page(
    request: HttpRequest, population: AuditPopulation, status: int = 200, **extra: Any
) -> HttpResponse:
    units = Paginator(population.population_units.all(), 100).get_page(request.GET.get("page"))
    assurance = audit_selectors.system_assurance(population.programme, population.year)
    level = tables.CONFIDENCE_BY_CATEGORY.get(assurance.category) if assurance.category else None
    context = {
        "assurance": assurance,
        "assurance_confidence": level.confidence if level else None,
        "population": population,
        "units": units,
        "samples": population.samples.select_related("drawn_by"),
        "may_manage": _may_manage(request),
        "form": extra.pop("form", None)
        or SampleForm(
            initial={
                "method": Sample.Method.MUS_STANDARD,
                "anticipated_error": 0,
                "category": assurance.category,
                "confidence": level.confidence if level else None,
            },
            strata=selectors.strata(population),
        ),
        "tolerable": population.book_value * tables.MATERIALITY,
        **extra,
    }
    return render(request, "sampling/population.html", context, status=status)


@login_required
@require_GET
def population_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _population_page(request, _population_or_404(request, pk))


@login_required
@require_POST
def sample_create(request: HttpRequest, pk: int) -> HttpResponse:
    population = _population_or_404(request, pk, "sampling.manage")
    form = SampleForm(request.POST, strata=selectors.strata(population))
    if not form.is_valid():
        return _population_page(request, population, 400, form=form, error=_problems(form))
    try:
        sample = services.sample_draw(actor=request.user, population=population, **form.draw_arguments())  # type: ignore[arg-type]
    except (ApplicationError, PermissionDenied) as error:
        return _population_page(
            request, population, error_status(error), form=form, error=error_message(error)
        )
    messages.success(request, _("The sample is drawn; its list is frozen."))
    return redirect("sampling:sample", sample.pk)


def _sample_or_404(request: HttpRequest, pk: int, action: str = "sampling.view") -> Sample:
    require(request.user, action)
    sample = selectors.samples(request.user).filter(pk=pk).first()
    if sample is None:
        raise Http404(_("No such sample."))
    return sample


def _sample_page(request: HttpRequest, sample: Sample, status: int = 200, **extra: Any) -> HttpResponse:
    if status == 200 and request.GET.get("format") == "xlsx":
        response = HttpResponse(exports.sample_xlsx(sample), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="sample-{sample.pk}.xlsx"'
        return response
    hint = selectors.corrections_hint(sample)
    context = {
        "sample": sample,
        "population": sample.population,
        "items": sample.items.select_related("unit").order_by("position"),
        "progress": selectors.progress(sample),
        "projection": sample.projection,
        "plan": sample.population.plan,
        "strata_sigmas": sorted(sample.strata_sigmas.items()),
        "hint": hint,
        "may_manage": _may_manage(request),
        "form": extra.pop("form", None)
        or ProjectForm(
            initial={
                "lock_version": sample.lock_version,
                "systemic_extent": sample.systemic_extent,
                "corrections": sample.corrections if sample.projected_at else hint,
            }
        ),
        **extra,
    }
    return render(request, "sampling/sample.html", context, status=status)


@login_required
@require_GET
def sample_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _sample_page(request, _sample_or_404(request, pk))


@login_required
@require_POST
def sample_project(request: HttpRequest, pk: int) -> HttpResponse:
    sample = _sample_or_404(request, pk, "sampling.manage")
    form = ProjectForm(request.POST)
    if not form.is_valid():
        return _sample_page(request, sample, 400, form=form, error=_problems(form))
    try:
        services.sample_project(
            actor=request.user,
            sample=sample,
            expected_lock_version=form.cleaned_data["lock_version"],
            systemic_extent=form.cleaned_data["systemic_extent"],
            corrections=form.cleaned_data["corrections"] or Decimal(0),
        )
    except (ApplicationError, PermissionDenied) as error:
        return _sample_page(request, sample, error_status(error), form=form, error=error_message(error))
    messages.success(request, _("The errors are projected onto the population."))
    return redirect("sampling:sample", sample.pk)


def _item_or_404(request: HttpRequest, pk: int, action: str = "sampling.view") -> SampledItem:
    require(request.user, action)
    item = selectors.items(request.user).filter(pk=pk).first()
    if item is None:
        raise Http404(_("No such sampled item."))
    return item


def _item_page(request: HttpRequest, item: SampledItem, status: int = 200, **extra: Any) -> HttpResponse:
    context = {
        "item": item,
        "sample": item.sample,
        "documents": item.documents.all(),
        "may_manage": _may_manage(request),
        "form": extra.pop("form", None)
        or ItemForm(
            initial={
                "lock_version": item.lock_version,
                "audited_value": item.audited_value,
                "irregular": item.irregular if item.audited else None,
                "error_kind": item.error_kind,
                "justification": item.justification,
                "auditee_reply": item.auditee_reply,
                "notes": item.notes,
            }
        ),
        "document_form": extra.pop("document_form", None) or DocumentForm(),
        "subsample": getattr(item, "subsample", None),
        "subsample_form": extra.pop("subsample_form", None) or SubsampleForm(),
        **extra,
    }
    return render(request, "sampling/item.html", context, status=status)


@login_required
def item_page(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "GET":
        return _item_page(request, _item_or_404(request, pk))
    if request.method != "POST":
        return HttpResponse(status=405)
    item = _item_or_404(request, pk, "sampling.manage")
    form = ItemForm(request.POST)
    if not form.is_valid():
        return _item_page(request, item, 400, form=form, error=_problems(form))
    data = form.cleaned_data
    try:
        services.item_record(
            actor=request.user,
            item=item,
            expected_lock_version=data["lock_version"],
            audited_value=data["audited_value"],
            irregular=data["irregular"],
            error_kind=data["error_kind"] or "",
            justification=data["justification"],
            auditee_reply=data["auditee_reply"],
            notes=data["notes"],
        )
    except (ApplicationError, PermissionDenied) as error:
        return _item_page(request, item, error_status(error), form=form, error=error_message(error))
    messages.success(request, _("The audit of the item is recorded."))
    return redirect("sampling:sample", item.sample_id)


@login_required
@require_POST
def item_document(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_or_404(request, pk, "sampling.manage")
    try:
        name, data = uploads.read_upload(request.FILES.get("document"), _("Choose a document."))
        services.item_add_document(actor=request.user, item=item, name=name, data=data)
    except (ApplicationError, PermissionDenied) as error:
        return _item_page(request, item, error_status(error), error=error_message(error))
    messages.success(request, _("The document is added."))
    return redirect("sampling:item", item.pk)


@login_required
@require_GET
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    require(request.user, "sampling.view")
    document = selectors.documents(request.user).filter(pk=pk).first()
    if document is None:
        raise Http404(_("No such document."))
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.name,
        content_type=document.content_type,
    )
