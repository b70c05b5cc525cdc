"""Pages of sub-sampling within a sampled item: drawing the sub-sample (from the item's page), the
sub-sample's page (its working, the drawn lines, projecting the item's error), a drawn line's page
(recording its audit). Reading: `sampling.view`; writing: `sampling.manage`, through `subsamples`.
Refusals answer 400 with nothing saved, 403 with the reason, 409 when the record changed meanwhile."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amis.accounts.permissions import require
from amis.core.errors import ApplicationError
from amis.core.http import error_message, error_status
from amis.sampling import selectors, subsamples
from amis.sampling.forms import LineForm, SubsampleForm, SubsampleProjectForm
from amis.sampling.models import Subsample, SubsampledLine
from amis.sampling.views import _item_or_404, _item_page, _may_manage, _problems


@login_required
@require_POST
def subsample_create(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_or_404(request, pk, "sampling.manage")
    form = SubsampleForm(request.POST)
    if not form.is_valid():
        return _item_page(request, item, 400, subsample_form=form, error=_problems(form))
    try:
        subsample = subsamples.subsample_draw(actor=request.user, item=item, seed=form.cleaned_data["seed"])
    except (ApplicationError, PermissionDenied) as error:
        return _item_page(request, item, error_status(error), subsample_form=form, error=error_message(error))
    messages.success(request, _("The sub-sample of the item's lines is drawn and frozen."))
    return redirect("sampling:subsample", subsample.pk)


def _subsample_or_404(request: HttpRequest, pk: int, action: str = "sampling.view") -> Subsample:
    require(request.user, action)
    subsample = selectors.subsamples(request.user).filter(pk=pk).first()
    if subsample is None:
        raise Http404(_("No such sub-sample."))
    return subsample


def _subsample_page(
    request: HttpRequest, subsample: Subsample, status: int = 200, **extra: Any
) -> HttpResponse:
    lines = list(subsample.picked.order_by("position"))
    item = subsample.item
    later = [
        line
        for line in lines
        if subsample.projected_at and line.recorded_at and line.recorded_at > subsample.projected_at
    ]
    context = {
        "subsample": subsample,
        "item": item,
        "lines": lines,
        "audited": sum(1 for line in lines if line.audited),
        "changed_since": bool(later),
        "may_manage": _may_manage(request),
        "form": extra.pop("form", None)
        or SubsampleProjectForm(
            initial={
                "lock_version": subsample.lock_version,
                "error_kind": item.error_kind,
                "justification": item.justification,
            }
        ),
        **extra,
    }
    return render(request, "sampling/subsample.html", context, status=status)


@login_required
@require_GET
def subsample_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _subsample_page(request, _subsample_or_404(request, pk))


@login_required
@require_POST
def subsample_project(request: HttpRequest, pk: int) -> HttpResponse:
    subsample = _subsample_or_404(request, pk, "sampling.manage")
    form = SubsampleProjectForm(request.POST)
    if not form.is_valid():
        return _subsample_page(request, subsample, 400, form=form, error=_problems(form))
    try:
        subsamples.subsample_project(
            actor=request.user,
            subsample=subsample,
            expected_lock_version=form.cleaned_data["lock_version"],
            error_kind=form.cleaned_data["error_kind"] or "",
            justification=form.cleaned_data["justification"],
        )
    except (ApplicationError, PermissionDenied) as error:
        return _subsample_page(request, subsample, error_status(error), form=form, error=error_message(error))
    messages.success(request, _("The item's error is projected from its sub-sample and recorded."))
    return redirect("sampling:item", subsample.item_id)


def _line_or_404(request: HttpRequest, pk: int, action: str = "sampling.view") -> SubsampledLine:
    require(request.user, action)
    line = selectors.subsampled_lines(request.user).filter(pk=pk).first()
    if line is None:
        raise Http404(_("No such sub-sampled line."))
    return line


def _line_page(request: HttpRequest, line: SubsampledLine, status: int = 200, **extra: Any) -> HttpResponse:
    context = {
        "line": line,
        "subsample": line.subsample,
        "may_manage": _may_manage(request),
        "form": extra.pop("form", None)
        or LineForm(
            initial={
                "lock_version": line.lock_version,
                "audited_value": line.audited_value,
                "error": line.error if line.audited else None,
                "notes": line.notes,
            }
        ),
        **extra,
    }
    return render(request, "sampling/subsampled_line.html", context, status=status)


@login_required
def line_page(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "GET":
        return _line_page(request, _line_or_404(request, pk))
    if request.method != "POST":
        return HttpResponse(status=405)
    line = _line_or_404(request, pk, "sampling.manage")
    form = LineForm(request.POST)
    if not form.is_valid():
        return _line_page(request, line, 400, form=form, error=_problems(form))
    data = form.cleaned_data
    try:
        subsamples.subsample_line_record(
            actor=request.user,
            line=line,
            expected_lock_version=data["lock_version"],
            audited_value=data["audited_value"],
            error=data["error"],
            notes=data["notes"],
        )
    except (ApplicationError, PermissionDenied) as error:
        return _line_page(request, line, error_status(error), form=form, error=error_message(error))
    messages.success(request, _("The audit of the line is recorded."))
    return redirect("sampling:subsample", line.subsample_id)
