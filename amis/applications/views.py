"""Application pages: the list a reader may see, an application's page (with the parts later stages
add, through `amis.core.pages`), starting one from a call, the edit page with its two helpers for the
browser (one more empty row of a table; the budget summary recomputed from what is typed, saving
nothing), withdrawing, and its documents."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amis.accounts.permissions import check, require
from amis.applications import rules, selectors, services
from amis.applications.forms import MAX_ROWS, ROW_PARTS, ApplicationForm, ApplyForm, RowForm
from amis.applications.models import Application
from amis.calls import selectors as calls_selectors
from amis.calls.views import call_or_404, render_call
from amis.core import pages, uploads
from amis.core.confirm import confirm_page, confirmed
from amis.core.errors import ApplicationError
from amis.core.http import error_message, error_status
from amis.core.templatetags.amis import pick_language


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    """50 a page, filtered by call and status: authority readers see tens of thousands."""
    applications = selectors.applications_for(request.user)
    call = request.GET.get("call", "").strip()
    status = request.GET.get("status", "")
    text = request.GET.get("q", "").strip()
    applications = selectors.search(applications, text)
    if call:
        applications = applications.filter(call__code=call)
    if status in Application.Status.values:
        applications = applications.filter(status=status)
    applications = applications.only(
        "reference", "title", "status", "created_at", "call__code", "organisation__name"
    )
    page = Paginator(applications, 50).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in (("q", text), ("call", call), ("status", status)) if v})
    return render(
        request,
        "applications/applications.html",
        {
            "page_obj": page,
            "applications": page.object_list,
            "call": call,
            "status": status,
            "q": text,
            "statuses": Application.Status.choices,
            "query": query,
        },
    )


def application_detail(request: HttpRequest, reference: str) -> HttpResponse:
    app = app_or_404(reference)
    if not check(request.user, "application.view", app.organisation).allowed and selectors.assessor_may_read(
        request.user, app
    ):
        return redirect("selection:assess", app.reference)  # the assessor reads it beside the scores
    require(request.user, "application.view", app.organisation)
    return render_application(request, app)


def app_or_404(reference: str) -> Application:
    app = selectors.application_get(reference)
    if app is None:
        raise Http404(_("No such application."))
    return app


def render_application(
    request: HttpRequest, app: Application, status: int = 200, **extra: Any
) -> HttpResponse:
    """The application page with the parts later stages add; `extra` overrides (e.g. a refused form)."""
    user = request.user
    call = app.call
    shown = selectors.application_parts(app)
    context: dict[str, Any] = {
        "app": app,
        "shown": shown,
        "budget": shown["budget"],
        "problems": selectors.problem_rows(
            app, selectors.application_problems(app), translation.get_language() or "en"
        )
        if app.status == Application.Status.DRAFT
        else [],
        "can_edit": app.status == Application.Status.DRAFT and check(user, "application.edit", app).allowed,
        "can_withdraw": app.status == Application.Status.SUBMITTED
        and not rules.deadline_problem(timezone.now(), call.opens_at, call.closes_at)
        and check(user, "application.edit", app).allowed,
        "error": None,
    }
    return pages.render_page(
        request, "application", app, "applications/application.html", context, status, extra
    )


@require_POST
def call_apply(request: HttpRequest, code: str) -> HttpResponse:
    require(request.user, "application.edit")
    call = call_or_404(code)
    organisations = selectors.applicant_organisations(request.user)
    form = ApplyForm(request.POST, organisations=organisations)
    if not form.is_valid():
        return render_call(request, call, 400, apply_form=form, can_apply=True)
    organisation = next(o for o in organisations if str(o.pk) == form.cleaned_data["organisation"])
    try:
        app = services.application_create(
            actor=request.user, call=call, organisation=organisation, title=form.cleaned_data["title"]
        )
    except (ApplicationError, PermissionDenied) as error:
        form.add_error(None, error_message(error))
        return render_call(request, call, error_status(error), apply_form=form, can_apply=True)
    messages.success(
        request, _("Application %(ref)s created; complete it and submit it.") % {"ref": app.reference}
    )
    return redirect("applications:edit", app.reference)


@require_POST
def application_withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    app = app_or_404(reference)
    require(request.user, "application.edit", app.organisation)
    try:
        services.application_withdraw(actor=request.user, application=app)
    except (ApplicationError, PermissionDenied) as error:
        return render_application(request, app, error_status(error), error=error_message(error))
    messages.success(request, _("The application was withdrawn."))
    return redirect("applications:detail", app.reference)


@require_POST
def application_attach(request: HttpRequest, reference: str) -> HttpResponse:
    app = app_or_404(reference)
    require(request.user, "application.edit", app.organisation)
    upload = request.FILES.get("file")
    try:
        name, data = uploads.read_upload(upload, _("Choose a document to upload."))
        services.attachment_add(actor=request.user, application=app, name=name, data=data)
    except (ApplicationError, PermissionDenied) as exc:
        messages.error(request, error_message(exc))
    else:
        messages.success(request, _("The document was added."))
    return redirect("applications:edit", app.reference)


def application_attachment(request: HttpRequest, reference: str, sha256: str) -> HttpResponseBase:
    """A document by its checksum (the one the submission snapshot lists), served only while the
    stored file still has that checksum: an altered file is refused, never served as the original."""
    app = app_or_404(reference)
    if not selectors.assessor_may_read(request.user, app):
        require(request.user, "application.view", app.organisation)
    attachment = app.attachments.filter(sha256=sha256).first()
    if attachment is None:
        raise Http404(_("No such document."))
    if not uploads.verify(attachment):
        return HttpResponse(
            _(
                "The stored file no longer matches its checksum; it is not served. "
                "Tell the responsible authority."
            ),
            status=409,
        )
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )


# ---------------------------------------------------------------------------------------------------
# The edit page.

ROW_RE_INDEX = re.compile(r"^(?:budget|partner|activity)_(\d+)_")


def _form(app: Application, data: Any = None, add_row: str = "") -> ApplicationForm:
    language = translation.get_language() or "en"
    titles = {n: pick_language(t, language)[1] for n, t in selectors.action_titles(app.call).items()}
    names = {
        code: pick_language(n, language)[1] for code, n in calls_selectors.indicator_names(app.call).items()
    }
    return ApplicationForm(
        data, application=app, action_titles=titles, indicator_names=names, add_row=add_row
    )


def application_edit(request: HttpRequest, reference: str) -> HttpResponse:
    app = app_or_404(reference)
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
            form.add_error(None, error_message(error))
        return _render_edit(request, app, form, error_status(error))
    if "submit" in request.POST:  # saved; submitting is asked first, on a page of its own
        problems = selectors.application_problems(saved)
        if problems:  # what stops the submission is shown at once, not after a confirmation
            fresh = _form(saved)
            fresh.add_service_errors(
                ApplicationError(
                    _("The draft is saved but cannot be submitted yet."),
                    code="invalid",
                    extra={"fields": problems},
                )
            )
            return _render_edit(request, saved, fresh, 400)
        return _confirm_submit(request, saved)
    if "upload" in request.POST:  # the document goes with the typed data: the draft is saved first
        try:
            name, data = uploads.read_upload(request.FILES.get("file"), _("Choose a document to upload."))
            services.attachment_add(actor=request.user, application=saved, name=name, data=data)
        except (ApplicationError, PermissionDenied) as exc:
            messages.error(
                request,
                _("The draft was saved; the document was not added: %(why)s") % {"why": error_message(exc)},
            )
        else:
            messages.success(request, _("The draft was saved and the document was added."))
        return redirect(reverse("applications:edit", args=[saved.reference]) + "#documents")
    messages.success(request, _("The draft was saved."))
    section = request.POST.get("save", "")
    if SECTION_RE.fullmatch(section):  # saved from a section's own button: back to that section
        return redirect(reverse("applications:edit", args=[saved.reference]) + "#" + section)
    return redirect("applications:edit", saved.reference)


SECTION_RE = re.compile(r"section-[a-z-]{1,30}")


def _confirm_submit(request: HttpRequest, app: Application) -> HttpResponse:
    return confirm_page(
        request,
        title=_("Submit application %(ref)s?") % {"ref": app.reference},
        what=[
            _("Your draft is saved."),
            _(
                "Submitting sends the application to the authority as it stands now: it is frozen and "
                "checked for eligibility once the call closes."
            ),
        ],
        undo=_(
            "It cannot be changed after submission. Until the call closes you may withdraw it, but a "
            "withdrawn application cannot be submitted again."
        ),
        yes=_("Yes, submit the application"),
        back=reverse("applications:edit", args=[app.reference]),
        action=reverse("applications:submit", args=[app.reference]),
        values={"lock_version": str(app.lock_version)},
    )


@require_POST
def application_submit(request: HttpRequest, reference: str) -> HttpResponse:
    """Submit a saved draft, once the applicant confirmed on the page that says what it does."""
    app = app_or_404(reference)
    require(request.user, "application.edit", app.organisation)
    try:
        lock = int(request.POST.get("lock_version", ""))
    except ValueError:
        lock = 0  # never a real version: refused as stale, and the page says so
    if not confirmed(request):
        return _confirm_submit(request, app)
    try:
        saved = services.application_submit(actor=request.user, application=app, expected_lock_version=lock)
    except (ApplicationError, PermissionDenied) as error:
        messages.error(request, _("The draft is saved but was not submitted."))
        fresh = _form(app_or_404(reference))
        if isinstance(error, ApplicationError):
            fresh.add_service_errors(error)
        else:
            fresh.add_error(None, error_message(error))
        return _render_edit(request, app, fresh, error_status(error))
    messages.success(request, _("Application %(ref)s was submitted.") % {"ref": saved.reference})
    return redirect("applications:detail", saved.reference)


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
        "problems": selectors.problem_rows(
            app, selectors.application_problems(app), translation.get_language() or "en"
        ),
        "adding": adding,
        "max_rows": MAX_ROWS,
    }
    context |= _summary_context(app, form)
    return render(request, "applications/application_edit.html", context, status=status)


@require_GET
def application_row(request: HttpRequest, reference: str, kind: str) -> HttpResponse:
    """One more empty row for a table of the edit page (budget, partner, activity)."""
    app = app_or_404(reference)
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
        "applications/_row_added.html",
        {"app": app, "kind": kind, "index": index, "row": RowForm(kind, index).row, "max_rows": MAX_ROWS},
    )


@require_POST
def application_preview(request: HttpRequest, reference: str) -> HttpResponse:
    """The budget summary for the values typed so far; saves nothing. The same permission as saving."""
    app = app_or_404(reference)
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
        "applications/_budget_summary.html",
        context,
    )
