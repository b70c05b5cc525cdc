"""The application's edit page, with its two helpers for the browser: one more empty row of a table,
and the budget summary recomputed from what is typed (saving nothing)."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amis.accounts.permissions import require
from amis.calls import services
from amis.calls.application_parts import action_titles
from amis.calls.forms import MAX_ROWS, ROW_PARTS, ApplicationForm, RowForm
from amis.calls.models import Application
from amis.calls.views import _app_or_404, _message, _service_error_status
from amis.core.errors import ApplicationError
from amis.core.templatetags.amis import pick_language

ROW_RE_INDEX = re.compile(r"^(?:budget|partner|activity)_(\d+)_")


def _form(app: Application, data: Any = None, add_row: str = "") -> ApplicationForm:
    language = translation.get_language() or "en"
    titles = {n: pick_language(t, language)[1] for n, t in action_titles(app.call).items()}
    return ApplicationForm(data, application=app, action_titles=titles, add_row=add_row)


def application_edit(request: HttpRequest, reference: str) -> HttpResponse:
    app = _app_or_404(reference)
    require(request.user, "application.edit", app.organisation)
    if request.method != "POST":
        return _render_edit(request, app, _form(app))
    add_row = request.POST.get("add_row", "")
    try:
        form = _form(app, request.POST, add_row=add_row if add_row in ROW_PARTS else "")
    except ValueError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    if add_row:
        # "Add a row" without JavaScript: the same page, one more empty row, nothing saved yet
        return _render_edit(request, app, form, adding=True)
    if not form.is_valid():
        return _render_edit(request, app, form, 400)
    try:
        saved = services.application_update(
            actor=request.user,
            application=app,
            data=form.data_for_service(),
            expected_lock_version=form.cleaned_data["lock_version"],
        )
    except (ApplicationError, PermissionDenied) as error:
        if isinstance(error, ApplicationError):
            form.add_service_errors(error)
        else:
            form.add_error(None, _message(error))
        return _render_edit(request, app, form, _service_error_status(error))
    if "submit" in request.POST:
        try:
            saved = services.application_submit(
                actor=request.user, application=saved, expected_lock_version=saved.lock_version
            )
        except (ApplicationError, PermissionDenied) as error:
            messages.error(request, _("The draft was saved but not submitted."))
            fresh = _form(_app_or_404(reference))
            if isinstance(error, ApplicationError):
                fresh.add_service_errors(error)
            else:
                fresh.add_error(None, _message(error))
            return _render_edit(request, saved, fresh, _service_error_status(error))
        messages.success(request, _("Application %(ref)s was submitted.") % {"ref": saved.reference})
        return redirect("calls:application", saved.reference)
    messages.success(request, _("The draft was saved."))
    return redirect("calls:application_edit", saved.reference)


def _problem_list(form: ApplicationForm, problems: dict[str, str]) -> list[dict[str, str]]:
    """The budget's problems for the summary, each with the input it is about (to link to it)."""
    out = []
    for key, message in problems.items():
        name = form.field_for(key) or key
        label, row = key, ROW_RE_INDEX.match(name)
        if name in form.fields:
            label = str(form.fields[name].label)
            if row:
                label = f"{label} ({_('line')} {int(row.group(1)) + 1})"
        out.append({"id": f"id_{name}" if name in form.fields else "", "label": label, "message": message})
    return out


def _summary_context(app: Application, form: ApplicationForm) -> dict[str, Any]:
    """The live budget summary: from the typed values when the form was posted, else as saved."""
    if not form.is_bound:
        summary, _problems = services.application_preview(
            app, {"indirect_rate": str(app.indirect_rate), "funding": dict(app.funding)}
        )
        return {"summary": summary, "summary_problems": []}
    form.is_valid()  # cleans what can be cleaned; the numbers are judged by the service's rules
    summary, problems = services.application_preview(app, form.budget_data())
    for name, errors in form.errors.items():
        if name.startswith(("budget_", "funding_")) or name == "indirect_rate":
            problems.setdefault(name, " ".join(str(e) for e in errors))
    return {"summary": summary, "summary_problems": _problem_list(form, problems)}


def _render_edit(
    request: HttpRequest, app: Application, form: ApplicationForm, status: int = 200, adding: bool = False
) -> HttpResponse:
    context = {
        "app": app,
        "form": form,
        "problems": services.application_problems(app),
        "adding": adding,
        "max_rows": MAX_ROWS,
    }
    context |= _summary_context(app, form)
    return render(request, "calls/application_edit.html", context, status=status)


@require_GET
def application_row(request: HttpRequest, reference: str, kind: str) -> HttpResponse:
    """One more empty row for a table of the edit page (budget, partner, activity)."""
    app = _app_or_404(reference)
    require(request.user, "application.edit", app.organisation)
    if kind not in ROW_PARTS:
        raise Http404(_("No such table."))
    try:
        index = int(request.GET.get("index", ""))
    except ValueError:
        return HttpResponse(_("Say which row to add."), status=400, content_type="text/plain; charset=utf-8")
    if not 0 <= index < MAX_ROWS:
        return HttpResponse(
            _("A table has at most %(max)s rows.") % {"max": MAX_ROWS},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    return render(
        request,
        "calls/_row_added.html",
        {"app": app, "kind": kind, "index": index, "row": RowForm(kind, index).row, "max_rows": MAX_ROWS},
    )


@require_POST
def application_preview(request: HttpRequest, reference: str) -> HttpResponse:
    """The budget summary for the values typed so far; saves nothing. The same permission as saving."""
    app = _app_or_404(reference)
    require(request.user, "application.edit", app.organisation)
    if app.status != Application.Status.DRAFT:
        return HttpResponse(
            _("This application can no longer be changed."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    if "lock_version" not in request.POST:
        return HttpResponse(
            _("The form is incomplete; reload the page."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    try:
        form = _form(app, request.POST)
    except ValueError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    context = {"app": app} | _summary_context(app, form)
    return render(
        request,
        "calls/_budget_summary.html",
        context,
    )
